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
  the server refuses a longer value with a message;
- **big choice sets on demand**: every other select of records reads its options
  when drawn (``opf.core.ui.widgets.OnDemandChoices``). Up to ``full_choices_limit()``
  (``OPF_FULL_CHOICES``, 100) it lists them all, as before, and works the same
  without JavaScript. Beyond, the page carries only the blank choice and the chosen
  values: the picker fetches the options matching what the person types from
  ``choices_view`` (signed in; the options that same field offers, narrowed to the
  rows the reader may view), and a ``<noscript>`` link draws the page again with
  every option (``?all_choices=1``) for a browser without JavaScript.

  ``choices_view`` builds the field again from the form class the search URL names
  (signed): with ``user=`` or no argument. A form that needs more to build its
  choices (the record the page is about) says so itself (``ChoiceSearchForm``):
  ``choice_search_state()`` gives what to sign into the URL (a few plain values) and
  the class method ``for_choice_search(request, state)`` builds the form again from
  it, for that reader, or answers None (not found) or raises ``PermissionDenied``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, Model, Q, QuerySet, TextField
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from opf.core.permissions import can, restrict
from opf.core.ui.widgets import OnDemandChoices

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

ALL_CHOICES = "all_choices"  # ?all_choices=1: every option listed (a browser without JavaScript)
SEARCH_RESULTS = 50  # options one search answers with
SEARCH_SALT = "opf.core.ui.choices"
# What a search term is looked for in, for a model the global search does not know.
SEARCH_FALLBACK = ("name", "title", "code", "abbreviation", "statement", "username")


@runtime_checkable
class ChoiceSearchForm(Protocol):
    """A form whose choices depend on more than its reader (see the module's docstring)."""

    def choice_search_state(self) -> Any:
        """Plain values (JSON) that ``for_choice_search`` builds the form again from."""
        ...

    @classmethod
    def for_choice_search(cls, request: HttpRequest, state: Any) -> forms.BaseForm | None:
        """The form as ``request``'s user gets it on the page ``state`` names, or
        None when there is no such page for them; ``PermissionDenied`` if they may
        not fill it in."""
        ...


def full_choices_limit() -> int:
    """Up to this many options a select lists them all (``OPF_FULL_CHOICES``)."""
    return int(settings.OPF_FULL_CHOICES)


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
    load_on_demand(
        form.fields,
        type(form),
        all_url=getattr(form, "all_choices_url", None),
        full=getattr(form, "all_choices", False),
        state=form.choice_search_state() if isinstance(form, ChoiceSearchForm) else None,
    )


def refine_filter_choices(
    fields: dict[str, forms.Field],
    source: type | None = None,
    all_url: str | None = None,
    full: bool = False,
) -> None:
    """The same rules for a list's filter form, with two differences: the blank
    choice reads "Any …" (it means "do not filter"), and deactivated people stay
    (a list may be filtered by a former owner), marked "(inactive)". ``source``,
    the FilterSet class, lets big choice sets load on demand (``load_on_demand``)."""
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
    if source is not None:
        load_on_demand(fields, source, all_url=all_url, full=full)


def all_choices_of(request: HttpRequest) -> tuple[str, bool]:
    """The URL of this page with every option of its big selects, and whether this
    request asked for it (``?all_choices=1``, for a browser without JavaScript)."""
    query = request.GET.copy()
    full = query.get(ALL_CHOICES) == "1"
    query[ALL_CHOICES] = "1"
    return f"{request.path}?{query.urlencode()}", full


def offer_all_choices(form: forms.BaseForm, request: HttpRequest) -> None:
    """Let ``form``'s big selects link to (and honour) ``?all_choices=1``."""
    form.all_choices_url, form.all_choices = all_choices_of(request)  # type: ignore[attr-defined]


def _class_path(source: type) -> str | None:
    """``module.Class`` when ``import_string`` finds the class again by it."""
    if "." in source.__qualname__ or "<" in source.__qualname__:
        return None
    return f"{source.__module__}.{source.__qualname__}"


