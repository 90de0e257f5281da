"""How every form offers its choices: one place for pickers, prompts, people and trees.

``refine_choices(form)`` runs on every ``ObjectForm`` (and forms that call it):

- **people**: a choice of users offers active accounts only (a deactivated person is
  never offered as sponsor, owner, auditor, assignee …); a record that already names
  a deactivated person keeps them, marked "(inactive)", so editing it is not refused;
- **trees**: a choice of org units is ordered by the tree path and indents each unit
  by its depth;
- **prompts**: a real prompt ("Choose a person") instead of Django's "---------";
- **pickers**: selects of people, units, projects, process areas and practices are
  marked ``data-picker``; ``static/js/forms.js`` turns them into searchable pickers
  (Tom Select) and leaves the plain ``<select>`` when JavaScript is off;
- **dependent choices**: a field narrowed by another (practices by their process
  area, ``NARROWED_BY``) shows only the options of the chosen parent and carries
  the URL of its JSON options (``options_view``); what is saved is still checked on
  the server, by the model's own ``clean`` (a practice of another area is refused);
- **length limits**: a text field's limit moves from ``maxlength`` (which makes the
  browser cut a paste silently) to ``data-maxlength``: the page shows a counter and
  the server refuses a longer value with a message.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from opf.core.permissions import can, restrict

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The prompt shown instead of "---------", by model (app label.model name).
PROMPTS: dict[str, StrOrPromise] = {
    "opf.user": _("Choose a person"),
    "opf.orgunit": _("Choose an org unit"),
    "opf.project": _("Choose a project"),
    "opf.processarea": _("Choose a process area"),
    "opf.practice": _("Choose a practice"),
    "opf.referencemodel": _("Choose a reference model"),
}
DEFAULT_PROMPT = _("Choose one")

# A filter's blank choice means "do not filter by this": it says so.
ANY: dict[str, StrOrPromise] = {
    "opf.user": _("Anyone"),
    "opf.orgunit": _("Any org unit"),
    "opf.project": _("Any project"),
    "opf.processarea": _("Any process area"),
    "opf.practice": _("Any practice"),
    "opf.referencemodel": _("Any reference model"),
}
DEFAULT_ANY = _("Any")

# The models whose choices become searchable pickers.
PICKER_MODELS = {"opf.user", "opf.orgunit", "opf.project", "opf.processarea", "opf.practice"}

# child field -> parent field: the child's model has a foreign key named like the parent.
NARROWED_BY: dict[str, str] = {"practice": "process_area", "practices": "process_area"}

# The models whose options the JSON endpoint serves, and the keys they may be narrowed by.
OPTION_SOURCES: dict[str, tuple[str, ...]] = {"opf.practice": ("process_area",)}

INDENT = "\u00a0\u00a0\u00a0"  # one tree level in an option label (kept by browsers)


def label_of(model: type[Model]) -> str:
    return model._meta.label_lower


def is_tree(model: type[Model]) -> bool:
    """A model kept as a materialized-path tree (``path`` field, ``depth`` property)."""
    names = {f.name for f in model._meta.get_fields()}
    return "path" in names and "parent" in names and hasattr(model, "depth")


def _current_pks(value: Any) -> list[Any]:
    """The primary keys a form's initial value names (a pk, an object or a list)."""
    if value in (None, "", []):
        return []
    values = value if isinstance(value, list | tuple | QuerySet) else [value]
    return [getattr(v, "pk", v) for v in values if v not in (None, "")]


def _people(field: forms.ModelChoiceField, current: list[Any]) -> None:
    """Active people only; a deactivated person the record already names stays, marked."""
    queryset = field.queryset
    if queryset is None:
        return
    keep = Q(is_active=True) | Q(pk__in=current) if current else Q(is_active=True)
    field.queryset = queryset.filter(keep)
    if current:
        _mark_inactive(field)


def _tree(field: forms.ModelChoiceField) -> None:
    """Units in tree order, each indented by its depth."""
    if field.queryset is None:
        return
    field.queryset = field.queryset.order_by("path")
    plain = field.label_from_instance

    def label(obj: Any) -> str:
        return INDENT * obj.depth + str(plain(obj))

    field.label_from_instance = label  # type: ignore[method-assign]


def _blank_choice(field: forms.ChoiceField, text: StrOrPromise) -> None:
    """Django's blank choice ("---------") of a plain choice field says ``text``."""
    choices: list[Any] = list(field.choices)  # type: ignore[arg-type]  # a plain list here
    if choices and choices[0][0] == "" and str(choices[0][1]).strip("-") == "":
        field.choices = [("", text), *choices[1:]]


