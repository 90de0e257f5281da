"""Improvements: creation from weaknesses and needs, weighted scoring, ranking,
manual rank, select / defer / reject, permissions, fixed queries at 500 rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import services
from actions.models import Improvement, ImprovementScore
from tests.actions.factories import ImprovementFactory, PrioritizationCriterionFactory
from tests.appraisals.factories import FindingFactory, ProcessNeedFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def criteria():
    return (
        PrioritizationCriterionFactory(name="Benefit", weight=5),
        PrioritizationCriterionFactory(name="Cost", weight=2, higher_is_better=False),
    )


def score(improvement, criterion, value, actor):
    services.improvement_score(
        improvement=improvement, criterion=criterion, value=value, actor=actor
    )


def test_priority_is_the_weighted_sum_and_lower_is_better_inverts(criteria, people):
    benefit, cost = criteria
    cheap = ImprovementFactory(title="Cheap")
    costly = ImprovementFactory(title="Costly")
    score(cheap, benefit, 4, people.epg)
    score(cheap, cost, 1, people.epg)  # 5*4 + 2*(6-1) = 30
    score(costly, benefit, 5, people.epg)
    score(costly, cost, 5, people.epg)  # 5*5 + 2*(6-5) = 27
    unscored = ImprovementFactory(title="Unscored")
    assert services.priority_of(cheap) == 30
    assert services.priority_of(costly) == 27
    assert [i.title for i in Improvement.objects.ranked()] == ["Cheap", "Costly", "Unscored"]
    benefit.active = False
    benefit.save()
    assert services.priority_of(cheap) == 10
    assert services.priority_of(unscored) == 0
    score(cheap, cost, None, people.epg)
    assert not ImprovementScore.objects.filter(improvement=cheap, criterion=cost).exists()


def test_scores_are_set_in_place_and_checked(criteria, people, client_as):
    benefit, _cost = criteria
    improvement = ImprovementFactory()
    client = client_as(people.epg)
    url = f"/improvements/{improvement.pk}/scores/{benefit.pk}/"
    response = client.post(url, {"value": "4"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<section class="card" id="scores"')
    assert '<span class="badge ok" id="priority">20</span>' in html
    bad = client.post(url, {"value": "9"}, **HTMX)
    assert bad.status_code == 400
    assert ImprovementScore.objects.get().value == 4
    assert client_as(people.executive).post(url, {"value": "1"}).status_code == 403
    assert ImprovementScore.objects.get().value == 4


def test_the_ranked_list_follows_scores_and_manual_ranks(criteria, people, client_as, api_as):
    benefit, _cost = criteria
    low, high, pinned = (ImprovementFactory(title=t) for t in ("Low", "High", "Pinned"))
    score(low, benefit, 1, people.epg)
    score(high, benefit, 5, people.epg)
    client = client_as(people.epg)
    refused = client.post(
        f"/improvements/{pinned.pk}/rank/", {"rank": "1", "reason": ""}, follow=True
    )
    assert "Say why the rank is set by hand." in refused.content.decode()
    pinned.refresh_from_db()
    assert pinned.rank_override is None
    client.post(f"/improvements/{pinned.pk}/rank/", {"rank": "1", "reason": "Audit in June"})
    pinned.refresh_from_db()
    assert (pinned.rank_override, pinned.rank_reason) == (1, "Audit in June")
    assert pinned.history.first().history_change_reason == "Rank set to 1"
    html = client.get("/improvements/").content.decode()
    assert html.index("Pinned") < html.index("High") < html.index("Low")
    api = api_as(people.member).get("/api/v1/improvements/").json()["results"]
    assert [row["title"] for row in api] == ["Pinned", "High", "Low"]
    assert api[1]["priority"] == 25
    by_priority = api_as(people.member).get("/api/v1/improvements/", {"ordering": "-priority"})
    assert by_priority.json()["results"][0]["title"] == "High"
    client.post(f"/improvements/{pinned.pk}/rank/", {"rank": "", "reason": ""})
    pinned.refresh_from_db()
    assert pinned.rank_override is None and pinned.rank_reason == ""


def test_select_defer_and_reject_with_reasons(people, api_as, client_as):
    improvement = ImprovementFactory()
    api = api_as(people.epg)
    assert api.post(f"/api/v1/improvements/{improvement.pk}/select/").json()["state"] == "selected"
    refused = api.post(f"/api/v1/improvements/{improvement.pk}/defer/")
    assert refused.status_code == 409 and refused.json()["detail"] == "Give a reason for this step."
    assert (
        api.post(f"/api/v1/improvements/{improvement.pk}/defer/", {"reason": "Q3"}).json()["state"]
        == "deferred"
    )
    rejected = client_as(people.epg).post(
        f"/improvements/{improvement.pk}/do/reject/", {"reason": "Superseded"}
    )
    assert rejected.status_code == 302
    improvement.refresh_from_db()
    assert improvement.state == "rejected"
    assert improvement.history.first().history_change_reason == "Superseded"
    assert api.post(f"/api/v1/improvements/{improvement.pk}/select/").status_code == 409
    assert (
        api.post(f"/api/v1/improvements/{improvement.pk}/reconsider/").json()["state"]
        == "candidate"
    )
    assert list(services.selected_improvements()) == []
    assert (
        api_as(people.executive).post(f"/api/v1/improvements/{improvement.pk}/select/").status_code
        == 403
    )


def test_weaknesses_become_one_improvement_in_one_step(people, client_as):
    first = FindingFactory(statement="No estimation method")
    second = FindingFactory(
        appraisal=first.appraisal, process_area=first.process_area, statement="Risks not revisited"
    )
    strength = FindingFactory(
        appraisal=first.appraisal, process_area=first.process_area, kind="strength"
    )
    client = client_as(people.epg)
    data = {
        "appraisal": first.appraisal.pk,
        "findings": [first.pk, second.pk],
        "title": "Planning guideline",
    }
    response = client.post("/improvements/from-findings/", data)
    improvement = Improvement.objects.get()
    assert response.url == improvement.get_absolute_url()
    assert set(improvement.findings.all()) == {first, second}
    assert list(improvement.process_areas.all()) == [first.process_area]
    detail = client.get(improvement.get_absolute_url()).content.decode()
    assert "No estimation method" in detail and "Risks not revisited" in detail
    assert "Planning guideline" in client.get(first.get_absolute_url()).content.decode()
    appraisal_page = client.get(first.appraisal.get_absolute_url()).content.decode()
    assert f'name="findings" value="{first.pk}"' in appraisal_page
    assert f'name="findings" value="{strength.pk}"' not in appraisal_page
    refused = client.post(
        "/improvements/from-findings/", {**data, "findings": [strength.pk]}, follow=True
    )
    assert "Only weaknesses become improvements." in refused.content.decode()
    no_title = client.post("/improvements/from-findings/", {**data, "title": ""}, follow=True)
    assert "Give the improvement a title." in no_title.content.decode()
    assert Improvement.objects.count() == 1


def test_one_improvement_per_weakness(people, client_as):
    first = FindingFactory()
    second = FindingFactory(appraisal=first.appraisal, process_area=first.process_area)
    client_as(people.epg).post(
        "/improvements/from-findings/",
        {"appraisal": first.appraisal.pk, "findings": [first.pk, second.pk], "separately": "1"},
    )
    assert [list(i.findings.all()) for i in Improvement.objects.order_by("pk")] == [
        [first],
        [second],
    ]


def test_an_improvement_from_a_need(people, client_as):
    need = ProcessNeedFactory(statement="Releases on time")
    client = client_as(people.epg)
    response = client.post(f"/improvements/from-need/{need.pk}/")
    improvement = Improvement.objects.get()
    assert response.url == improvement.get_absolute_url()
    assert list(improvement.needs.all()) == [need]
    assert improvement.get_absolute_url() in client.get(need.get_absolute_url()).content.decode()
    assert (
        client_as(people.appraiser).post(f"/improvements/from-need/{need.pk}/").status_code == 403
    )
    assert (
        client_as(people.member)
        .post("/improvements/from-findings/", {"appraisal": 1, "findings": [1]})
        .status_code
        == 403
    )


@pytest.mark.usefixtures("uncached_figures")
def test_list_and_api_of_500_improvements_run_fixed_queries(criteria, people, client_as, api_as):
    benefit, cost = criteria
    client, api = client_as(people.epg), api_as(people.epg)

    def count(call) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert call().status_code == 200
        return len(ctx.captured_queries)

    def make(n: int, start: int) -> None:
        made = Improvement.objects.bulk_create(
            Improvement(title=f"Improvement {start + i}", owner=people.epg) for i in range(n)
        )
        ImprovementScore.objects.bulk_create(
            ImprovementScore(improvement=i, criterion=c, value=(k % 5) + 1)
            for k, i in enumerate(made)
            for c in (benefit, cost)
        )
        Improvement.objects.recompute_priority()  # bulk writes send no signal

    make(5, 0)
    page, rest = (
        count(lambda: client.get("/improvements/")),
        count(lambda: api.get("/api/v1/improvements/")),
    )
    make(495, 5)
    assert count(lambda: client.get("/improvements/")) == page
    assert count(lambda: api.get("/api/v1/improvements/", {"page_size": 500})) == rest
    assert count(lambda: client.get("/improvements/", {"sort": "-priority"})) == page
    rows = api.get("/api/v1/improvements/", {"page_size": 500}).json()["results"]
    assert len(rows) == 500
    assert [r["priority"] for r in rows] == sorted((r["priority"] for r in rows), reverse=True)
    assert len({r["priority"] for r in rows}) == 5  # benefit 5x(1..5) + cost 2x(6-(1..5))


def test_the_api_holds_clients_to_the_schema_types(people, api_as):
    api = api_as(people.epg)
    for payload, field in (
        ({"title": "X", "needs": {}}, "needs"),
        ({"title": 0}, "title"),
        ({"title": "X", "owner": "1"}, "owner"),
    ):
        response = api.post("/api/v1/improvements/", payload, format="json")
        assert response.status_code == 400, payload
        assert field in field_errors(response)
    # Bodies are JSON only (#22): a form body is refused before anything is read.
    form = api.post(
        "/api/v1/prioritization-criteria/",
        {"name": "Benefit", "weight": "3", "active": "true", "order": "1"},
        format="multipart",
    )
    assert form.status_code == 415
    ok = api.post(
        "/api/v1/prioritization-criteria/",
        {"name": "Benefit", "weight": 3, "active": True, "order": 1},
        format="json",
    )
    assert ok.status_code == 201
    assert not Improvement.objects.exists()


@pytest.mark.usefixtures("uncached_figures")  # reads the COUNT each request makes
def test_the_list_counts_its_rows_without_computing_their_priority(
    criteria, people, client_as, api_as
):
    """The paginator's COUNT reads the plain rows with the list's filters, not the
    priority summed over every row's scores (ObjectListView.lean_count)."""
    for n in range(3):
        improvement = ImprovementFactory(title=f"Scored {n}")
        for criterion in criteria:
            ImprovementScore.objects.create(improvement=improvement, criterion=criterion, value=4)
    ImprovementFactory(title="Rejected", state=Improvement.State.REJECTED)
    client = client_as(people.member)
    for query, shown in (({}, 4), ({"state": "rejected"}, 1), ({"q": "Scored"}, 3)):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/improvements/", query)
        assert response.context["table"].paginator.count == shown
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]
        assert counts and all("SUM(" not in sql and "CASE" not in sql for sql in counts)
    api = api_as(people.member)
    for query, shown in (({}, 4), ({"state": "rejected"}, 1), ({"ordering": "-priority"}, 4)):
        with CaptureQueriesContext(connection) as ctx:
            answer = api.get("/api/v1/improvements/", query).json()
        assert answer["count"] == shown and len(answer["results"]) == shown
        counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]
        assert counts and all("SUM(" not in sql and "CASE" not in sql for sql in counts)
