"""What this area shows on the pages of ``actions`` (see ``opf.core.registry.page_context``):
an improvement's measured effect (``lessons.effect_queries``), with its XmR chart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from lessons import effect_queries
from lessons import measured_effect as rule
from opf.core import charts

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User


def effect_chart(effect: effect_queries.Effect) -> charts.Chart | None:
    """The across-projects series: baseline then after, the baseline's limits, the
    signals of a shift marked and a line where the deployment went into use."""
    across = effect.across
    if across is None or across.centre is None or effect.measure is None:
        return None
    assert across.ucl is not None and across.lcl is not None
    points = across.baseline + across.after
    labels = [p.strftime("%Y-%m") for p, _v in points]
    offset = len(across.baseline)
    return charts.line_chart(
        str(_("Measured effect: %(measure)s") % {"measure": effect.measure}),
        labels,
        [
            charts.Series(
                str(_("Mean of the projects")),
                [v for _p, v in points],
                marked=frozenset(offset + i for i in (*across.better, *across.worse)),
            )
        ],
        x_label=str(_("Month")),
        y_label=effect.measure.unit,
        ref_lines=[
            charts.RefLine(across.ucl, str(_("UNPL"))),
            charts.RefLine(across.centre, str(_("Baseline mean"))),
            charts.RefLine(across.lcl, str(_("LNPL"))),
        ],
        x_marks=[(offset - 0.5, str(_("Deployed")))] if across.after else [],
    )


def improvement_effect(user: User | AnonymousUser, context: dict[str, Any]) -> dict[str, Any]:
    """An improvement's page: its measured effect, the chart and the rule in words."""
    effect = effect_queries.effect_of(context["object"])
    return {
        "effect": effect,
        "effect_chart": effect_chart(effect),
        "effect_rule": effect_queries.rule_text(),
        "effect_verdicts": rule.VERDICTS,
    }


CONTEXT = {"actions.improvement_detail": improvement_effect}
