from __future__ import annotations

from typing import Any

from django import forms

from opf.core.accounts import User
from opf.core.roles import PROJECT_MANAGER
from opf.core.ui.forms import ObjectForm, set_queryset
from opf.organization.models import OrgUnit, Project


class DateInput(forms.DateInput):
    input_type = "date"


class OrgUnitForm(ObjectForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "code", "parent", "head", "description", "active"]


class ProjectForm(ObjectForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "code",
            "org_unit",
            "manager",
            "phase",
            "project_type",
            "size_class",
            "start_date",
            "end_date",
            "active",
            "description",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "manager" in self.fields:
            set_queryset(
                self.fields,
                "manager",
                User.objects.filter(groups__name=PROJECT_MANAGER.group, is_active=True),
            )
        if "org_unit" in self.fields:
            set_queryset(self.fields, "org_unit", OrgUnit.objects.filter(active=True))
