"""Pilots: criterion evaluation (a pure function), results, the decision, and
the way from an adopted pilot to an asset version."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions import services
from actions.evaluation import Outcome, evaluate, evaluate_criterion, evaluate_pilot
from actions.models import Pilot, SuccessCriterion
from opf.core.errors import TransitionRefused
from tests.actions.factories import PilotFactory, SuccessCriterionFactory
from tests.problems import field_errors

D = Decimal


@pytest.mark.parametrize(
    ("comparator", "target", "result", "expected"),
    [
        (">=", "10", "10", Outcome.MET),
        (">=", "10", "9.99", Outcome.NOT_MET),
        ("<=", "15", "15", Outcome.MET),
        ("<=", "15", "15.01", Outcome.NOT_MET),
        (">", "0", "0", Outcome.NOT_MET),
        (">", "0", "0.01", Outcome.MET),
        ("<", "5", "5", Outcome.NOT_MET),
        ("<", "5", "-1", Outcome.MET),
        ("=", "3", "3.00", Outcome.MET),
        ("=", "3", "3.01", Outcome.NOT_MET),
        (">=", "10", None, Outcome.NOT_MEASURED),
        ("=", "0", None, Outcome.NOT_MEASURED),
    ],
)
def test_a_criterion_is_met_when_the_result_compares_to_the_target(
    comparator, target, result, expected
):
    value = None if result is None else D(result)
    assert evaluate_criterion(comparator, D(target), value) == expected


def test_an_unknown_comparator_is_an_error():
    with pytest.raises(ValueError, match="comparator"):
        evaluate_criterion("~", D(1), D(1))


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ([Outcome.MET, Outcome.MET], Outcome.MET),
        ([Outcome.MET, Outcome.NOT_MET], Outcome.NOT_MET),
        ([Outcome.NOT_MEASURED, Outcome.NOT_MET], Outcome.NOT_MET),
        ([Outcome.MET, Outcome.NOT_MEASURED], Outcome.NOT_MEASURED),
        ([], Outcome.NOT_MEASURED),
    ],
)
def test_a_pilot_is_met_when_every_criterion_is(outcomes, expected):
    assert evaluate_pilot(outcomes) == expected


def test_evaluate_reads_the_criteria_objects():
    met = SuccessCriterion(comparator=">=", target=D(1), result=D(2))
    unmet = SuccessCriterion(comparator="<=", target=D(1), result=D(2))
    rows, outcome = evaluate([met, unmet])
    assert [r.outcome for r in rows] == [Outcome.MET, Outcome.NOT_MET]
    assert outcome == Outcome.NOT_MET


@pytest.mark.django_db
class TestPilotLifecycle:
    def test_results_then_decision(self, people, api_as):
        pilot = PilotFactory()
        first = SuccessCriterionFactory(pilot=pilot, comparator="<=", target=D("15"))
        second = SuccessCriterionFactory(pilot=pilot, comparator=">=", target=D("80"))
        api = api_as(people.epg)
        url = f"/api/v1/pilots/{pilot.pk}"
        payload = {"results": [{"criterion": first.pk, "value": "12.00"}]}
        early = api.post(f"{url}/record-results/", payload, format="json")
        assert early.status_code == 409  # planned: not running yet
        assert api.post(f"{url}/start/", {}, format="json").json()["state"] == "running"
        recorded = api.post(f"{url}/record-results/", payload, format="json")
        assert recorded.status_code == 200, recorded.json()
        assert recorded.json()["outcome"] == "not_measured"
        payload = {"results": [{"criterion": second.pk, "value": "85.00"}]}
        assert api.post(f"{url}/record-results/", payload, format="json").json()["outcome"] == "met"
        criterion = api.get(f"/api/v1/success-criteria/{first.pk}/").json()
        assert (criterion["result"], criterion["outcome"]) == ("12.00", "met")
        assert (
            api.post(
                f"{url}/decide/", {"decision": "adopt", "rationale": "x"}, format="json"
            ).status_code
            == 409
        )  # running, not evaluated
        assert api.post(f"{url}/evaluate/", {}, format="json").json()["state"] == "evaluated"
        missing = api.post(f"{url}/decide/", {"decision": "adopt", "rationale": ""}, format="json")
        assert missing.status_code == 400 and "rationale" in field_errors(missing)
        assert (
            api.post(
                f"{url}/decide/", {"decision": "keep", "rationale": "x"}, format="json"
            ).status_code
            == 400
        )
        decided = api.post(
            f"{url}/decide/", {"decision": "adopt", "rationale": "Both met."}, format="json"
        )
        assert decided.status_code == 200
        assert (decided.json()["state"], decided.json()["decision"]) == ("decided", "adopt")
        assert Pilot.objects.get(pk=pilot.pk).rationale == "Both met."

    def test_results_of_another_pilots_criterion_are_refused(self, people, api_as):
        pilot = PilotFactory()
        services.pilot_start(pilot, actor=people.epg)
        foreign = SuccessCriterionFactory()
        response = api_as(people.epg).post(
            f"/api/v1/pilots/{pilot.pk}/record-results/",
            {"results": [{"criterion": foreign.pk, "value": "1.00"}]},
            format="json",
        )
        assert response.status_code == 400
        assert SuccessCriterion.objects.get(pk=foreign.pk).result is None

    def test_readers_cannot_run_a_pilot(self, people, api_as):
        pilot = PilotFactory()
        for role in ("member", "executive", "pm"):
            api = api_as(people.by_role(role))
            assert (
                api.post(f"/api/v1/pilots/{pilot.pk}/start/", {}, format="json").status_code == 403
            )
        with pytest.raises(TransitionRefused):
            services.pilot_decide(pilot, decision="adopt", rationale="x", actor=people.member)

    def test_pilot_page_results_decision_and_release_link(self, people, client_as):
        pilot = PilotFactory()
        criterion = SuccessCriterionFactory(pilot=pilot, comparator="<=", target=D("15"))
        client = client_as(people.epg)
        client.post(f"/pilots/{pilot.pk}/do/start/")
        client.post(f"/pilots/{pilot.pk}/results/", {f"c{criterion.pk}": "9.5"})
        assert SuccessCriterion.objects.get(pk=criterion.pk).result == D("9.5")
        bad = client.post(f"/pilots/{pilot.pk}/results/", {f"c{criterion.pk}": "lots"}, follow=True)
        assert "Results are numbers" in bad.content.decode()
        page = client.get(pilot.get_absolute_url())
        assert page.context["outcome"] == Outcome.MET
        assert f"/pilots/{pilot.pk}/do/decide/" not in page.content.decode()
        client.post(f"/pilots/{pilot.pk}/do/evaluate/")
        refused = client.post(
            f"/pilots/{pilot.pk}/decide/", {"decision": "adopt", "rationale": ""}, follow=True
        )
        assert "rationale" in refused.content.decode()
        client.post(f"/pilots/{pilot.pk}/decide/", {"decision": "adopt", "rationale": "Met."})
        page = client.get(pilot.get_absolute_url()).content.decode()
        assert f"/asset-versions/add/?pilot={pilot.pk}" in page
        member_page = client_as(people.member).get(pilot.get_absolute_url()).content.decode()
        assert f"/asset-versions/add/?pilot={pilot.pk}" not in member_page


@pytest.mark.django_db
def test_an_asset_version_names_the_adopted_pilot_that_produced_it(people, client_as, api_as):
    from tests.deployment.factories import ProcessAssetFactory

    pilot = PilotFactory()
    asset = ProcessAssetFactory()
    payload = {
        "asset": asset.pk,
        "number": "2.0",
        "change_summary": "From the pilot.",
        "link": "https://pal.example/x/2.0/",
        "pilot": pilot.pk,
    }
    api = api_as(people.epg)
    refused = api.post("/api/v1/asset-versions/", payload, format="json")
    assert refused.status_code == 400 and "pilot" in field_errors(refused)  # not adopted
    Pilot.objects.filter(pk=pilot.pk).update(state="decided", decision="adopt")
    form = client_as(people.epg).get(f"/asset-versions/add/?pilot={pilot.pk}").context["form"]
    assert form.initial["pilot"] == str(pilot.pk)
    created = api.post("/api/v1/asset-versions/", payload, format="json")
    assert created.status_code == 201, created.json()
    version_url = f"/asset-versions/{created.json()['id']}/"
    assert pilot.get_absolute_url() in client_as(people.member).get(version_url).content.decode()
    assert version_url in client_as(people.member).get(pilot.get_absolute_url()).content.decode()
