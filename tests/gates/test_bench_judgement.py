"""How the benchmark judges a tail and the collector (bench/run.py, issue #24), on
made-up timings: a pause inside some requests fails, a machine that runs at another
level from one round to the next does not, a few milliseconds over a short request
do not, and a collection inside a request longer than half the median fails."""

from __future__ import annotations

from bench.run import report, spread, tail_within_rounds

SCALES = [0.1, 1.0, 10.0]


def target(name: str, rounds: list[list[float]], collector_ms: float = 0.0) -> dict:
    timings = [t for ts in rounds for t in ts]
    return {
        "name": name,
        "kind": "page",
        "filtered": False,
        "queries": 7,
        "seq_scans": [],
        "limit_ms": None,
        "rounds_ms": rounds,
        "machine_rounds_ms": rounds,
        "collector_ms": [collector_ms] + [0.0] * (len(timings) - 1),
        "collector_max_ms": collector_ms,
        "timings_ms": timings,
        **spread(timings),
    }


def judged(rows_at: dict[float, list[dict]]) -> list[str]:
    return report(rows_at, SCALES, 1.0, timed=True)[1]


def same_at_every_scale(rounds: list[list[float]], collector_ms: float = 0.0) -> list[str]:
    return judged({s: [target("page", rounds, collector_ms)] for s in SCALES})


def test_levels_that_move_between_rounds_are_no_tail() -> None:
    rounds = [[20, 21, 20, 22, 21], [40, 41, 40, 42, 40], [30, 31, 30, 29, 30], [20] * 5]
    pooled = spread([t for ts in rounds for t in ts])
    assert pooled["p95_ms"] > 1.5 * pooled["median_ms"]  # pooled, it would fail
    assert tail_within_rounds(rounds)[0] < 1.1
    assert same_at_every_scale(rounds) == []


def test_a_pause_in_one_request_of_five_is_a_tail() -> None:
    rounds = [[20, 20, 20, 20, 60]] * 4  # every fifth request pauses 40 ms
    assert tail_within_rounds(rounds) == (3.0, 40.0)
    failures = same_at_every_scale(rounds)
    assert len(failures) == 1
    assert failures[0].startswith("page: p95 3.00× the median of its round (+40 ms)")


def test_a_few_milliseconds_over_a_short_request_are_the_machines() -> None:
    rounds = [[6, 6, 6, 6, 10.5]] * 4  # 1.75x, but 4.5 ms
    assert tail_within_rounds(rounds)[0] == 1.75
    assert same_at_every_scale(rounds) == []
    assert same_at_every_scale([[6, 6, 6, 6, 11.5]] * 4) != []  # 5.5 ms over


def test_a_collection_inside_a_request_longer_than_half_the_median_fails() -> None:
    steady = [[30, 31, 30, 29, 30]] * 4
    assert same_at_every_scale(steady, collector_ms=14.0) == []
    failures = same_at_every_scale(steady, collector_ms=168.0)
    assert failures == [
        "page: the collector ran 168 ms inside one request at scale 0.1 (median 30 ms):"
        " a tail of its own"
    ]
