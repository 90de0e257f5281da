"""Issue #24: the improvement's priority is stored, kept equal to the computed one after
every kind of change (worked numbers), never written by a user, not flooding the
history, and the ranked list reads a page through its index."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import services
from actions.models import Improvement, PrioritizationCriterion
from actions.models.improvements import priority_expression
from opf.core.services import delete_object, save_object
from tests.actions.factories import (
    CostRateFactory,
    ImprovementFactory,
    PrioritizationCriterionFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


def stored() -> dict[str, int]:
    """Each improvement's stored priority, checked against the computed one."""
    rows = Improvement.objects.annotate(live=priority_expression()).values_list(
        "title", "priority", "live"
    )
    assert [(t, p) for t, p, _live in rows] == [(t, live) for t, _p, live in rows]
    return {title: priority for title, priority, _live in rows}


def history_rows() -> int:
    return Improvement.history.count()


def test_the_stored_priority_follows_every_input(people):
    epg = people.epg
    rate = CostRateFactory(hourly_rate=D("90"))
    benefit = PrioritizationCriterionFactory(name="Benefit", weight=5)
    cost = PrioritizationCriterionFactory(name="Cost", weight=2, higher_is_better=False)
    computed = PrioritizationCriterionFactory(
        name="Return", weight=10, source=PrioritizationCriterion.Source.BENEFIT_COST
    )
    # 120 h x 90 + 2,000 = 12,800 against 48,000 a year: ratio 3.75, score 4.
    reviews = ImprovementFactory(
        title="Reviews",
        estimated_hours=D("120"),
        other_cost=D("2000"),
        benefit_money_per_year=D("48000"),
    )
    plain = ImprovementFactory(title="Plain")  # no business case: no ratio score
    assert stored() == {"Reviews": 40, "Plain": 0}

    def score(improvement, criterion, value):
        services.improvement_score(
            improvement=improvement, criterion=criterion, value=value, actor=epg
        )

    score(reviews, benefit, 4)
    score(reviews, cost, 1)
    score(plain, benefit, 5)
    assert stored() == {"Reviews": 5 * 4 + 2 * (6 - 1) + 10 * 4, "Plain": 25}
    assert services.priority_of(reviews) == 70
    assert reviews.priority == 70  # the instance the service was given reads it too

    score(reviews, benefit, 2)  # a score changed
    assert stored()["Reviews"] == 5 * 2 + 10 + 40
    score(reviews, cost, None)  # a score cleared
    assert stored()["Reviews"] == 10 + 40

    before = history_rows()
    computed.weight = 3  # a criterion's weight
    save_object(computed, actor=epg)
    assert stored() == {"Reviews": 10 + 3 * 4, "Plain": 25}
    assert [i.title for i in Improvement.objects.ranked()] == ["Plain", "Reviews"]

    benefit.active = False  # a criterion deactivated
    save_object(benefit, actor=epg)
    assert stored() == {"Reviews": 12, "Plain": 0}

    benefit.active, benefit.higher_is_better = True, False  # back, and "lower is better"
    save_object(benefit, actor=epg)
    assert stored() == {"Reviews": 5 * (6 - 2) + 12, "Plain": 5 * (6 - 5)}

    rate.hourly_rate = D("30")  # 120 h x 30 + 2,000 = 5,600: ratio 8.6, score 5
    save_object(rate, actor=epg)
    assert stored()["Reviews"] == 20 + 3 * 5
    assert history_rows() == before  # recomputing writes no improvement history

    reviews.refresh_from_db()
    reviews.estimated_hours = D("1500")  # the business case: 47,000 for 48,000, score 2
    save_object(reviews, actor=epg)
    assert reviews.priority == stored()["Reviews"] == 20 + 3 * 2
    assert history_rows() == before + 1  # the edit itself, as always

    delete_object(computed, actor=epg)  # a criterion removed
    assert stored() == {"Reviews": 20, "Plain": 5}
    CostRateFactory(hourly_rate=D("10"))  # a second active rate is not the one in use
    PrioritizationCriterionFactory(  # a criterion added
        name="Return again", weight=1, source=PrioritizationCriterion.Source.BENEFIT_COST
    )
    assert stored() == {"Reviews": 20 + 2, "Plain": 5}
    assert "priority" not in {f.name for f in Improvement.history.model._meta.fields}


