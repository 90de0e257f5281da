"""The improvements' milestones before the deployments are stored too (``actions`` 0015,
kept by ``deployment.milestones``), so the loop's cycle times read columns of the
improvements instead of every history row (#24). Existing rows are filled here by the
rule of ``deployment.milestones.milestone_expressions`` (written out: a migration keeps
the rule of its day)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

TRACE = "pilot__action_plan__improvements"


def fill_milestones(apps, schema_editor):
    improvement = apps.get_model("actions", "Improvement")
    own = apps.get_model("actions", "HistoricalImprovement").objects.filter(id=OuterRef("pk"))
    links = improvement.findings.through.objects.filter(improvement_id=OuterRef(OuterRef("pk")))
    findings = apps.get_model("appraisals", "HistoricalFinding").objects.filter(
        id__in=links.values("finding_id")
    )
    plans = apps.get_model("actions", "ProcessActionPlan").objects.filter(
        improvements=OuterRef("pk"), approved_at__isnull=False
    )
    versions = apps.get_model("deployment", "AssetVersion").objects.filter(
        **{TRACE: OuterRef("pk")}, released_at__isnull=False
    )

    def first(rows, field):
        return Subquery(rows.order_by(field).values(field)[:1])

    improvement.objects.update(
        first_recorded_at=first(own, "history_date"),
        first_finding_at=first(findings, "history_date"),
        first_selected_at=first(own.filter(state="selected"), "history_date"),
        first_approved_at=first(plans, "approved_at"),
        first_released_at=first(versions, "released_at"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0015_loop_milestones"),
        ("appraisals", "0012_finding_live_kind_index"),
        ("deployment", "0010_unit_coverage_counts"),
    ]

    operations = [
        migrations.RunPython(fill_milestones, migrations.RunPython.noop, elidable=True),
    ]
