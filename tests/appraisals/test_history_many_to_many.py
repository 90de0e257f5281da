"""Many-to-many changes (teams, scopes, targets, assets) are in the history with who,
when, before and after, through the pages and the API (#21, finding 11)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import timezone

from deployment.models import DeploymentPlan
from opf.core.ui.history import history_of
from tests.deployment.factories import DeploymentPlanFactory
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _changes_of(entries: list[dict], field: str) -> list[dict]:
    return [c | {"user": e["user"]} for e in entries for c in e["changes"] if c["field"] == field]


def test_every_many_to_many_field_of_a_record_with_history_is_recorded():
    for model in apps.get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager is None:
            continue
        recorded = {f.name for f in getattr(model, manager).model._history_m2m_fields}
        wanted = {f.name for f in model._meta.local_many_to_many} - {"user_permissions"}
        assert wanted <= recorded, model._meta.label


def test_a_team_change_through_the_api_shows_before_and_after(setup, people, api_as):
    newcomer = UserFactory(username="newcomer")
    appraisal = setup.appraisal
    answer = api_as(people.epg).patch(
        f"/api/v1/appraisals/{appraisal.pk}/",
        {"team": [setup.lead.pk, newcomer.pk]},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    entries = api_as(people.epg).get(f"/api/v1/appraisals/{appraisal.pk}/history/").json()
    team = _changes_of(entries, "team")
    removed = next(c for c in team if str(setup.member) in c["old"])
    assert str(setup.member) not in removed["new"] and str(setup.lead) in removed["new"]
    added = next(c for c in team if str(newcomer) in c["new"])
    assert str(newcomer) not in added["old"]
    assert removed["user"] == added["user"] == "epg"


def test_a_scope_change_through_the_page_is_on_the_history_page(setup, people, client_as):
    appraisal = setup.appraisal
    client = client_as(people.epg)
    edit = f"/appraisals/{appraisal.pk}/edit/"
    form = client.get(edit).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v is not None and v is not False}
    data["org_units"] = [setup.unit.pk]  # the other unit leaves the scope
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    appraisal.refresh_from_db()
    assert list(appraisal.org_units.all()) == [setup.unit]

    entry = next(e for e in history_of(appraisal) if any(c.field == "org_units" for c in e.changes))
    change = next(c for c in entry.changes if c.field == "org_units")
    assert entry.user == people.epg and entry.when <= timezone.now()
    assert {str(u) for u in change.old} == {str(setup.unit), str(setup.other_unit)}
    assert [str(u) for u in change.new] == [str(setup.unit)]
    page = client.get(appraisal.get_absolute_url()).content.decode()
    history = page[page.index('id="history"') :]
    assert str(setup.other_unit) in history[history.index("<del>") :]


def test_members_set_with_a_save_are_in_that_save_s_row(people):
    unit = OrgUnitFactory(code="ops")
    plan = DeploymentPlanFactory()
    plan.target_units.set([unit])  # e.g. a form's save_m2m after the save
    assert plan.history.count() == 1
    plan.name = "Renamed"
    plan.save()
    plan.target_units.clear()
    entry, created = history_of(plan)
    assert created.kind == "created" and entry.kind == "changed"
    changes = {c.field: (c.old, c.new) for c in entry.changes}
    assert set(changes) == {"name", "target_units"} and changes["name"][1] == "Renamed"
    assert (list(changes["target_units"][0]), list(changes["target_units"][1])) == ([str(unit)], [])


def test_targets_changed_from_either_side_are_recorded_once_each(people):
    unit = OrgUnitFactory(code="ops")
    plan = DeploymentPlan.objects.get(pk=DeploymentPlanFactory().pk)  # as a page loads it
    rows = plan.history.count()
    plan.target_units.add(unit)
    plan.target_units.add(unit)  # already there: nothing to record
    assert plan.history.count() == rows + 1
    unit.deployment_plans.remove(plan)  # from the unit's side
    assert plan.history.count() == rows + 2
    unit.deployment_plans.add(plan)
    unit.deployment_plans.clear()
    assert plan.history.count() == rows + 4
    changes = [c for e in history_of(plan) for c in e.changes if c.field == "target_units"]
    assert [(list(c.old), list(c.new)) for c in changes] == [
        ([str(unit)], []),
        ([], [str(unit)]),
        ([str(unit)], []),
        ([], [str(unit)]),
    ]


def test_a_workflow_step_keeps_the_members_in_its_history_row(people):
    """A transition moves the state with ``update()`` and writes its history row
    itself: the row still holds the plan's improvements, so the history does not
    show them as removed by the submission."""
    from actions import services
    from actions.models import Improvement
    from tests.actions.factories import (
        ImprovementFactory,
        PlanReviewFactory,
        ProcessActionPlanFactory,
    )

    plan = ProcessActionPlanFactory(owner=people.epg, sponsor=people.executive)
    chosen = ImprovementFactory(state=Improvement.State.SELECTED)
    plan.improvements.set([chosen])
    PlanReviewFactory(plan=plan, reviewer=people.executive)
    services.plan_submit(plan, actor=people.epg)

    rows = list(plan.history.order_by("history_date", "history_id"))
    assert [row.state for row in rows] == ["draft", "in_review"]
    for row in rows:
        assert list(row.improvements.values_list("improvement_id", flat=True)) == [chosen.pk]
    # The history page lists no change of the improvements after the submission.
    submitted, _created = history_of(plan)
    assert submitted.reason == "Submit for review"
    assert [c.field for c in submitted.changes if c.field == "improvements"] == []
