"""Template tags other pages use to show this area's links and lessons.

``{% load lessons_tags %}``, then:

- ``{% trace_link object %}``: a "Trace" button, for records the trace knows;
- ``{% lessons_panel object %}``: a card that loads the published lessons of a
  project or an asset (HTMX on load; a plain link without JavaScript).
"""

from __future__ import annotations

from django import template
from django.db.models import Model
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lessons.trace import traceable_kinds
from lessons.views import LESSON_TARGETS
from opf.core.urlnames import model_name

register = template.Library()


@register.simple_tag
def trace_link(obj: Model) -> SafeString | str:
    name = model_name(obj)
    if traceable_kinds().get(name) is not type(obj):
        return ""
    url = reverse("lessons:trace", args=[obj._meta.app_label, name, obj.pk])
    return format_html('<a class="button" href="{}">{}</a>', url, _("Trace"))


@register.simple_tag
def lessons_panel(obj: Model) -> SafeString | str:
    name = model_name(obj)
    if LESSON_TARGETS.get(name) is not type(obj):
        return ""
    url = reverse("lessons:lessons_for", args=[name, obj.pk])
    return format_html(
        '<div hx-get="{}" hx-trigger="load" hx-swap="outerHTML">'
        '<section class="card"><h2>{}</h2><p><a href="{}">{}</a></p></section></div>',
        url,
        _("Lessons learned"),
        url,
        _("Published lessons about this"),
    )
