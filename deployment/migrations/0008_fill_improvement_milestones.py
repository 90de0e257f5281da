"""The improvements' deployment milestones are stored (``actions`` 0012, kept by
``deployment.milestones``), so the dashboard's funnel and the loop's cycle times read two
columns instead of the deployments' history (#24). Existing rows are filled here, by the
rule of ``deployment.milestones.milestone_expressions`` (written out: a migration keeps
the rule of its day)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

DONE_STATES = ("in_use", "verified")


def fill_milestones(apps, schema_editor):
    improvement = apps.get_model("actions", "Improvement")
    history = apps.get_model("deployment", "HistoricalProjectDeployment").objects.filter(
        asset_version__pilot__action_plan__improvements=OuterRef("pk")
    )

    def first(rows):
        return Subquery(rows.order_by("history_date").values("history_date")[:1])

    improvement.objects.update(
        first_deployed_at=first(history.filter(state__in=DONE_STATES)),
        first_verified_at=first(history.filter(state="verified")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0012_deployment_milestones"),
        ("deployment", "0007_watch_block_indexes"),
    ]

    operations = [
        migrations.RunPython(fill_milestones, migrations.RunPython.noop, elidable=True),
    ]
