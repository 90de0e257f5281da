"""Pilot evaluation: pure functions over (comparator, target, result), no database."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from actions.models import SuccessCriterion


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_MEASURED = "not_measured"

    @property
    def label(self) -> str:
        return str(LABELS[self])


LABELS = {
    Outcome.MET: _("Met"),
    Outcome.NOT_MET: _("Not met"),
    Outcome.NOT_MEASURED: _("Not yet measured"),
}

COMPARATORS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "=": operator.eq,
}


def evaluate_criterion(comparator: str, target: Decimal, result: Decimal | None) -> Outcome:
    """``result <comparator> target``: met or not met; no result: not yet measured."""
    if result is None:
        return Outcome.NOT_MEASURED
    try:
        compare = COMPARATORS[comparator]
    except KeyError as error:
        raise ValueError(f"Unknown comparator {comparator!r}") from error
    return Outcome.MET if compare(Decimal(result), Decimal(target)) else Outcome.NOT_MET


def evaluate_pilot(outcomes: Iterable[Outcome]) -> Outcome:
    """Met when every criterion is met; not met as soon as one is not met;
    otherwise (some not measured, or no criteria at all) not yet measured."""
    seen = list(outcomes)
    if Outcome.NOT_MET in seen:
        return Outcome.NOT_MET
    if seen and all(o == Outcome.MET for o in seen):
        return Outcome.MET
    return Outcome.NOT_MEASURED


@dataclass(frozen=True)
class CriterionResult:
    criterion: SuccessCriterion
    outcome: Outcome


def evaluate(criteria: Iterable[SuccessCriterion]) -> tuple[list[CriterionResult], Outcome]:
    """Each ``SuccessCriterion`` (already loaded) with its outcome, and the pilot's."""
    rows = [
        CriterionResult(c, evaluate_criterion(c.comparator, c.target, c.result)) for c in criteria
    ]
    return rows, evaluate_pilot(r.outcome for r in rows)
