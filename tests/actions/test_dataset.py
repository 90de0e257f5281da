"""The benchmark builder of the improvements (``manage.py build_dataset``): each one
comes with the history its workflow would have written, so the funnel's stays and
medians are measured on rows like a real program's."""

from __future__ import annotations

from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command

from actions.dataset import LEADING_TO
from actions.models import Improvement, ImprovementStay

pytestmark = pytest.mark.django_db


def test_each_improvement_has_the_history_of_the_steps_to_its_state():
    call_command("build_dataset", "--scale", "0.05", "--seed", "7", stdout=StringIO())
    improvements = list(Improvement.objects.all())
    assert len({i.state for i in improvements}) == len(Improvement.State)  # every state
    rows = Improvement.history.order_by("id", "history_date", "history_id")
    by_improvement: dict[int, list] = {}
    for row in rows:
        by_improvement.setdefault(row.id, []).append(row)
    assert set(by_improvement) == {i.pk for i in improvements}
    for improvement in improvements:
        history = by_improvement[improvement.pk]
        assert [row.state for row in history] == list(LEADING_TO[improvement.state])
        assert history[0].state == Improvement.State.CANDIDATE
        assert [row.history_type for row in history] == ["+"] + ["~"] * (len(history) - 1)
        for earlier, later in pairwise(history):
            assert 5 <= (later.history_date - earlier.history_date).days <= 64
        assert history[-1].title == improvement.title
    # the funnel's kept stays: one per history row (each one a step to another state)
    assert ImprovementStay.objects.count() == rows.count()
    assert ImprovementStay.objects.filter(ended__isnull=True).count() == len(improvements)
    # the loop's stored milestones are the history's: a refresh moves none
    from deployment.milestones import refresh_milestones

    assert refresh_milestones() == 0
    selected = [i for i in improvements if i.first_selected_at is not None]
    assert selected and all(i.first_recorded_at is not None for i in improvements)


def test_the_funnel_reads_the_stays_the_history_makes():
    from deployment.dashboard import build_funnel
    from opf.core.accounts import User
    from opf.core.roles import PROCESS_GROUP
    from opf.steering.dashboard.access import dashboard_filter

    call_command("build_dataset", "--scale", "0.05", "--seed", "7", stdout=StringIO())
    user = User.objects.filter(groups__name=PROCESS_GROUP.group).order_by("pk").first()
    f, _form = dashboard_filter(user, {})
    stages = {s["stage"]: s for s in build_funnel(f)["stages"]}
    # Every improvement was a candidate for 5 to 64 days before its first step.
    assert 5 <= stages["candidate"]["median_days"] <= 65
    assert sum(s["count"] for s in stages.values()) > 0
