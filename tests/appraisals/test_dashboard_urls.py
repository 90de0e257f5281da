"""The maturity panel reverses the appraisals' URL once (``appraisals.dashboard._urls``):
each is the URL ``reverse()`` gives for that appraisal."""

from __future__ import annotations

from django.urls import reverse

from appraisals.dashboard import _urls


def test_one_reverse_gives_each_appraisals_url():
    pks = [7, 123, 40_000]
    urls = _urls("appraisals:appraisal_detail", pks)
    assert urls == {pk: reverse("appraisals:appraisal_detail", args=[pk]) for pk in pks}
    assert urls[123] == "/appraisals/123/"
    assert _urls("appraisals:appraisal_detail", []) == {}


def test_a_url_without_the_pk_as_such_is_reversed_for_each(monkeypatch):
    """Were the URL not to show the pk as given (a converter that writes it otherwise),
    each is reversed: the same URLs, never a wrong one."""
    import appraisals.dashboard as dashboard

    monkeypatch.setattr(dashboard, "_url", lambda name, pk: f"/a/{pk:x}/")  # hexadecimal
    assert _urls("any", [10, 255]) == {10: "/a/a/", 255: "/a/ff/"}
