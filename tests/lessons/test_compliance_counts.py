"""The item counts kept on each compliance audit (``lessons.compliance_counts``, #24):
worked numbers, every write path keeping them, and the compliance figures that add
them up instead of reading the items (archived audits left out by all of them)."""

from __future__ import annotations

import importlib
import json
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lessons import compliance_counts, dashboard, process_measures, queries
from lessons.models import AuditItem, ComplianceAudit, NonCompliance
from lessons.services import audits
from opf import backup as backups
from opf.core.dashboard import default_period
from opf.core.services import save_object
from opf.organization.scope import DashboardFilter
from tests.factories import ProjectFactory
from tests.lessons.factories import AuditItemFactory, ComplianceAuditFactory, NonComplianceFactory
from tests.opf.test_backup import content_type_cache, fresh_database  # noqa: F401

pytestmark = pytest.mark.django_db
R = AuditItem.Result


def kept(audit: ComplianceAudit) -> tuple[int, int, int, int]:
    """(compliant, minor, major, critical) as stored on the audit."""
    row = ComplianceAudit.objects.values_list(*ComplianceAudit.ITEM_COUNTS).get(pk=audit.pk)
    return (row[0], row[1], row[2], row[3])


def counted(audit: ComplianceAudit) -> tuple[int, int, int, int]:
    """The same counted here from the items, one by one (not by the module's SQL)."""
    tally = {"compliant": 0, "minor": 0, "major": 0, "critical": 0}
    for item in AuditItem.objects.filter(audit=audit):
        if item.result == R.COMPLIANT:
            tally["compliant"] += 1
        elif item.result == R.NON_COMPLIANT:
            nc = NonCompliance.objects.filter(item=item).first()
            tally[nc.severity if nc else "minor"] += 1
    return (tally["compliant"], tally["minor"], tally["major"], tally["critical"])


def recounted_changes_nothing() -> bool:
    """Whether every audit's kept counts are what counting its items again gives (for
    data written in bulk: the demo, the benchmark dataset)."""
    counts = ComplianceAudit.objects.order_by("pk").values_list("pk", *ComplianceAudit.ITEM_COUNTS)
    before = list(counts)
    compliance_counts.recount()
    return before == list(counts) and any(sum(row[1:]) for row in before)


def test_each_write_of_an_item_or_non_compliance_keeps_its_audits_counts(audit, people):
    # The checklist: three deployed versions and one work product, all pending.
    audits.audit_build_checklist(audit, actor=people.epg, work_products=["Project plan"])
    assert kept(audit) == (0, 0, 0, 0)
    audits.audit_start(audit, actor=people.appraiser)
    a, b, c, d = audit.items.order_by("pk")

    def record(item, result, **more):
        audits.audit_item_record(
            item, result=result, evidence="seen", actor=people.appraiser, **more
        )

    record(a, R.COMPLIANT)
    record(b, R.COMPLIANT)
    record(c, R.NON_COMPLIANT)  # no non-compliance raised: weighs as minor
    record(d, R.NOT_APPLICABLE)  # not judged
    assert kept(audit) == (2, 1, 0, 0) == counted(audit)
    # The score, from the same counts: 2 / (2 + 1).
    assert ComplianceAudit.objects.get(pk=audit.pk).score == Decimal("66.7")

    # Raising its non-compliance (major) moves the item from minor to major.
    nc = audits.non_compliance_raise(c, actor=people.appraiser, severity="major")
    assert kept(audit) == (2, 0, 1, 0) == counted(audit)
    # Its severity edited (critical), through the generic save.
    nc.severity = NonCompliance.Severity.CRITICAL
    save_object(nc, actor=people.epg)
    assert kept(audit) == (2, 0, 0, 1) == counted(audit)

    # A result changed again, and raised with a non-compliance in the same step.
    record(b, R.NON_COMPLIANT, raise_non_compliance=True, severity="major")
    assert kept(audit) == (1, 0, 1, 1) == counted(audit)

    # An item moved to another audit: both are counted again.
    other = ComplianceAuditFactory(project=audit.project, auditor=people.appraiser)
    a.audit = other
    save_object(a, actor=people.epg)
    assert kept(audit) == (0, 0, 1, 1) == counted(audit)
    assert kept(other) == (1, 0, 0, 0) == counted(other)

    # A non-compliance deleted: its item weighs as minor again.
    NonCompliance.objects.get(item=b).delete()
    assert kept(audit) == (0, 1, 0, 1) == counted(audit)
    # An item deleted.
    c.delete()
    assert kept(audit) == (0, 1, 0, 0) == counted(audit)
    # A new item (a plain create).
    AuditItemFactory(audit=audit, result=R.COMPLIANT, evidence="x")
    assert kept(audit) == (1, 1, 0, 0) == counted(audit)


