from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from opf.ui.tables import ObjectTable

from .models import Improvement, PrioritizationCriterion


class PrioritizationCriterionTable(ObjectTable):
    name = tables.Column(linkify=True)
    weight = tables.Column(attrs={"td": {"class": "num"}})

    class Meta(ObjectTable.Meta):
        model = PrioritizationCriterion
        fields = ("name", "weight", "higher_is_better", "active", "order")


class ImprovementTable(ObjectTable):
    """Ranked: pinned (manual rank) first, then by the weighted priority."""

    title = tables.Column(linkify=True)
    priority = tables.Column(verbose_name=_("Priority"), attrs={"td": {"class": "num"}})
    rank_override = tables.Column(
        verbose_name=_("Manual rank"),
        attrs={"td": {"class": "num"}},
        order_by=("pinned", "rank_override", "-priority"),
    )

    class Meta(ObjectTable.Meta):
        model = Improvement
        fields = ("title", "priority", "rank_override", "state", "owner")
        order_by = ("rank_override",)