def load_on_demand(
    fields: dict[str, forms.Field],
    source: type,
    *,
    all_url: str | None,
    full: bool,
    state: Any = None,
) -> None:
    """Every select of records of ``source`` (a form or FilterSet class) draws its
    options through ``OnDemandChoices``: all up to ``full_choices_limit()``, else the
    chosen ones and a search URL (``choices_view``). ``full``: all of them, always.
    ``state``: what a ``ChoiceSearchForm`` is built again from, signed into the URL."""
    path = _class_path(source)
    if full or path is None:
        return
    limit = full_choices_limit()
    for name, field in fields.items():
        if (
            not isinstance(field, forms.ModelChoiceField)
            or field.queryset is None
            or field.disabled
            or not isinstance(field.widget, forms.Select)
            or "data-narrowed-by" in field.widget.attrs
        ):
            continue
        url = _search_url(path, name, state)
        field.widget.choices = OnDemandChoices(field, url, limit, all_url)


def _search_url(path: str, name: str, state: Any) -> str:
    payload = [path, name] if state is None else [path, name, state]
    return reverse("choices", args=[signing.dumps(payload, salt=SEARCH_SALT)])


def choices_url(source: type, name: str, state: Any = None) -> str:
    """The search URL of the field ``name`` of ``source`` (a form or FilterSet class;
    ``state``: what a ``ChoiceSearchForm`` is built again from)."""
    path = _class_path(source)
    if path is None:
        raise ValueError(f"{source!r} cannot be found again by its path.")
    return _search_url(path, name, state)


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


def _search_fields(model: type[Model]) -> tuple[str, ...]:
    """Where a term is looked for: the model's global search fields
    (``opf.core.search``), else its usual name fields."""
    from opf.core.search import kinds

    for kind in kinds():
        if kind.model is model:
            return kind.text + kind.codes
    names = {f.name for f in model._meta.get_fields() if isinstance(f, CharField | TextField)}
    return tuple(name for name in SEARCH_FALLBACK if name in names)


def _field_of(source: type, name: str, request: HttpRequest, state: Any) -> forms.Field:
    """The field ``name`` of ``source`` as the signed-in user gets it on a page
    (the page ``state`` names, for a ``ChoiceSearchForm``)."""
    import django_filters

    maker: Any = source  # a FilterSet or a form class, as signed by this module
    if issubclass(source, forms.BaseForm) and issubclass(source, ChoiceSearchForm):
        built = maker.for_choice_search(request, state)
        if built is None:
            raise Http404
        return _named(built.fields, name)
    if issubclass(source, django_filters.FilterSet):
        model = maker._meta.model
        filterset = maker(data=None, queryset=model._default_manager.none(), request=request)
        return _named(filterset.form.fields, name)
    if issubclass(source, forms.BaseForm):
        try:
            form = maker(user=request.user)
        except TypeError:
            try:
                form = maker()
            except TypeError:
                return _named(maker.base_fields, name)
        return _named(form.fields, name)
    raise Http404


def _named(fields: dict[str, forms.Field], name: str) -> forms.Field:
    if name not in fields:
        raise Http404
    return fields[name]


@require_GET
@login_required
def choices_view(request: HttpRequest, token: str) -> JsonResponse:
    """``GET /ui/choices/<token>/?q=<words>``: the options of one form field (named by
    the signed ``token`` its select carries) whose label fields hold every word,
    as the user may view them (``restrict``), at most ``SEARCH_RESULTS``, in the
    field's order: ``{"options": [{"value": …, "label": …}], "more": bool}``."""
    from opf.core.search import check_query, words_of

    try:
        path, name, *rest = signing.loads(token, salt=SEARCH_SALT)
        source = import_string(path)
    except (signing.BadSignature, ImportError, ValueError, TypeError):
        raise Http404 from None
    field = _field_of(source, name, request, rest[0] if rest else None)
    if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
        raise Http404
    try:
        query = check_query(request.GET.get("q", ""))
    except ValidationError as refused:
        return JsonResponse({"errors": {"q": refused.messages}}, status=400)
    if not can(request.user, "view", field.queryset.model):
        raise PermissionDenied
    rows = restrict(field.queryset, request.user, "view")
    fields = _search_fields(rows.model)
    for word in words_of(query):
        condition = Q()
        for search_field in fields:
            condition |= Q(**{f"{search_field}__icontains": word})
        if word.isdigit():
            condition |= Q(pk=int(word))
        rows = rows.filter(condition)
    found = list(rows[: SEARCH_RESULTS + 1])
    return JsonResponse(
        {
            "options": [
                {"value": field.prepare_value(row), "label": str(field.label_from_instance(row))}
                for row in found[:SEARCH_RESULTS]
            ],
            "more": len(found) > SEARCH_RESULTS,
        }
    )