def test_saving_an_audit_read_before_its_items_changed_keeps_their_counts(audit, people):
    """An instance read before an item was recorded holds the old counts: saving it
    (an edit of its scope) must not write them back."""
    stale = ComplianceAudit.objects.get(pk=audit.pk)
    item = AuditItemFactory(audit=audit, result=R.COMPLIANT, evidence="x")
    AuditItemFactory(audit=audit, result=R.NON_COMPLIANT, evidence="x")
    assert stale.compliant_items == 0 and kept(audit) == (1, 1, 0, 0)

    stale.scope = "Edited"
    save_object(stale, actor=people.epg)
    assert kept(audit) == (1, 1, 0, 0)
    assert ComplianceAudit.objects.get(pk=audit.pk).scope == "Edited"
    # A save naming its fields, and the workflow's steps, leave them too.
    stale.save(update_fields=["scope"])
    audits.audit_start(stale, actor=people.appraiser)
    item.delete()
    assert kept(audit) == (0, 1, 0, 0)


def test_recount_counts_what_was_written_in_bulk(audit):
    """Bulk writes send no signal: whoever writes in bulk recounts (the dataset builder
    does), every audit or the ones named."""
    items = AuditItem.objects.bulk_create(
        [AuditItem(audit=audit, work_product=f"WP {n}", result=R.COMPLIANT) for n in range(3)]
        + [AuditItem(audit=audit, work_product="WP bad", result=R.NON_COMPLIANT)]
    )
    NonCompliance.objects.bulk_create(
        [NonCompliance(title="x", audit=audit, item=items[-1], severity="critical")]
    )
    other = ComplianceAuditFactory()
    AuditItem.objects.bulk_create([AuditItem(audit=other, work_product="WP", result=R.COMPLIANT)])
    assert kept(audit) == (0, 0, 0, 0)  # not counted yet

    compliance_counts.recount([audit.pk, None])
    assert kept(audit) == (3, 0, 0, 1) and kept(other) == (0, 0, 0, 0)
    compliance_counts.recount()
    assert kept(other) == (1, 0, 0, 0)
    compliance_counts.recount([])  # nothing named: nothing counted, no query
    with CaptureQueriesContext(connection) as queries_run:
        compliance_counts.recount([None])
    assert len(queries_run) == 0


def test_the_migration_counts_the_existing_audits(audit):
    for result in (R.COMPLIANT, R.COMPLIANT, R.NON_COMPLIANT, R.NON_COMPLIANT, R.PENDING):
        AuditItemFactory(audit=audit, result=result, evidence="x")
    bad = audit.items.filter(result=R.NON_COMPLIANT).first()
    NonComplianceFactory(project=audit.project, audit=audit, item=bad, severity="major")
    ComplianceAudit.objects.update(compliant_items=0, minor_items=0, major_items=0)
    migration = importlib.import_module("lessons.migrations.0011_audit_item_counts")

    migration.count_items(apps, None)

    assert kept(audit) == (2, 1, 1, 0) == counted(audit)


def _completed(project, day: date, results: list[tuple[str, str | None]]) -> ComplianceAudit:
    audit = ComplianceAuditFactory(
        project=project, state=ComplianceAudit.State.COMPLETED, performed_date=day
    )
    for result, severity in results:
        item = AuditItemFactory(audit=audit, result=result, evidence="x")
        if severity:
            NonComplianceFactory(project=project, audit=audit, item=item, severity=severity)
    return audit


@pytest.fixture
def period(people):
    start, end = default_period(timezone.localdate())
    return DashboardFilter(people.executive, None, start, end)


