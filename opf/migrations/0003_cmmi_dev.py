"""Ship CMMI-DEV v1.2: the 22 process areas and OPF's goals and practices in full."""

from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "reference_data" / "cmmi_dev_v1_2.json"


def load(apps, schema_editor):
    from opf.reference.services import create_from_spec, parse_json

    create_from_spec(parse_json(DATA.read_bytes()), models=apps, builtin=True)


def unload(apps, schema_editor):
    apps.get_model("opf", "ReferenceModel").objects.filter(abbreviation="CMMI-DEV", version="1.2").delete()


class Migration(migrations.Migration):
    dependencies = [("opf", "0002_roles")]

    operations = [migrations.RunPython(load, unload)]
