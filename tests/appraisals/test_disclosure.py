"""The appraisal disclosure statement: scope, people, method, dates, ratings, expiry."""

from __future__ import annotations

from datetime import date

import pytest

from appraisals import services
from appraisals.models import Appraisal

pytestmark = pytest.mark.django_db


def test_a_class_a_statement_shows_ratings_and_their_expiry(conducting, people, client_as):
    s = conducting
    for rating in services.ratings_refresh(s.appraisal):
        services.rating_confirm(rating, value="satisfied", reason="Judged", actor=s.lead)
    Appraisal.objects.filter(pk=s.appraisal.pk).update(
        state="closed", actual_start=date(2026, 3, 2), actual_end=date(2026, 3, 6)
    )
    page = client_as(people.member).get(f"/appraisals/{s.appraisal.pk}/disclosure/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "These ratings expire on 6 Mar 2029." in html
    assert str(s.lead) in html and str(s.member) in html and str(s.project) in html
    assert f"{s.unit}: ML 2" in html
    assert "SCAMPI A" in html


def test_a_class_c_statement_has_no_rating(conducting, people, client_as):
    s = conducting
    services.ratings_refresh(s.appraisal)
    Appraisal.objects.filter(pk=s.appraisal.pk).update(method="scampi_c")
    html = (
        client_as(people.member).get(f"/appraisals/{s.appraisal.pk}/disclosure/").content.decode()
    )
    assert "Only a SCAMPI Class A appraisal rates" in html
    assert "expire on" not in html and 'id="ads-maturity"' not in html
