from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from opf.core.accounts import User
from opf.core.roles import role_labels
from opf.core.ui.tables import ObjectTable
from opf.organization.models import OrgUnit, Project


class OrgUnitTable(ObjectTable):
    name = tables.Column(linkify=True)
    parent = tables.Column(linkify=True)
    head = tables.Column()
    project_count = tables.Column(verbose_name=_("Active projects"), orderable=True)

    class Meta(ObjectTable.Meta):
        model = OrgUnit
        fields = ("name", "code", "parent", "head", "project_count", "active")
        order_by = ("path",)


class ProjectTable(ObjectTable):
    name = tables.Column(linkify=True)
    org_unit = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Project
        fields = (
            "name",
            "code",
            "org_unit",
            "manager",
            "phase",
            "project_type",
            "size_class",
            "start_date",
            "active",
        )


class UserTable(ObjectTable):
    username = tables.Column(linkify=True)
    full_name = tables.Column(
        accessor="get_full_name", verbose_name=_("Name"), order_by=("last_name", "first_name")
    )
    roles = tables.Column(empty_values=(), verbose_name=_("Roles"), orderable=False)

    class Meta(ObjectTable.Meta):
        model = User
        fields = ("username", "full_name", "job_title", "org_unit", "roles", "is_active")

    def render_roles(self, record: User) -> str:
        return ", ".join(role_labels(record))

    def value_roles(self, record: User) -> str:
        # The column has no attribute behind it (its value is None): read the record.
        return ", ".join(role_labels(record))
