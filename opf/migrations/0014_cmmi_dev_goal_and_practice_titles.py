"""CMMI-DEV v1.2: every process area's goal and practice titles (#18), added to a
database migrated before they shipped. A fresh database has them from 0003 (which
loads the same file); existing goals and practices (OPF's full text, anything a user
added) are left as they are."""

from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "reference_data" / "cmmi_dev_v1_2.json"


def add_titles(apps, schema_editor):
    import json

    ReferenceModel = apps.get_model("opf", "ReferenceModel")
    Goal = apps.get_model("opf", "Goal")
    Practice = apps.get_model("opf", "Practice")
    model = ReferenceModel.objects.filter(abbreviation="CMMI-DEV", version="1.2", builtin=True).first()
    if model is None:
        return
    spec = json.loads(DATA.read_text(encoding="utf-8"))
    areas = {a.abbreviation: a for a in model.process_areas.all()}
    for area_spec in spec["process_areas"]:
        area = areas.get(area_spec["abbreviation"])
        if area is None:
            continue
        goals = {g.code: g for g in Goal.objects.filter(process_area=area)}
        practices = set(Practice.objects.filter(process_area=area).values_list("code", flat=True))
        practice_order = len(practices)
        for goal_order, goal_spec in enumerate(area_spec["goals"], start=1):
            goal = goals.get(goal_spec["code"])
            if goal is None:
                goal = Goal.objects.create(
                    process_area=area,
                    code=goal_spec["code"],
                    kind=goal_spec["kind"],
                    name=goal_spec["name"],
                    order=goal_order,
                )
            for practice_spec in goal_spec["practices"]:
                if practice_spec["code"] in practices:
                    continue
                practice_order += 1
                Practice.objects.create(
                    process_area=area,
                    goal=goal,
                    code=practice_spec["code"],
                    name=practice_spec["name"],
                    order=practice_order,
                )


class Migration(migrations.Migration):
    dependencies = [("opf", "0013_program_document_submit_for_approval")]

    operations = [migrations.RunPython(add_titles, migrations.RunPython.noop)]