def _model_choice(
    field: forms.ModelChoiceField,
    blank: dict[str, StrOrPromise],
    default: StrOrPromise,
    people: Callable[[forms.ModelChoiceField], None],
    pick_many: bool,
) -> None:
    """A choice of records: people (as ``people`` says), a tree, the blank choice's
    words (``blank`` by model, else ``default``) and the picker."""
    model = field.queryset.model  # type: ignore[union-attr]  # the callers check it
    label = label_of(model)
    words = str(blank.get(label, default))
    if label == label_of(get_user_model()):
        people(field)
    elif is_tree(model):
        _tree(field)
    if field.empty_label is not None:
        field.empty_label = words
    if label in PICKER_MODELS and (
        pick_many or not isinstance(field, forms.ModelMultipleChoiceField)
    ):
        field.widget.attrs["data-picker"] = label.split(".")[-1]
        field.widget.attrs["data-placeholder"] = words


def _plain_select(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField) and not isinstance(
        field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
    )


def _length_limit(field: forms.Field) -> None:
    """The counter replaces ``maxlength``: the browser would cut a paste without a word."""
    limit = getattr(field, "max_length", None)
    if limit and isinstance(field, forms.CharField):
        field.widget.attrs.pop("maxlength", None)
        field.widget.attrs["data-maxlength"] = str(limit)


def _narrow(form: forms.BaseForm, child: str, parent: str) -> None:
    """Show only the child options of the chosen parent; validation keeps the whole
    list, so the model's ``clean`` gives its own message for a mismatched pair."""
    field = form.fields[child]
    if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
        return
    parent_field = form.fields.get(parent)
    if not isinstance(parent_field, forms.ModelChoiceField):
        return
    model = field.queryset.model
    source = label_of(model)
    if parent not in OPTION_SOURCES.get(source, ()):
        return
    field.widget.attrs["data-narrowed-by"] = form[parent].auto_id
    field.widget.attrs["data-options-url"] = reverse("options", args=[source, parent])
    chosen = form[parent].value()
    if chosen in (None, "") or isinstance(chosen, list):
        return
    try:
        parent_pk = int(chosen)
    except (TypeError, ValueError):
        return
    shown = copy.copy(field)
    shown.widget = copy.copy(field.widget)
    shown.queryset = field.queryset.filter(**{f"{parent}_id": parent_pk})  # sets its choices
    field.widget = shown.widget


def refine_choices(form: forms.BaseForm) -> None:
    """Apply the rules of this module to every field of ``form`` (see the docstring)."""
    for name, field in form.fields.items():
        _length_limit(field)
        if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
            people = partial(_people, current=_current_pks(form.initial.get(name)))
            _model_choice(field, PROMPTS, DEFAULT_PROMPT, people, pick_many=True)
        elif _plain_select(field):
            _blank_choice(field, DEFAULT_PROMPT)  # type: ignore[arg-type]  # a ChoiceField
    for child, parent in NARROWED_BY.items():
        if child in form.fields and parent in form.fields:
            _narrow(form, child, parent)


def refine_filter_choices(fields: dict[str, forms.Field]) -> None:
    """The same rules for a list's filter form, with two differences: the blank
    choice reads "Any …" (it means "do not filter"), and deactivated people stay
    (a list may be filtered by a former owner), marked "(inactive)"."""
    for field in fields.values():
        if isinstance(field.widget, forms.NullBooleanSelect):
            # "Unknown" would read as a value; unset means "either"
            field.widget.choices = [
                ("unknown", DEFAULT_ANY),
                ("true", _("Yes")),
                ("false", _("No")),
            ]
        elif isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
            _model_choice(field, ANY, DEFAULT_ANY, _mark_inactive, pick_many=False)
        elif getattr(field, "empty_label", None) is not None:
            # django-filter's choice fields add their blank choice as they iterate
            field.empty_label = DEFAULT_ANY  # type: ignore[attr-defined]
            field.choices = [c for c in field.choices if c[0] != ""]  # type: ignore[attr-defined]
        elif _plain_select(field):
            _blank_choice(field, DEFAULT_ANY)  # type: ignore[arg-type]  # a ChoiceField


def _mark_inactive(field: forms.ModelChoiceField) -> None:
    plain = field.label_from_instance

    def label(obj: Any) -> str:
        text = str(plain(obj))
        return text if obj.is_active else f"{text} ({_('inactive')})"

    field.label_from_instance = label  # type: ignore[method-assign]


@require_GET
@login_required
def options_view(request: HttpRequest, source: str, key: str) -> JsonResponse:
    """``GET /ui/options/<model>/<key>/?value=<pk>``: the options of ``model`` whose
    ``key`` is ``pk`` (practices of one process area), as the user may read them:
    ``{"options": [{"value": …, "label": …}]}``. Pages narrow a dependent select with it."""
    if key not in OPTION_SOURCES.get(source, ()):
        raise Http404
    from django.apps import apps

    model = apps.get_model(source)
    user = request.user
    if not can(user, "view", model):
        raise PermissionDenied
    try:
        value = int(request.GET.get("value", ""))
    except ValueError:
        return JsonResponse({"errors": {"value": [str(_("Give a whole number."))]}}, status=400)
    rows = restrict(model._default_manager.filter(**{f"{key}_id": value}), user, "view")
    return JsonResponse({"options": [{"value": row.pk, "label": str(row)} for row in rows]})
