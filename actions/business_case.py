"""An improvement's business case in money: pure arithmetic, no database.

Cost = estimated hours x hourly rate + other cost. Annual benefit = money per year
+ hours saved per year x hourly rate. Expected return (first year) = benefit - cost;
payback = cost ÷ (benefit ÷ 12) months; benefit/cost ratio = benefit ÷ cost.
Worked example: 120 h x 90/h + 2,000 other = 12,800 cost; 48,000 a year of benefit
→ return 35,200, payback 3.2 months, ratio 3.75.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
MONTHS = Decimal("12")

# A computed prioritization criterion scores the ratio 1-5: (lowest ratio, score),
# highest band first. Below 1 the change costs more than it brings in a year.
RATIO_BANDS: tuple[tuple[Decimal, int], ...] = (
    (Decimal("5"), 5),
    (Decimal("3"), 4),
    (Decimal("2"), 3),
    (Decimal("1"), 2),
)
RATIO_FLOOR_SCORE = 1


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class BusinessCase:
    rate: Decimal
    estimated_hours: Decimal | None = None
    other_cost: Decimal = ZERO
    money_per_year: Decimal | None = None
    hours_per_year: Decimal | None = None
    spent_hours: Decimal | None = None

    @property
    def has_cost(self) -> bool:
        return self.estimated_hours is not None or bool(self.other_cost)

    @property
    def has_benefit(self) -> bool:
        return self.money_per_year is not None or self.hours_per_year is not None

    @property
    def cost(self) -> Decimal:
        """Estimated cost: hours x rate + other cost."""
        return _money((self.estimated_hours or ZERO) * self.rate + (self.other_cost or ZERO))

    @property
    def annual_benefit(self) -> Decimal:
        """Expected benefit a year in money: money + hours saved x rate."""
        return _money((self.money_per_year or ZERO) + (self.hours_per_year or ZERO) * self.rate)

    @property
    def expected_return(self) -> Decimal | None:
        """First-year return: annual benefit - cost (none without a benefit)."""
        if not self.has_benefit:
            return None
        return self.annual_benefit - self.cost

    @property
    def payback_months(self) -> Decimal | None:
        """Months of benefit that pay the cost back: cost ÷ (benefit ÷ 12)."""
        if self.annual_benefit <= 0:
            return None
        months = self.cost * MONTHS / self.annual_benefit
        return months.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def ratio(self) -> Decimal | None:
        """Benefit/cost ratio: annual benefit ÷ cost (none without both)."""
        if self.cost <= 0 or self.annual_benefit <= 0:
            return None
        return (self.annual_benefit / self.cost).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def ratio_score(self) -> int | None:
        """The ratio as a 1-5 score for a computed prioritization criterion."""
        if self.cost <= 0 or self.annual_benefit <= 0:
            return None
        return ratio_score(self.annual_benefit, self.cost)

    @property
    def actual_cost(self) -> Decimal | None:
        """Spent hours of the plans' items x rate (none before any plan)."""
        if self.spent_hours is None:
            return None
        return _money(self.spent_hours * self.rate)


def ratio_score(benefit: Decimal, cost: Decimal) -> int:
    """Score 1-5 of ``benefit ÷ cost`` (both positive), by ``RATIO_BANDS``."""
    for lowest, score in RATIO_BANDS:
        if benefit >= lowest * cost:
            return score
    return RATIO_FLOOR_SCORE


@dataclass(frozen=True)
class PortfolioSums:
    """What a portfolio's figures are made of: how many cases, their costs and annual
    benefits summed (``benefit`` None when no case has one), the actual cost of those
    with spent effort (None without) and their estimated cost. ``Portfolio.sums`` adds
    them up from the cases; a caller that summed them elsewhere (in the database) gets
    the same figures from ``total``."""

    count: int
    cost: Decimal
    benefit: Decimal | None
    actual_cost: Decimal | None
    estimated_cost_of_spent: Decimal

    @property
    def total(self) -> BusinessCase:
        """The sums, as one case at a rate of 1 (cost and benefit are money already)."""
        return BusinessCase(rate=Decimal("1"), other_cost=self.cost, money_per_year=self.benefit)


@dataclass(frozen=True)
class Portfolio:
    """The business cases of several improvements, summed: cost, annual benefit, the
    first-year return, payback and ratio of the sums (the same rules as one case), and
    the actual cost so far against the estimate of those with spent effort.

    Worked example: 12,800 cost and 48,000 a year, plus 9,000 cost and 6,000 a year →
    21,800 cost, 54,000 a year, return 32,200, payback 4.8 months, ratio 2.48."""

    cases: tuple[BusinessCase, ...]

    @property
    def sums(self) -> PortfolioSums:
        return PortfolioSums(
            count=len(self.cases),
            cost=sum((c.cost for c in self.cases), ZERO),
            benefit=sum((c.annual_benefit for c in self.cases), ZERO)
            if any(c.has_benefit for c in self.cases)
            else None,
            actual_cost=self.actual_cost,
            estimated_cost_of_spent=self.estimated_cost_of_spent,
        )

    @property
    def total(self) -> BusinessCase:
        """The sums, as one case at a rate of 1 (cost and benefit are money already)."""
        return self.sums.total

    @property
    def actual_cost(self) -> Decimal | None:
        """Actual cost so far of the improvements with plans' effort (none without)."""
        spent = [c.actual_cost for c in self.cases if c.actual_cost is not None]
        return sum(spent, ZERO) if spent else None

    @property
    def estimated_cost_of_spent(self) -> Decimal:
        """The estimated cost of those same improvements (what the actual cost is against)."""
        return sum((c.cost for c in self.cases if c.actual_cost is not None), ZERO)
