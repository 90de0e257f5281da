"""The improvement's priority is stored (kept by ``actions.models.improvements``), so
the ranked list reads a page through the index ``improvement_ranked`` instead of
summing every improvement's scores to sort them. Existing rows are filled here."""

from django.db import migrations, models


def fill_priorities(apps, schema_editor):
    from actions.models.improvements import priority_expression

    computed = priority_expression(
        apps.get_model("actions", "ImprovementScore"),
        apps.get_model("actions", "PrioritizationCriterion"),
        apps.get_model("actions", "CostRate"),
    )
    apps.get_model("actions", "Improvement").objects.update(priority=computed)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0010_commitment_kept_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="improvement",
            name="priority",
            field=models.IntegerField(
                default=0,
                editable=False,
                help_text=(
                    "The weighted sum of the scores on the active criteria, plus the "
                    "benefit/cost score times the weight of the computed criteria."
                ),
                verbose_name="priority",
            ),
        ),
        migrations.RunPython(fill_priorities, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="improvement",
            index=models.Index(
                fields=["rank_override", "-priority", "id"], name="improvement_ranked"
            ),
        ),
    ]
