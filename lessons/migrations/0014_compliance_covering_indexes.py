"""Covering indexes for the dashboard's compliance figures (#24), on PostgreSQL: the
audits completed per day (``process_measures.audit_counts_by_day``) and the open
non-compliances by severity and age (``queries.open_ncs_by_age``) are read from the
index alone (an index-only scan), not from the tables' rows: about half the time at
scale 10. Partial (the rows those figures count) and with INCLUDE columns, which
Django's model indexes cannot say on SQLite, so they are not in the models' Meta; the
embedded SQLite database goes without them."""

from django.db import migrations

INDEXES = {
    "lessons_audit_days_covering": (
        "lessons_complianceaudit (performed_date) INCLUDE (compliant_items, minor_items,"
        " major_items, critical_items, project_id) WHERE state = 'completed'"
        " AND archived_at IS NULL AND performed_date IS NOT NULL"
    ),
    "lessons_nc_open_aging": (
        "lessons_noncompliance (severity, opened_on, due_date) INCLUDE (project_id)"
        " WHERE state IN ('open', 'in_correction') AND archived_at IS NULL"
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("lessons", "0013_plan_spent_hours")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
