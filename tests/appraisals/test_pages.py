"""Every page of needs, appraisals and improvements renders on the demo data."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from actions.models import Improvement
from appraisals import queries
from appraisals.models import (
    Appraisal,
    Finding,
    LeadAppraiserQualification,
    PracticeCharacterization,
    ProcessNeed,
    Rating,
)
from opf.core.accounts import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("demo_data", stdout=StringIO())


def test_demo_pages_render_for_every_role(demo, client):
    running = Appraisal.objects.get(state=Appraisal.State.IN_PROGRESS)
    closed = running.previous  # the demo also has an older closed one (stuck at level 2)
    assert closed.state == Appraisal.State.CLOSED
    urls = [
        "/process-needs/",
        ProcessNeed.objects.first().get_absolute_url(),
        "/appraisals/",
        closed.get_absolute_url(),
        running.get_absolute_url(),
        f"/appraisals/{closed.pk}/grid/",
        f"/appraisals/{running.pk}/grid/",
        f"/appraisals/{closed.pk}/report/",
        f"/appraisals/{running.pk}/report/",
        "/findings/",
        Finding.objects.first().get_absolute_url(),
        "/evidence/",
        "/ratings/",
        Rating.objects.first().get_absolute_url(),
        "/recommendations/",
        "/improvements/",
        Improvement.objects.first().get_absolute_url(),
        "/prioritization-criteria/",
        "/maturity/",
        f"/appraisals/{closed.pk}/unit-characterizations/",
        f"/appraisals/{running.pk}/unit-characterizations/",
        "/lead-appraisers/",
        LeadAppraiserQualification.objects.first().get_absolute_url(),
    ]
    for username in ("epg", "appraiser", "exec", "member"):
        client.force_login(User.objects.get(username=username))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url)


def test_demo_has_two_appraisals_and_a_ranked_improvement_list(demo):
    running = Appraisal.objects.get(state=Appraisal.State.IN_PROGRESS)
    closed = running.previous  # the demo also has an older closed one (stuck at level 2)
    assert closed.state == Appraisal.State.CLOSED
    assert running.previous == closed
    assert (
        closed.method == Appraisal.Method.SCAMPI_B and not closed.ratings.exists()
    )  # B: no rating
    class_a = Appraisal.objects.get(method=Appraisal.Method.SCAMPI_A)
    assert class_a.ratings.exclude(value="").count() == class_a.ratings.count() > 0
    assert not Rating.objects.exclude(appraisal__method=Appraisal.Method.SCAMPI_A).exists()
    assert closed.findings.filter(kind="weakness").count() >= 3
    assert running.findings.count() >= 3
    ranked = list(Improvement.objects.ranked())
    assert len(ranked) >= 5
    assert ranked[0].rank_override == 1
    priorities = [i.priority for i in ranked[1:]]
    assert priorities == sorted(priorities, reverse=True)
    assert Improvement.objects.filter(state="selected").count() == 3
    # every improvement says where it comes from: findings, needs or an accepted proposal
    assert all(i.findings.exists() or i.needs.exists() or hasattr(i, "proposal") for i in ranked)


def test_demo_leads_are_qualified_and_unit_values_are_proposed(demo):
    """Every demo appraisal's lead holds a certificate valid on its dates; one lapsed
    certificate shows the rule; the delivered appraisals carry unit characterizations."""
    for appraisal in Appraisal.objects.exclude(lead_appraiser=None):
        assert appraisal.qualification_error() == "", appraisal
    today = date.today()
    assert LeadAppraiserQualification.objects.filter(expires_on__lt=today).exists()
    class_a = Appraisal.objects.get(method=Appraisal.Method.SCAMPI_A)
    assert PracticeCharacterization.objects.filter(appraisal=class_a).exists()


def test_demo_class_a_is_rated_from_its_characterizations(demo):
    """#18: the lead confirms the method's proposals; only SAM is overridden (to Not
    applicable, with its reason), and the team judged the goal a high weakness touches."""
    class_a = Appraisal.objects.get(method=Appraisal.Method.SCAMPI_A)
    overridden = [r for r in class_a.ratings.select_related("process_area") if r.overridden]
    assert [(r.process_area.abbreviation, r.value) for r in overridden] == [
        ("SAM", "not_applicable")
    ]
    assert class_a.ratings.filter(proposed="satisfied").count() >= 6
    judged = class_a.goal_ratings.exclude(value="").select_related("goal__process_area").get()
    assert (judged.goal.process_area.abbreviation, judged.proposed, judged.value) == (
        "PMC",
        "not_satisfied",
        "satisfied",
    )
    assert [level for _unit, level in queries.maturity_by_unit(class_a)] == [2]


def test_demo_class_b_shows_an_indicative_profile_not_a_rating(demo, client):
    class_b = Appraisal.objects.get(method=Appraisal.Method.SCAMPI_B)
    rows = queries.indicative_profile(class_b)
    assert {r.process_area.abbreviation for r in rows} == {"REQM", "PP", "PMC"}
    assert {r.org_unit.code for r in rows} == {"avionics", "ground"}
    assert any(r.indication == "gaps" for r in rows)
    client.force_login(User.objects.get(username="epg"))
    page = client.get(class_b.get_absolute_url()).content.decode()
    assert "Indicative profile – not a rating" in page
