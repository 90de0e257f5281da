"""Bad input refused on form pages (#9, point 2): every form page is fed the
same kinds of bad input and answers with a message, never a 500, and saves
nothing.

The pages are found, not listed: every URL pattern served by a generic form
view (add, edit, inline field edit of ``opf.core.ui.views``, and their subclasses
with their own ``form_class``) gives its form class; the bad inputs are derived
from that form's own fields (a number field gets text, a field with a
``max_length`` gets one character more, a choice gets an id that does not
exist, a date pair gets its end before its start, …). The other form pages
(function views: imports, scores, ranks, steps, …) come from the door tables
(tests/doors.py, tests/<app>/doors.py), which build each page's URL; their
fields are read from the page's HTML form, or from the door's own payload.

The API gets the same inputs from schemathesis (tests/gates/test_api_fuzz.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import import_module
from importlib.util import find_spec
from typing import Any

import factory
import pytest
from django import forms
from django.db import connection
from django.db.models import Model
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opf.core.permissions import can, perm_name
from opf.core.roles import APPRAISER, MEMBER, OWN, PROJECT_MANAGER
from opf.core.ui.writing import ObjectFieldView, ObjectFormView
from tests.crud import SPECS
from tests.doors import DOORS, Door, url_patterns
from tests.gates.test_every_door import STEPS, _in_source_state, _page_steps

pytestmark = pytest.mark.django_db

UNKNOWN_ID = "999999"
NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)
DATE_FIELDS = (forms.DateField, forms.DateTimeField)
TYPED_FIELDS = (*NUMBER_FIELDS, *DATE_FIELDS, forms.TimeField, forms.DurationField)
CHOICE_FIELDS = (forms.ModelChoiceField, forms.ModelMultipleChoiceField, forms.ChoiceField)

# Numbers that may rightly be negative (a measurement, a target or limit of a
# measure whose unit may be signed). Every other number a form takes must refuse
# a negative value: add a field here only with the reason.
SIGNED = {
    "lessons.measurement.value": "a measure's value (e.g. a schedule variance) may be negative",
    "lessons.quantitativeobjective.target": "the target of a signed measure",
    "lessons.quantitativeobjective.lower_limit": "the limits of a signed measure",
    "lessons.quantitativeobjective.upper_limit": "the limits of a signed measure",
    "actions.successcriterion.target": "a criterion's target may be a reduction (negative)",
    "actions.improvement.benefit_baseline": "a business case's measure may be signed",
    "actions.improvement.benefit_target": "a business case's measure may be signed",
    "appraisals.processneed.target": "a process-performance objective's target (a variance)",
}

# Pairs whose second value may not come before the first, beyond those the
# names give away (start/end, planned_start/planned_end, lower_/upper_, min_/max_).
EXTRA_PAIRS = {("review_date", "next_review_due")}
PAIR_WORDS = (("start", "end"), ("starts", "ends"), ("begin", "end"), ("lower", "upper"))
PAIR_WORDS += (("min", "max"), ("from", "to"))


# --- the form pages ------------------------------------------------------------------


PATTERNS = url_patterns()


@dataclass(frozen=True)
class FormPage:
    name: str  # URL name
    model: type[Model]
    form_class: type[forms.BaseForm]
    kind: str  # "add", "edit" or "field"
    field: str = ""  # the inline field of a "field" page

    def __str__(self) -> str:
        return f"{self.name}[{self.field}]" if self.field else self.name

    @property
    def action(self) -> str:
        return "add" if self.kind == "add" else "change"

    @property
    def fields(self) -> dict[str, forms.Field]:
        base = self.form_class.base_fields
        return {self.field: base[self.field]} if self.field else dict(base)


def form_pages() -> list[FormPage]:
    pages: list[FormPage] = []
    for name, pattern in sorted(PATTERNS.items()):
        view = getattr(pattern.callback, "view_class", None)
        init = getattr(pattern.callback, "view_initkwargs", {})
        if view is None or name.startswith("admin:"):
            continue
        form_class = init.get("form_class") or getattr(view, "form_class", None)
        model = init.get("model") or getattr(view, "model", None)
        if form_class is None or model is None:
            continue
        if issubclass(view, ObjectFormView):
            kind = "edit" if "pk" in pattern.pattern.converters else "add"
            pages.append(FormPage(name, model, form_class, kind))
        elif issubclass(view, ObjectFieldView):
            for inline in init.get("fields", ()):
                pages.append(FormPage(name, model, form_class, "field", inline))
    return pages


PAGES = form_pages()


def _factories() -> dict[type, Callable[..., Any]]:
    found: dict[type, Callable[..., Any]] = {}
    modules = ["tests.factories", "tests.opf.steering_factories"]
    modules += [f"tests.{app}.factories" for app in ("appraisals", "actions", "deployment")]
    modules.append("tests.lessons.factories")
    for module in modules:
        if find_spec(module) is None:
            continue
        for value in vars(import_module(module)).values():
            if (
                isinstance(value, type)
                and issubclass(value, factory.django.DjangoModelFactory)
                and value._meta.model is not None
            ):
                found.setdefault(value._meta.model, value)
    return found


FACTORIES = _factories()
SPEC_BY_MODEL = {spec.model: spec for spec in SPECS}


def is_version_field(name: str, field: forms.Field) -> bool:
    """The hidden ``version`` of the lost-update check (not a model's own field)."""
    return name == "version" and isinstance(field.widget, forms.HiddenInput)


def is_text(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.HiddenInput)


def date_pairs(fields: dict[str, forms.Field]) -> list[tuple[str, str]]:
    """(first, second) pairs of dates or numbers where the second may not come first."""
    ordered = [n for n, f in fields.items() if isinstance(f, (*DATE_FIELDS, *NUMBER_FIELDS))]
    pairs = [(a, b) for a, b in EXTRA_PAIRS if a in ordered and b in ordered]
    for name in ordered:
        words = name.split("_")
        for first, second in PAIR_WORDS:
            if first in words:
                other = "_".join(second if w == first else w for w in words)
                if other in ordered and (name, other) not in pairs:
                    pairs.append((name, other))
    return pairs


# --- the families of bad input ---------------------------------------------------------


@dataclass(frozen=True)
class Family:
    """A kind of bad input: ``bad(name, field)`` gives the value sent for a field it
    applies to (None: not applicable). ``refused``: the page must answer with an
    error on each such field and save nothing; otherwise the input is legal but
    must be stored as sent and shown without a 500."""

    name: str
    bad: Callable[[str, forms.Field], Any]
    refused: bool = True
    minimum: int = 1  # forms it must exercise

    def __str__(self) -> str:
        return self.name

    def values(self, fields: dict[str, forms.Field]) -> dict[str, Any]:
        out = {}
        for name, field_ in fields.items():
            if is_version_field(name, field_):
                continue
            value = self.bad(name, field_)
            if value is not None:
                out[name] = value
        return out


def _wrong_type(name: str, field_: forms.Field) -> Any:
    if isinstance(field_, TYPED_FIELDS):
        return "not-a-" + type(field_).__name__.removesuffix("Field").lower()
    return None


def _impossible_date(name: str, field_: forms.Field) -> Any:
    if isinstance(field_, forms.DateTimeField):
        return "2026-02-30 10:00"
    if isinstance(field_, forms.DateField):
        return "2026-02-30"
    return None


def _too_long(name: str, field_: forms.Field) -> Any:
    if is_text(field_) and field_.max_length:
        if isinstance(field_, forms.URLField):
            return "https://example.com/" + "a" * field_.max_length
        if isinstance(field_, forms.EmailField):
            return "a" * field_.max_length + "@example.com"
        return "a" * (field_.max_length + 1)
    return None


def _huge_text(name: str, field_: forms.Field) -> Any:
    if is_text(field_) and not field_.max_length and not isinstance(field_, forms.URLField):
        return "long text " * 10_000  # 100,000 characters
    return None


def _nul(name: str, field_: forms.Field) -> Any:
    if is_text(field_):
        return "https://example.com/a\x00b" if isinstance(field_, forms.URLField) else "a\x00b"
    return None


def _control(name: str, field_: forms.Field) -> Any:
    if is_text(field_) and not isinstance(field_, (forms.URLField, forms.SlugField)):
        return "bell\x07 escape\x1b[31m form-feed\x0c back\x08 end"[: field_.max_length or 100]
    return None


def _unknown_id(name: str, field_: forms.Field) -> Any:
    if isinstance(field_, (forms.ModelMultipleChoiceField, forms.MultipleChoiceField)):
        return [UNKNOWN_ID]
    if isinstance(field_, CHOICE_FIELDS) and not isinstance(field_, forms.NullBooleanField):
        return UNKNOWN_ID if isinstance(field_, forms.ModelChoiceField) else "no-such-choice"
    return None


def _negative(name: str, field_: forms.Field) -> Any:
    if isinstance(field_, NUMBER_FIELDS):
        return "-5"
    return None


FAMILIES = [
    Family("wrong_type", _wrong_type, minimum=20),
    Family("impossible_date", _impossible_date, minimum=15),
    Family("too_long", _too_long, minimum=40),
    Family("huge_text", _huge_text, refused=False, minimum=30),
    Family("nul_bytes", _nul, minimum=40),
    Family("control_chars", _control, refused=False, minimum=40),
    Family("unknown_id", _unknown_id, minimum=40),
    Family("negative", _negative, minimum=10),
]
FAMILY = {f.name: f for f in FAMILIES}


def signed(model: type[Model], name: str) -> bool:
    return f"{model._meta.label_lower}.{name}" in SIGNED


CASES = [
    (page, family)
    for family in FAMILIES
    for page in PAGES
    if any(
        not (family.name == "negative" and signed(page.model, name))
        for name in family.values(page.fields)
    )
]
PAIR_PAGES = [page for page in PAGES if page.kind != "field" and date_pairs(page.fields)]


# --- helpers ----------------------------------------------------------------------------


def writer_for(page: FormPage, people, obj: Model | None = None):
    """The first persona allowed to post on the page (the process group first)."""
    for role in ("epg", "appraiser", "pm", "member"):
        user = people.by_role(role)
        if can(user, page.action, obj if obj is not None else page.model):
            return user
    raise AssertionError(f"nobody may post on {page}")


def make(model: type[Model], **kwargs: Any) -> Model:
    spec = SPEC_BY_MODEL.get(model)
    maker = FACTORIES.get(model) or (spec.factory if spec else None)
    assert maker is not None, f"no factory for {model.__name__}"
    return maker(**kwargs)


def url_of(page: FormPage, obj: Model | None) -> str:
    kwargs: dict[str, Any] = {} if obj is None else {"pk": obj.pk}
    if page.field:
        kwargs["field"] = page.field
    return reverse(page.name, kwargs=kwargs)


def form_values(form: forms.BaseForm) -> dict[str, Any]:
    """What the browser sends back for a form as shown (checkboxes only when ticked)."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is True:
            data[name] = "on"
        elif value is not None and value is not False:
            data[name] = str(value)
    return data


def base_payload(
    page: FormPage, client, url: str, user: Any
) -> tuple[dict[str, Any], forms.BaseForm]:
    """The payload a browser would send (a spec's valid payload on its add page) and
    the form as the page shows it to this user (disabled fields and all)."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    form = response.context["form"]
    spec = SPEC_BY_MODEL.get(page.model)
    if page.kind != "add":
        return form_values(form), form
    if spec is not None and url == f"/{spec.page}/add/":
        return {k: v for k, v in spec.valid().items() if v is not False and v is not None}, form
    # An add page with no spec: the values of a record made by the factory.
    model_form = page.form_class(instance=make(page.model), user=user)
    data = form_values(model_form)
    data.pop("version", None)
    return data, form


def snapshot(model: type[Model], obj: Model | None) -> tuple[int, dict[str, Any] | None]:
    if obj is None:
        return model._default_manager.count(), None
    obj = model._default_manager.get(pk=obj.pk)
    values = model_to_dict(obj)
    return model._default_manager.count(), {k: _comparable(v) for k, v in values.items()}


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(getattr(v, "pk", v) for v in value)
    return getattr(value, "name", value) if hasattr(value, "storage") else value


def record_for(page: FormPage, people) -> Model | None:
    if page.kind == "add":
        return None
    obj = make(page.model)
    if getattr(obj, "is_locked", False):
        pytest.fail(f"the factory of {page.model.__name__} makes a locked record")
    return obj


def post_bad(page: FormPage, people, client_as, mutate: Callable[[dict], dict]):
    """Post the page's own payload changed by ``mutate(form_fields)``:
    (response, before, after, sent, obj)."""
    obj = record_for(page, people)
    user = writer_for(page, people, obj)
    client = client_as(user)
    url = url_of(page, obj)
    data, form = base_payload(page, client, url, user)
    sent = mutate(live_fields(page, form))
    before = snapshot(page.model, obj)
    response = client.post(url, {**data, **sent})
    return response, before, snapshot(page.model, obj), sent, obj


def live_fields(page: FormPage, form: forms.BaseForm) -> dict[str, forms.Field]:
    """The fields the user can change on the page (disabled ones ignore a post)."""
    return {
        n: f
        for n, f in form.fields.items()
        if not f.disabled and (not page.field or n == page.field)
    }


def form_errors(response) -> dict[str, Any]:
    context = response.context
    form = context.get("form") if context else None
    return dict(form.errors) if form is not None else {}


def assert_refused(page: FormPage, family: str, response, before, after, fields) -> None:
    where = f"{page} / {family}"
    assert response.status_code < 500, f"{where}: server error {response.status_code}"
    if response.status_code in (403, 404):
        assert after == before, f"{where}: refused but changed {after} vs {before}"
        return
    assert response.status_code in (200, 400), (
        f"{where}: bad input accepted ({response.status_code} {response.get('Location', '')})"
    )
    errors = form_errors(response)
    missing = [name for name in fields if name not in errors]
    assert not missing, f"{where}: no error on {missing} (errors: {list(errors)})"
    assert 'class="errors"' in response.content.decode() or "errorlist" in (
        response.content.decode()
    ), f"{where}: the errors are not shown"
    assert after == before, f"{where}: something was saved"


# --- the generic form pages --------------------------------------------------------------


FAMILY_PAGES = list(dict.fromkeys(page for page, _family in CASES))


@pytest.mark.parametrize("form_page", FAMILY_PAGES, ids=str)
def test_a_form_page_refuses_bad_input(form_page: FormPage, people, client_as):
    """Every family of bad input that applies to the page's fields, in turn (the
    refused ones first); each failure names the page and the family."""
    page = form_page
    obj = record_for(page, people)
    user = writer_for(page, people, obj)
    client = client_as(user)
    url = url_of(page, obj)
    families = sorted((f for p, f in CASES if p == page), key=lambda f: not f.refused)
    failures: list[str] = []
    exercised = 0
    fresh = True
    for family in families:
        if fresh:  # the page as it is now (a legal post saved a new version)
            data, form = base_payload(page, client, url, user)
            fields = live_fields(page, form)
            fresh = False
        sent = family.values(fields)
        if family.name == "negative":
            sent = {n: v for n, v in sent.items() if not signed(page.model, n)}
        if not sent:
            continue  # only disabled fields here
        exercised += 1
        before = snapshot(page.model, obj)
        response = client.post(url, {**data, **sent})
        after = snapshot(page.model, obj)
        try:
            if family.refused:
                assert_refused(page, family.name, response, before, after, sent)
            else:
                assert_kept(page, family.name, response, client, obj, sent)
        except AssertionError as failure:
            failures.append(str(failure).split("\n")[0])
        fresh = fresh or response.status_code == 302
    assert exercised, f"{page}: no family applies to the fields it shows"
    assert not failures, "\n".join(failures)


def assert_kept(page: FormPage, family: str, response, client, obj: Model | None, sent) -> None:
    """Legal but odd text: no 500; if saved, stored as sent (trimmed) and shown
    on the record's page and in the list's CSV and XLSX exports without a 500."""
    where = f"{page} / {family}"
    assert response.status_code < 500, f"{where}: server error {response.status_code}"
    if response.status_code != 302 or obj is None:
        return
    obj.refresh_from_db()
    for name, value in sent.items():
        stored = getattr(obj, name)
        assert stored == value.strip(), f"{where}: {name} stored as {stored!r:.60}, not as sent"
    assert client.get(obj.get_absolute_url()).status_code == 200, f"{where}: detail page"
    list_url = reverse(page.model.url_name("list"))  # type: ignore[attr-defined]
    for export in ("csv", "xlsx"):
        try:
            answer = client.get(list_url, {"_export": export})
            b"".join(answer.streaming_content) if answer.streaming else answer.content
        except Exception as error:  # the test client re-raises a view's exception
            raise AssertionError(f"{where}: {export} export fails: {error!r:.200}") from error
        assert answer.status_code == 200, f"{where}: {export} export {answer.status_code}"


@pytest.mark.parametrize("form_page", PAIR_PAGES, ids=str)
def test_an_end_before_its_start_is_refused(form_page: FormPage, people, client_as):
    page = form_page
    pairs = date_pairs(page.fields)

    def mutate(fields: dict[str, forms.Field]) -> dict:
        sent = {}
        for first, second in pairs:
            if isinstance(page.fields[first], DATE_FIELDS):
                start = dt.date(2026, 6, 10)
                end = start - dt.timedelta(days=9)
                fmt = (
                    "%Y-%m-%d %H:%M"
                    if isinstance(page.fields[first], forms.DateTimeField)
                    else ("%Y-%m-%d")
                )
                sent[first], sent[second] = start.strftime(fmt), end.strftime(fmt)
            else:
                sent[first], sent[second] = "10", "1"
        return sent

    response, before, after, _sent, _obj = post_bad(page, people, client_as, mutate)
    where = f"{page} / end_before_start {pairs}"
    assert response.status_code < 500, where
    assert response.status_code in (200, 400), f"{where}: accepted ({response.status_code})"
    assert form_errors(response), f"{where}: no error shown"
    assert after == before, f"{where}: something was saved"


EDIT_PAGES = [page for page in PAGES if page.kind == "edit"]


@pytest.mark.parametrize("form_page", EDIT_PAGES, ids=str)
def test_base_payload_saves(form_page: FormPage, people, client_as):
    """The payload the families start from is valid: without the bad value the
    same post saves (otherwise a family would only see the base payload's errors)."""
    page = form_page
    response, _before, _after, _sent, _obj = post_bad(page, people, client_as, lambda f: {})
    assert response.status_code == 302, f"{page}: {form_errors(response)}"


def test_each_family_exercises_enough_forms():
    counts = {f.name: sum(1 for _page, fam in CASES if fam is f) for f in FAMILIES}
    short = {n: c for n, c in counts.items() if c < FAMILY[n].minimum}
    assert not short, f"families exercising too few forms: {short}"
    assert len(PAIR_PAGES) >= 10, [str(p) for p in PAIR_PAGES]
    assert len({p.name for p in PAGES if p.kind == "add"}) >= 40
    assert len(PAGE_DOORS) >= 40, len(PAGE_DOORS)


# --- ids of records the user may not use ------------------------------------------------

OWNERS = {"pm": PROJECT_MANAGER, "appraiser": APPRAISER, "member": MEMBER}


def give_to(obj: Model, path: str, user: Any) -> Model:
    """Make ``user`` the owner of ``obj`` along its ``OWNER_PATH``-like ``path``."""
    *hops, last = path.split("__")
    target = obj
    for hop in hops:
        target = getattr(target, hop)
    relation = target._meta.get_field(last)
    if relation.many_to_many:
        getattr(target, last).set([user])
    else:
        type(target)._default_manager.filter(pk=target.pk).update(**{relation.attname: user.pk})
    return type(obj)._default_manager.get(pk=obj.pk)


def owner_hop(page: FormPage) -> str | None:
    """The form field the record's ownership goes through (``project`` of
    ``project__manager``), when the form has it."""
    path = getattr(page.model, "OWNER_PATH", None)
    first = path.split("__")[0] if path else None
    return first if first in page.fields else None


OTHERS_CASES = [
    (page, role)
    for page in PAGES
    if page.kind != "field" and owner_hop(page)
    for role, persona in OWNERS.items()
    if persona.scope_for(perm_name(page.model, page.action)) == OWN
]


def strangers_value(page: FormPage, hop: str, stranger: Any) -> Any:
    """An id for ``hop`` that makes the record someone else's."""
    path: str = page.model.OWNER_PATH  # type: ignore[attr-defined]
    relation = page.model._meta.get_field(hop)
    target = relation.related_model
    if target is type(stranger):
        value = str(stranger.pk)
    else:
        rest = path.split("__", 1)[1]
        value = str(give_to(make(target), rest, stranger).pk)
    return [value] if relation.many_to_many else value


@pytest.mark.parametrize(("form_page", "role"), OTHERS_CASES, ids=lambda v: str(v))
def test_another_users_records_are_refused(form_page: FormPage, role: str, people, client_as):
    """A user who may write only their own rows posts an id that would make the row
    someone else's (a project manager, another manager's project; an auditor,
    another auditor): refused or ignored, never saved."""
    page = form_page
    user = people.by_role(role)
    path: str = page.model.OWNER_PATH  # type: ignore[attr-defined]
    obj = None
    if page.kind == "edit":
        obj = give_to(make(page.model), path, user)
        assert can(user, "change", obj), f"{page}: {role} does not own the record made for them"
    client = client_as(user)
    url = url_of(page, obj)
    hop = owner_hop(page)
    assert hop is not None
    sent = {hop: strangers_value(page, hop, people.other_pm)}
    if client.get(url).status_code in (403, 404):  # e.g. not on any appraisal's team
        data, form = {}, None
    else:
        data, form = base_payload(page, client, url, user)
    before = snapshot(page.model, obj)
    response = client.post(url, {**data, **sent})
    after = snapshot(page.model, obj)
    where = f"{page} / {role} posts {sent} (someone else's)"
    assert response.status_code < 500, where
    assert after == before, f"{where}: saved ({response.status_code})"
    if form is None:
        assert response.status_code in (403, 404), where
    elif response.status_code in (200, 400) and not form.fields[hop].disabled:
        assert hop in form_errors(response), f"{where}: no error on {hop}"


def test_the_other_users_family_exercises_enough_forms():
    assert len(OTHERS_CASES) >= 10, [f"{p} {r}" for p, r in OTHERS_CASES]


# --- the other form pages (doors) --------------------------------------------------------


@dataclass
class HtmlField:
    name: str
    kind: str  # "number", "date", "datetime-local", "text", "textarea", "select", …
    value: Any = ""
    maxlength: int | None = None
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class HtmlForm:
    action: str
    fields: dict[str, HtmlField] = field(default_factory=dict)


class FormParser(HTMLParser):
    """The POST forms of a page, with their fields' types and current values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: HtmlField | None = None
        self._textarea: HtmlField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = HtmlForm(a.get("action", ""))
            self.forms.append(self._form)
        if self._form is None or not a.get("name"):
            return
        name = a["name"]
        # forms give their limit as data-maxlength (a counter, never a silent cut)
        limit = a.get("maxlength") or a.get("data-maxlength") or ""
        maxlength = int(limit) if limit.isdigit() else None
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form.fields.setdefault(name, HtmlField(name, kind, None))
                return
            self._form.fields[name] = HtmlField(name, kind, a.get("value", ""), maxlength)
        elif tag == "textarea":
            self._textarea = HtmlField(name, "textarea", "", maxlength)
            self._form.fields[name] = self._textarea
        elif tag == "select":
            self._select = HtmlField(name, "select", "", multiple="multiple" in a)
            self._form.fields[name] = self._select
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _page_doors() -> list[Door]:
    doors = []
    for door in DOORS:
        if door.covers.split(" ")[0] in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            continue  # an API operation
        pattern = PATTERNS.get(door.covers)
        view = getattr(pattern.callback, "view_class", None) if pattern else None
        if view is not None and issubclass(view, (ObjectFormView, ObjectFieldView)):
            continue  # a generic form page: above
        if door.public or door.covers in ("logout",):
            continue
        doors.append(door)
    return doors


PAGE_DOORS = _page_doors()


def _door_role(door: Door) -> str:
    for role in ("epg", "appraiser", "pm", "member", "executive", "other_pm"):
        if role in door.allowed:
            return role
    raise AssertionError(door)


def _guess(name: str, value: Any) -> HtmlField:
    text = str(value)
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return HtmlField(name, "number", text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return HtmlField(name, "date", text)
    return HtmlField(name, "text", text)


def door_forms(door: Door, client, url: str) -> list[HtmlForm]:
    """The door's POST forms: from its page when it shows one, else from its payload."""
    page = client.get(url)
    found: list[HtmlForm] = []
    if page.status_code == 200 and "html" in page.get("Content-Type", ""):
        parser = FormParser()
        parser.feed(page.content.decode())
        found = [
            f
            for f in parser.forms
            if f.fields.keys() - {"csrfmiddlewaretoken"} and f.action in ("", url)
        ]
    if not found and door.method == "POST" and door.data:
        found = [HtmlForm(url, {n: _guess(n, v) for n, v in door.data().items()})]
    return found


def html_bad(family: str, f: HtmlField) -> Any:
    if f.kind in ("hidden", "submit", "file", "checkbox", "radio", "button"):
        return None
    if family == "wrong_type" and f.kind in ("number", "date", "datetime-local", "time"):
        return "not-a-value"
    if family == "impossible_date" and f.kind in ("date", "datetime-local"):
        return "2026-02-30"
    if family == "negative" and f.kind == "number":
        return "-5"
    if family == "unknown_id" and f.kind == "select":
        return [UNKNOWN_ID] if f.multiple else UNKNOWN_ID
    if family == "too_long" and f.maxlength and f.kind in ("text", "textarea", "url", "email"):
        return "a" * (f.maxlength + 1)
    if family == "nul_bytes" and f.kind in ("text", "textarea", "search", "url", "email"):
        return "a\x00b"
    if family == "huge_text" and f.kind in ("text", "textarea"):
        return "long text " * 10_000
    return None


DOOR_FAMILIES = ["wrong_type", "impossible_date", "negative", "unknown_id"]
DOOR_FAMILIES += ["too_long", "nul_bytes", "huge_text"]
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
SESSION_TABLES = ("django_session", "axes_", "opf_notification", "django_celery")


def _writes(queries: list[dict[str, str]]) -> list[str]:
    """Statements that wrote domain rows and were not rolled back."""
    writes: list[str] = []
    for query in queries:
        sql = query["sql"]
        if sql.upper().startswith("ROLLBACK"):
            writes = []
        elif WRITES.match(sql) and not any(t in sql for t in SESSION_TABLES):
            writes.append(sql[:160])
    return writes


def _refused_message(client, response) -> bool:
    """A redirect that carries an error message back to the page."""
    if response.status_code != 302:
        return False
    page = client.get(response["Location"])
    messages = list(page.context.get("messages", [])) if page.context else []
    return any(m.level_tag == "error" for m in messages)


@pytest.mark.parametrize("door", PAGE_DOORS, ids=str)
def test_another_form_page_refuses_bad_input(door: Door, people, client_as):
    """Each family in turn, on fresh records, for every POST form the page shows."""
    user = people.by_role(_door_role(door))
    for family in DOOR_FAMILIES:
        client = client_as(user)
        url = door.url(people)
        for form in door_forms(door, client, url):
            bad = {n: v for n, f in form.fields.items() if (v := html_bad(family, f)) is not None}
            if bad:
                check_door_post(door, family, client, form.action or url, form, bad)


def check_door_post(door: Door, family: str, client, target: str, form: HtmlForm, bad) -> None:
    data = {
        n: f.value
        for n, f in form.fields.items()
        if f.value is not None and f.kind not in ("submit", "file")
    }
    with CaptureQueriesContext(connection) as queries:
        response = client.post(target, {**data, **bad})
    where = f"{door} / {family} {sorted(bad)}"
    assert response.status_code < 500, f"{where}: server error {response.status_code}"
    if family == "huge_text":
        return  # legal input: no 500 is all that is asked
    body = response.content.decode() if not response.streaming else ""
    refused = response.status_code in (400, 403, 404, 409) or (
        response.status_code == 200 and ("errorlist" in body or 'class="errors' in body)
    )
    writes = _writes(queries.captured_queries)
    if not refused and response.status_code == 302:
        refused = _refused_message(client, response)
    assert refused or not writes, f"{where}: accepted ({response.status_code}): {writes}"


# --- lifecycle steps (the reason field of every step form) -------------------------------

PAGE_STEPS = [(spec, name) for spec, name in STEPS if name in _page_steps(spec)]


@pytest.mark.parametrize(("spec", "name"), PAGE_STEPS, ids=lambda v: str(v))
def test_a_lifecycle_step_refuses_a_bad_reason(spec, name: str, people, client_as):
    """A reason with a NUL byte is refused (the step is not taken); a 100,000-character
    reason is no 500."""
    obj, workflow = _in_source_state(spec, name)
    client = client_as(people.epg)
    url = f"/{spec.page}/{obj.pk}/do/{name}/"
    before = workflow.state_of(obj)
    response = client.post(url, {"reason": "a\x00b"})
    where = f"{spec.page} / {name} / nul_bytes"
    assert response.status_code < 500, where
    obj.refresh_from_db()
    assert workflow.state_of(obj) == before, f"{where}: the step was taken"
    response = client.post(url, {"reason": "long reason " * 8_400})
    assert response.status_code < 500, f"{spec.page} / {name} / huge_text"


def test_the_step_forms_are_exercised():
    assert len(PAGE_STEPS) >= 20, len(PAGE_STEPS)
