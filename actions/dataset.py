"""Benchmark data of this app (``manage.py build_dataset``): at scale 1, 2,000
improvements (each with the history rows of the workflow steps that led to its
state), 300 action plans in every state with two reviews and 50 action
items each (15,000) (about a tenth of the open items late), and a pilot per fourth plan;
each improvement is about one process area of the built-in model."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from actions import improvement_stays, item_figures
from actions.models import ActionItem, Improvement, Pilot, PlanReview, ProcessActionPlan
from opf.core.roles import EXECUTIVE, MEMBER, PROCESS_GROUP, PROJECT_MANAGER
from opf.organization.dataset import Dataset

if TYPE_CHECKING:
    from opf.core.accounts import User

ITEMS_PER_PLAN = 50
PLANS_AT_SCALE_1 = 300


def build(data: Dataset) -> None:
    states = [s.value for s in Improvement.State]
    improvements = Improvement.objects.bulk_create(
        (
            Improvement(title=f"Improvement {i:04d}", state=states[i % len(states)])
            for i in range(data.count(2000, 6))
        ),
        batch_size=1000,
    )
    if data.areas:  # each improvement about one process area, in turn
        link = Improvement.process_areas.through
        link.objects.bulk_create(
            (
                link(improvement_id=improvement.pk, processarea_id=data.areas[i % len(data.areas)])
                for i, improvement in enumerate(improvements)
            ),
            batch_size=2000,
        )
    plans = _plans(data)
    through = ProcessActionPlan.improvements.through
    through.objects.bulk_create(
        (
            through(processactionplan_id=plan.pk, improvement_id=improvements[i].pk)
            for i, plan in enumerate(plans)
            if i < len(improvements)
        ),
        batch_size=2000,
    )
    people = data.users[MEMBER.slug] + data.users[PROJECT_MANAGER.slug]
    PlanReview.objects.bulk_create(_reviews(plans, people), batch_size=2000)
    ActionItem.objects.bulk_create(_items(data, plans, people), batch_size=2000)
    item_figures.recount(p.pk for p in plans)  # a bulk insert sends no signal
    Pilot.objects.bulk_create(
        (
            Pilot(action_plan=plan, title=f"Pilot of {plan.title}", objective="Measure it.")
            for plan in plans[::4]
        ),
        batch_size=1000,
    )
    # bulk_create sends no signal: the stored priorities are filled in one UPDATE.
    Improvement.objects.recompute_priority()
    _history(data, improvements)


# The workflow steps that lead to each state (the funnel's stays are read from them).
LEADING_TO = {
    Improvement.State.CANDIDATE: [Improvement.State.CANDIDATE],
    Improvement.State.SELECTED: [Improvement.State.CANDIDATE, Improvement.State.SELECTED],
    Improvement.State.IN_ACTION: [
        Improvement.State.CANDIDATE,
        Improvement.State.SELECTED,
        Improvement.State.IN_ACTION,
    ],
    Improvement.State.IMPLEMENTED: [
        Improvement.State.CANDIDATE,
        Improvement.State.SELECTED,
        Improvement.State.IN_ACTION,
        Improvement.State.IMPLEMENTED,
    ],
    Improvement.State.DEFERRED: [Improvement.State.CANDIDATE, Improvement.State.DEFERRED],
    Improvement.State.REJECTED: [Improvement.State.CANDIDATE, Improvement.State.REJECTED],
}


def _history(data: Dataset, improvements: list[Improvement]) -> None:
    """Each improvement's history rows, as its workflow would have written them: created
    a candidate in the last two years, then a step every 5 to 64 days up to its state
    (about 2.3 rows an improvement: 4,700 at scale 1, 47,000 at scale 10)."""
    historical = Improvement.history.model
    copied = [
        f.attname for f in historical._meta.concrete_fields if not f.name.startswith("history_")
    ]
    rows = []
    for improvement in improvements:
        created = data.today - timedelta(days=400 + data.rng.randrange(330))
        moment = timezone.make_aware(datetime.combine(created, time(9)))
        for step, state in enumerate(LEADING_TO[Improvement.State(improvement.state)]):
            values = {name: getattr(improvement, name) for name in copied}
            values.update(state=state, version=step + 1)
            rows.append(
                historical(**values, history_date=moment, history_type="+" if step == 0 else "~")
            )
            moment += timedelta(days=data.rng.randint(5, 64), minutes=data.rng.randrange(600))
    historical.objects.bulk_create(rows, batch_size=2000)
    improvement_stays.recount(i.pk for i in improvements)  # a bulk insert sends no signal


def _plans(data: Dataset) -> list[ProcessActionPlan]:
    """Plans in every state, owned by the process group, sponsored by the executives."""
    group = data.users[PROCESS_GROUP.slug]
    executives = data.users[EXECUTIVE.slug]
    plan_states = [s.value for s in ProcessActionPlan.State]
    return ProcessActionPlan.objects.bulk_create(
        (
            ProcessActionPlan(
                title=f"Action plan {i:04d}",
                strategy="Pilot, then roll out.",
                owner=group[i % len(group)],
                sponsor=executives[i % len(executives)],
                state=plan_states[i % len(plan_states)],
            )
            for i in range(data.count(PLANS_AT_SCALE_1, 6))
        ),
        batch_size=1000,
    )


def _reviews(plans: list[ProcessActionPlan], people: list[User]) -> list[PlanReview]:
    """Two reviews per plan, approved once the plan is past review."""
    return [
        PlanReview(
            plan=plan,
            reviewer=people[(2 * i + k) % len(people)],
            decision=PlanReview.Decision.APPROVED
            if plan.state not in ("draft", "in_review")
            else PlanReview.Decision.PENDING,
        )
        for i, plan in enumerate(plans)
        for k in range(2)
    ]


def _items(data: Dataset, plans: list[ProcessActionPlan], people: list[User]) -> list[ActionItem]:
    """``ITEMS_PER_PLAN`` items per plan in every status, about a tenth of the open ones
    late, the done ones done on their due date (or today)."""
    items = []
    statuses = [s.value for s in ActionItem.Status]
    for i, plan in enumerate(plans):
        for j in range(ITEMS_PER_PLAN):
            status = statuses[(i + j) % len(statuses)]
            days = data.rng.randint(-60, 120)
            if status != "done" and data.rng.random() < 0.1:
                days = -data.rng.randint(1, 30)  # late
            items.append(
                ActionItem(
                    plan=plan,
                    title=f"Item {j:02d} of plan {i:04d}",
                    assignee=people[(i * ITEMS_PER_PLAN + j) % len(people)],
                    due=data.today + timedelta(days=days),
                    status=status,
                    done_on=data.today + timedelta(days=min(days, 0)) if status == "done" else None,
                    planned_effort=Decimal(data.rng.randint(1, 40)),
                    spent_effort=Decimal(data.rng.randint(0, 40)),
                )
            )
    return items


STEPS = [build]
