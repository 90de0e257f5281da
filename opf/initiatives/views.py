"""Pages of the initiatives: list, record (with what it groups), create, edit, steps."""

from __future__ import annotations

from typing import Any

from opf.core.permissions import restrict
from opf.core.ui.reading import ObjectDetailView
from opf.core.ui.views import ObjectViews
from opf.initiatives import filters, forms, services, tables
from opf.initiatives.models import Initiative

# What an initiative groups: the reverse relations of the lifecycle apps' ``initiative``
# fields (read here by name; this package sits below those apps).
GROUPED = ("appraisals", "improvements", "action_plans")


class InitiativeDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        groups = []
        for name in GROUPED:
            manager = getattr(self.object, name, None)
            if manager is None:
                continue
            rows = restrict(manager.all(), user).order_by("pk")
            groups.append({"title": manager.model._meta.verbose_name_plural, "rows": rows})
        context["grouped"] = groups
        return context


class InitiativeViews(ObjectViews):
    path_prefix = "initiatives"
    model = Initiative
    queryset = Initiative.objects.select_related("owning_unit", "owner", "sponsor")
    table = tables.InitiativeTable
    filterset = filters.InitiativeFilterSet
    form = forms.InitiativeForm
    detail_view = InitiativeDetailView
    detail_template = "opf/initiative_detail.html"
    transitions = {
        "activate": services.initiative_activate,
        "end": services.initiative_end,
        "reopen": services.initiative_reopen,
    }
