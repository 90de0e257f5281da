"""The shared visual language in templates: ``{% load opf_ui %}``.

- ``{{ object|state_badge }}`` (or ``{{ object|state_badge:"status" }}``): a record's
  state as the badge lists show (``opf.core.display.state_badge``);
- ``{{ value|day }}``: a date or date-time the one way pages write it;
- ``{{ since|waiting }}``: how long something has waited, in words a person reads
  ("waiting since today", "waiting 3 days"), never "waiting 0 minutes";
- ``{% characterized rows as progress %}``: how many cells of the characterization
  grid hold a value (FI, LI, PI or NI; NY is "not yet"), out of all;
- ``{% memo key ... %}…{% endmemo %}``: a part that hundreds of rows or cells repeat in
  a few variants (badges, a group of buttons), drawn once per variant in one rendering
  and repeated: its body must depend only on the keys and on what is the same for the
  whole page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from opf.core.display import format_date
from opf.core.display import state_badge as badge

register = template.Library()

CHARACTERIZED = {"FI", "LI", "PI", "NI"}


class MemoNode(template.Node):
    def __init__(self, nodelist: template.NodeList, keys: list[Any]) -> None:
        self.nodelist = nodelist
        self.keys = keys

    def render(self, context: template.Context) -> str:
        key = tuple(_hashable(k.resolve(context)) for k in self.keys)
        if self not in context.render_context:  # this rendering's, this tag's
            context.render_context[self] = {}
        drawn: dict[tuple[Any, ...], str] = context.render_context[self]
        if key not in drawn:
            drawn[key] = self.nodelist.render(context)
        return drawn[key]


def _hashable(value: Any) -> Any:
    return frozenset(value) if isinstance(value, set | list) else value


@register.tag
def memo(parser: template.base.Parser, token: template.base.Token) -> MemoNode:
    keys = token.split_contents()[1:]
    if not keys:
        raise template.TemplateSyntaxError("{% memo %} needs the keys its body depends on.")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, [parser.compile_filter(key) for key in keys])


@register.filter
def state_badge(obj: Any, field: str = "state") -> SafeString | str:
    value = getattr(obj, field, None)
    display = getattr(obj, f"get_{field}_display", None)
    if not value or display is None:
        return ""
    return badge(str(value), display())


@register.filter
def day(value: date | datetime | str | None) -> str:
    """``format_date``; an ISO 8601 string (a dashboard figure, which the API serves
    as it is) is read first."""
    if isinstance(value, str):
        value = (
            (parse_date(value) if len(value) == 10 else parse_datetime(value)) if value else None
        )
    return format_date(value)


@register.filter
def waiting(since: datetime | None) -> str:
    if since is None:
        return ""
    if timezone.now() - since < timedelta(days=1):
        return str(_("waiting since today"))
    return str(_("waiting %(ago)s")) % {"ago": timesince(since, depth=1)}


@dataclass
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@register.simple_tag
def characterized(rows: list[Any]) -> Progress:
    cells = [cell for row in rows for cell in row.cells]
    return Progress(sum(1 for c in cells if c.value in CHARACTERIZED), len(cells))