def test_the_figures_add_up_the_audits_counts_and_leave_archived_audits_out(period):
    project = ProjectFactory()
    first = period.months()[0]
    # In the first month: 3 compliant, 1 major → 75 %; an archived audit that would
    # make it 3 / 8 is left out, by the monthly rate and the headline alike.
    _completed(project, first, [(R.COMPLIANT, None)] * 3 + [(R.NON_COMPLIANT, "major")])
    gone = _completed(project, first + timedelta(days=2), [(R.NON_COMPLIANT, None)] * 4)
    # (A completed audit is locked, so the pages cannot archive it: one archived before
    # it was locked, or loaded so.)
    ComplianceAudit.objects.filter(pk=gone.pk).update(archived_at=timezone.now())
    # In the last month: 1 compliant, 1 critical, 1 not applicable → 50 %.
    _completed(
        project,
        period.end,
        [(R.COMPLIANT, None), (R.NON_COMPLIANT, "critical"), (R.NOT_APPLICABLE, None)],
    )
    # Not counted: an audit in progress, one before the period (the period before).
    ComplianceAuditFactory(project=project, state=ComplianceAudit.State.IN_PROGRESS)
    _completed(project, period.start - timedelta(days=3), [(R.COMPLIANT, None)])

    with CaptureQueriesContext(connection) as read:
        panel = dashboard.build(period)
        headline = dashboard.compliance_figure(period)
    assert not any("lessons_audititem" in q["sql"] for q in read.captured_queries)
    assert panel["rates"][0] == 75.0 and panel["rates"][-1] == 50.0
    assert all(r is None for r in panel["rates"][1:-1])
    # 4 compliant of 6 judged; the period before: 1 of 1.
    assert headline["value"] == 66.7 and headline["previous"] == 100.0
    # Weighted: 4 / (4 + 2 + 3) = 44.4 %.
    now = panel["weighted"]["now"]
    assert now["compliant"] == 4 and now["non_compliant"] == {"minor": 0, "major": 1, "critical": 1}
    assert now["weighted"] == 44.4
    # The plan's chapter (every audit) and the compliance page read the same counts.
    counts = process_measures.audit_counts(
        None,
        process_measures.Period(period.start, period.end),
        process_measures.Period(
            period.start - timedelta(days=30), period.start - timedelta(days=1)
        ),
    )
    assert (counts["now_ok"], counts["now_major"], counts["now_critical"]) == (4, 1, 1)
    assert counts["now_minor"] == 0 and counts["before_ok"] == 1
    by_project = queries.compliance_over_time("project")
    assert [row.label for row in by_project.rows] == [project.name]
    assert sorted(v for v in by_project.rows[0].cells.values()) == sorted(
        dict(queries.compliance_trend()).values()
    )
    # Not archived, it counts: 3 / 8 in the first month.
    ComplianceAudit.objects.filter(pk=gone.pk).update(archived_at=None)
    fresh = DashboardFilter(period.user, None, period.start, period.end)
    assert dashboard.build(fresh)["rates"][0] == 37.5


def test_the_compliance_page_by_asset_counts_items_by_the_same_rule(audit, deployments):
    audit.state, audit.performed_date = ComplianceAudit.State.COMPLETED, date(2026, 5, 4)
    audit.save()
    one, two, _three = deployments
    for deployment, result in ((one, R.COMPLIANT), (two, R.NON_COMPLIANT)):
        AuditItemFactory(
            audit=audit, asset_version=deployment.asset_version, result=result, evidence="x"
        )
    AuditItemFactory(audit=audit, result=R.COMPLIANT, evidence="x")  # a work product
    table = queries.compliance_over_time("asset")
    assert table.periods == ["2026-Q2"]
    cells = {row.label: row.cells["2026-Q2"] for row in table.rows}
    assert cells == {one.asset_version.asset.name: 100, two.asset_version.asset.name: 0}
    # By project, every judged item of the audit: 2 of 3.
    assert queries.compliance_over_time("project").rows[0].cells["2026-Q2"] == Decimal("66.7")


