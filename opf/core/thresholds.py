"""Dashboard thresholds: Django settings, else environment variables, else defaults.

- ``OPF_STUCK_AT_LEVEL2_MONTHS`` (18): an org unit whose latest maturity level is 2
  and that has been at level 2 for longer than this is called out (the gap);
- ``OPF_MOMENTUM_FALLING_MONTHS`` (3): warn when the momentum total fell this many
  months in a row;
- ``OPF_ENTERPRISE_WIDE_SHARE`` (50): an open initiative reaching this percentage of
  the organization's active projects, in more than one department, is enterprise-wide
  (one aimed at the root unit always is; one within a single department never is;
  the rest is cross-departmental). See ``opf.steering.dashboard.panels.scope``;
- ``OPF_CHURN_MONTHS`` (12): an initiative that ended without deploying anything and
  another one started within this many months in another owning unit or with another
  method is churn (the gap essay's pattern);
- ``OPF_EFFECT_BASELINE_MONTHS`` (12): an improvement's measured effect takes its
  baseline from the benefit measure's points in this many months before its first
  deployment (``lessons.measured_effect``);
- ``OPF_EFFECT_MIN_AFTER_POINTS`` (8): with this many points after the deployment and
  no shift, the improvement is judged not effective (fewer: not yet shown);
- ``OPF_COMPLIANCE_WEIGHT_MINOR`` (1), ``OPF_COMPLIANCE_WEIGHT_MAJOR`` (2),
  ``OPF_COMPLIANCE_WEIGHT_CRITICAL`` (3): how many compliant items a non-compliant
  item of that severity weighs in the severity-weighted compliance
  (``lessons.process_measures``).

They are deployment settings (like ``OPF_DEPLOYMENT_STALE_DAYS``) rather than
records because they change rarely and the same values must hold for the page,
the API and the briefings; a bad value fails loudly at the first dashboard read.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS = {
    "OPF_STUCK_AT_LEVEL2_MONTHS": 18,
    "OPF_MOMENTUM_FALLING_MONTHS": 3,
    "OPF_ENTERPRISE_WIDE_SHARE": 50,
    "OPF_CHURN_MONTHS": 12,
    "OPF_EFFECT_BASELINE_MONTHS": 12,
    "OPF_EFFECT_MIN_AFTER_POINTS": 8,
    "OPF_COMPLIANCE_WEIGHT_MINOR": 1,
    "OPF_COMPLIANCE_WEIGHT_MAJOR": 2,
    "OPF_COMPLIANCE_WEIGHT_CRITICAL": 3,
}
MAXIMA = {"OPF_ENTERPRISE_WIDE_SHARE": 100}  # a percentage


def value(name: str) -> int:
    raw: Any = getattr(settings, name, None)
    if raw is None:
        raw = os.environ.get(name, DEFAULTS[name])
    try:
        number = int(raw)
    except (TypeError, ValueError) as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from error
    if number < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1")
    if number > MAXIMA.get(name, number):
        raise ImproperlyConfigured(f"{name} must be at most {MAXIMA[name]}")
    return number


def stuck_months() -> int:
    return value("OPF_STUCK_AT_LEVEL2_MONTHS")


def falling_months() -> int:
    return value("OPF_MOMENTUM_FALLING_MONTHS")


def enterprise_share() -> int:
    """The percentage of active projects from which an initiative is enterprise-wide."""
    return value("OPF_ENTERPRISE_WIDE_SHARE")


def churn_months() -> int:
    return value("OPF_CHURN_MONTHS")


def effect_baseline_months() -> int:
    return value("OPF_EFFECT_BASELINE_MONTHS")


def effect_min_after_points() -> int:
    return value("OPF_EFFECT_MIN_AFTER_POINTS")


def compliance_weights() -> dict[str, int]:
    """The weight of a non-compliant item by its non-compliance's severity."""
    return {
        severity: value(f"OPF_COMPLIANCE_WEIGHT_{severity.upper()}")
        for severity in ("minor", "major", "critical")
    }
