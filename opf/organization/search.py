"""The organization's records in the global search (``opf.core.search``)."""

from opf.core.accounts import User
from opf.core.search import Searchable
from opf.organization.models import OrgUnit, Project

KINDS = [
    Searchable(
        Project,
        text=("name", "description"),
        codes=("code",),
        select_related=("org_unit",),
        detail=lambda p: f"{p.code} · {p.org_unit}" if p.org_unit_id else p.code,
    ),
    Searchable(OrgUnit, text=("name", "description"), codes=("code",), detail=lambda u: u.code),
    Searchable(
        User,
        text=("first_name", "last_name", "username", "job_title"),
        detail=lambda u: u.job_title,
    ),
]
