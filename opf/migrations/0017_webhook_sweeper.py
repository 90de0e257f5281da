from django.db import migrations

SWEEPER = "Webhook delivery sweeper"


def schedule_sweeper(apps, schema_editor):
    """Every minute, send again the webhook attempts whose queue message was lost."""
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = interval_model.objects.get_or_create(every=1, period="minutes")
    task_model.objects.update_or_create(
        name=SWEEPER,
        defaults={"task": "opf.sweep_webhooks", "interval": every_minute, "enabled": True},
    )


def unschedule_sweeper(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEPER).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("opf", "0016_webhooks"),
        ("django_celery_beat", "0018_improve_crontab_helptext"),
    ]

    operations = [migrations.RunPython(schedule_sweeper, unschedule_sweeper)]
