"""The funnel's "deployed" stage: an implemented improvement's first release at or
after its implementation, of an asset for one of its process areas, found by bisecting
each area's releases in order (``deployment.dashboard._first_release``)."""

from __future__ import annotations

from datetime import UTC, datetime

from deployment.dashboard import _first_release


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


RELEASES = {1: [at(1), at(10), at(20)], 2: [at(5), at(15)], 3: []}


def test_the_first_release_at_or_after_the_implementation_across_the_areas():
    assert _first_release({1, 2}, RELEASES, at(6)) == at(10)  # area 1's, before area 2's 15th
    assert _first_release({1, 2}, RELEASES, at(11)) == at(15)  # area 2's, before area 1's 20th
    assert _first_release({1}, RELEASES, at(10)) == at(10)  # the same moment counts
    assert _first_release({1}, RELEASES, at(10, 13)) == at(20)


def test_none_without_a_later_release():
    assert _first_release({1, 2}, RELEASES, at(21)) is None
    assert _first_release({3, 4}, RELEASES, at(1)) is None  # no releases, unknown area
    assert _first_release(set(), RELEASES, at(1)) is None
