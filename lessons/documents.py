"""This area's chapter of the process improvement plan (GP 2.2): the program's measures,
with their quantitative objectives (GP 4.1), by which the plan's effect is judged."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lessons.models import Measure
from opf.core.documents import PlanSection


def program_measures() -> dict[str, Any]:
    measures = Measure.objects.prefetch_related("objectives").order_by("name")
    return {"measures": measures}


PLAN_SECTIONS = [
    PlanSection(
        50, _("The program's measures"), "documents/sections/measures.html", program_measures
    )
]
