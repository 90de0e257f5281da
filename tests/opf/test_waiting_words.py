"""How long something waited, in words a person reads (``{{ since|waiting }}``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from opf.templatetags.opf_ui import waiting


@pytest.mark.parametrize(
    ("age", "words"),
    [
        (timedelta(minutes=3), "waiting since today"),
        (timedelta(hours=23), "waiting since today"),
        (timedelta(days=3, hours=2), "waiting 3\xa0days"),
        (timedelta(days=75), "waiting 2\xa0months"),
    ],
)
def test_waiting_reads_as_words_never_zero_minutes(age, words):
    assert waiting(timezone.now() - age) == words


def test_nothing_waited_says_nothing():
    assert waiting(None) == ""