@pytest.mark.heavy
def test_a_restore_counts_the_items_of_a_backup_without_counts(
    tmp_path,
    content_type_cache,  # noqa: F811
):
    """A backup made before the counts were kept restores with them counted."""
    project = ProjectFactory()
    audit = _completed(
        project, date(2026, 3, 2), [(R.COMPLIANT, None)] * 2 + [(R.NON_COMPLIANT, "critical")]
    )
    archive = tmp_path / "opf-backup.zip"
    backups.backup(archive)
    with zipfile.ZipFile(archive) as source:
        records = json.loads(source.read(backups.DATA))
    for record in records:
        if record["model"] == "lessons.complianceaudit":
            for field in ComplianceAudit.ITEM_COUNTS:
                del record["fields"][field]
    older = tmp_path / "older.zip"
    with zipfile.ZipFile(older, "w") as out:
        out.writestr(backups.DATA, json.dumps(records))

    fresh_database()
    backups.restore(older)

    restored = ComplianceAudit.objects.get(scope=audit.scope)
    assert kept(restored) == (2, 0, 0, 1)


def test_reading_the_figures_costs_the_same_queries_for_one_audit_or_ten(period):
    project = ProjectFactory()
    _completed(project, period.end, [(R.COMPLIANT, None), (R.NON_COMPLIANT, "minor")])

    def cost() -> int:
        f = DashboardFilter(period.user, None, period.start, period.end)
        with CaptureQueriesContext(connection) as read:
            dashboard.build(f)
            dashboard.compliance_figure(f)
        return len(read)

    cost()  # what is read once per process (the weights' settings, the roles)
    one = cost()
    for n in range(9):
        _completed(project, period.end - timedelta(days=n), [(R.COMPLIANT, None)] * 3)
    assert cost() == one


def test_the_whole_organization_reads_no_project_and_a_unit_only_its_own(period, people):
    """Every project in scope (no org unit, someone who sees every project) is any
    audit of a project: no join with the projects; an org unit counts its subtree's."""
    from tests.factories import OrgUnitFactory

    unit, elsewhere = OrgUnitFactory(), OrgUnitFactory()
    _completed(ProjectFactory(org_unit=unit), period.end, [(R.COMPLIANT, None)] * 3)
    _completed(ProjectFactory(org_unit=elsewhere), period.end, [(R.NON_COMPLIANT, None)])
    # The organization's own process is no project's: the dashboard leaves it out.
    own = ComplianceAuditFactory(
        project=None, state=ComplianceAudit.State.COMPLETED, performed_date=period.end
    )
    AuditItemFactory(audit=own, result=R.NON_COMPLIANT, evidence="x")

    whole = DashboardFilter(people.epg, None, period.start, period.end)
    with CaptureQueriesContext(connection) as read:
        assert dashboard.compliance_figure(whole)["value"] == 75.0  # 3 of 4
    assert not any('"opf_project"' in q["sql"] for q in read.captured_queries)
    assert dashboard.build(whole)["rates"][-1] == 75.0

    one = DashboardFilter(people.epg, unit, period.start, period.end)
    assert dashboard.compliance_figure(one)["value"] == 100.0
    assert dashboard.build(one)["rates"][-1] == 100.0


def test_one_read_per_day_serves_the_months_the_rate_and_the_weighted_compliance(period):
    """The days at the periods' edges: the first day of the period counts now, the day
    before it in the period before; the panel and the headline share one query."""
    project = ProjectFactory()
    _completed(project, period.start, [(R.COMPLIANT, None), (R.NON_COMPLIANT, "major")])
    _completed(project, period.start, [(R.COMPLIANT, None)])  # the same day: one row
    _completed(project, period.start - timedelta(days=1), [(R.NON_COMPLIANT, "critical")])
    days = process_measures.audit_counts_by_day(None, period.start - timedelta(days=1), period.end)
    assert days == {
        period.start: {"ok": 2, "minor": 0, "major": 1, "critical": 0},
        period.start - timedelta(days=1): {"ok": 0, "minor": 0, "major": 0, "critical": 1},
    }
    f = DashboardFilter(period.user, None, period.start, period.end)
    with CaptureQueriesContext(connection) as read:
        panel = dashboard.build(f)
        headline = dashboard.compliance_figure(f)
    assert sum("lessons_complianceaudit" in q["sql"] for q in read.captured_queries) == 1
    assert panel["rates"][0] == 66.7 and headline["value"] == 66.7  # 2 of 3
    assert headline["previous"] == 0.0  # 0 of 1
    assert panel["weighted"]["before"]["weighted"] == 0.0
