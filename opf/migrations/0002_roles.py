"""Create the role groups. Their permissions are (re)assigned from opf.core.roles
after every migrate, so models added later reach the roles too."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from opf.core.roles import sync_groups

    # Permissions are normally created after all migrations; create ours now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_groups(apps)


def remove_roles(apps, schema_editor):
    from opf.core.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=[r.group for r in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("opf", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