def test_deletions_that_take_scores_with_them(people):
    benefit = PrioritizationCriterionFactory(name="Benefit", weight=3)
    kept, gone = ImprovementFactory(title="Kept"), ImprovementFactory(title="Gone")
    for improvement, value in ((kept, 2), (gone, 5)):
        services.improvement_score(
            improvement=improvement, criterion=benefit, value=value, actor=people.epg
        )
    delete_object(gone, actor=people.epg)
    assert stored() == {"Kept": 6}
    delete_object(benefit, actor=people.epg)  # its scores go with it, in one recompute
    assert stored() == {"Kept": 0}


def test_nobody_writes_the_priority(people, api_as, client_as):
    improvement = ImprovementFactory(title="Reviews")
    api = api_as(people.epg)
    url = f"/api/v1/improvements/{improvement.pk}/"
    refused = api.patch(url, {"title": "Peer reviews", "priority": 999}, format="json")
    assert refused.status_code == 400
    assert [e["field"] for e in refused.json()["errors"]] == ["priority"]
    answer = api.patch(url, {"title": "Peer reviews"}, format="json")
    assert answer.status_code == 200 and answer.json()["priority"] == 0
    improvement.refresh_from_db()
    assert (improvement.title, improvement.priority) == ("Peer reviews", 0)
    form = client_as(people.epg).get(f"/improvements/{improvement.pk}/edit/")
    assert form.status_code == 200
    assert 'name="priority"' not in form.content.decode()


def test_the_list_and_the_api_follow_the_stored_priority(people, client_as, api_as):
    benefit = PrioritizationCriterionFactory(name="Benefit", weight=2)
    for title, value in (("Second", 3), ("First", 5), ("Third", 1)):
        services.improvement_score(
            improvement=ImprovementFactory(title=title),
            criterion=benefit,
            value=value,
            actor=people.epg,
        )
    pinned = ImprovementFactory(title="Pinned")
    services.improvement_set_rank(pinned, rank=1, reason="Audit in June", actor=people.epg)
    html = client_as(people.member).get("/improvements/").content.decode()
    assert html.index("Pinned") < html.index("First") < html.index("Second") < html.index("Third")
    rows = api_as(people.member).get("/api/v1/improvements/").json()["results"]
    assert [(r["title"], r["priority"]) for r in rows] == [
        ("Pinned", 0),
        ("First", 10),
        ("Second", 6),
        ("Third", 2),
    ]
    reverse = client_as(people.member).get("/improvements/", {"sort": "-rank_override"})
    text = reverse.content.decode()
    assert text.index("Third") < text.index("Second") < text.index("First") < text.index("Pinned")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plan")
def test_a_page_of_the_ranking_reads_the_index_without_sorting():
    Improvement.objects.bulk_create(Improvement(title=f"Improvement {n}") for n in range(200))
    ranked = Improvement.objects.ranked()
    assert "SUM(" not in str(ranked.query) and "GROUP BY" not in str(ranked.query)
    keys = ranked.values_list("pk", flat=True)[:50]
    sql, params = keys.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table would be scanned
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "improvement_ranked" in plan and "Sort" not in plan, plan


def test_recomputing_writes_only_the_rows_that_moved(people):
    benefit = PrioritizationCriterionFactory(name="Benefit", weight=2)
    Improvement.objects.bulk_create(Improvement(title=f"Improvement {n}") for n in range(5))
    scored = Improvement.objects.order_by("pk").first()
    services.improvement_score(improvement=scored, criterion=benefit, value=4, actor=people.epg)
    assert Improvement.objects.recompute_priority() == 0
    Improvement.objects.filter(pk=scored.pk).update(priority=0)  # as a bulk write leaves it
    with CaptureQueriesContext(connection) as ctx:
        assert Improvement.objects.recompute_priority() == 1
    assert len(ctx.captured_queries) == 1
    assert stored()[scored.title] == 8
