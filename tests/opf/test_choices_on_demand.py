"""Big choice sets load on demand (opf.core.ui.choices, opf.core.ui.widgets): a
select of more than ``OPF_FULL_CHOICES`` records carries only its chosen options
and a search URL that answers with the matching options the reader may view;
``?all_choices=1`` draws every option (a browser without JavaScript)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.core import signing
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals.models import ProcessNeed
from opf.core.ui.choices import SEARCH_SALT
from opf.core.ui.forms import RefinedChoicesMixin, set_queryset
from opf.models import Project
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def select(html: str, name: str) -> tuple[str, list[tuple[str, str]]]:
    """The opening tag of the select ``name`` and its options (value, label)."""
    match = re.search(rf'(<select[^>]*name="{name}"[^>]*>)(.*?)</select>', html, re.S)
    assert match, f"no select {name}"
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', match.group(2))
    return match.group(1), options


def search_url(tag: str) -> str:
    found = re.search(r'data-search-url="([^"]+)"', tag)
    assert found, tag
    return found.group(1)


def managers(count: int, **names: str) -> list:
    people = [UserFactory(**names) for _ in range(count)]
    for person in people:
        ProjectFactory(manager=person)
    return people


def test_a_small_choice_set_lists_every_option(people, client_as, settings):
    settings.OPF_FULL_CHOICES = 5
    managers(3)
    tag, options = select(client_as(people.member).get("/projects/").content.decode(), "manager")
    assert len(options) == 4  # "Anyone" and the three managers
    assert "data-search-url" not in tag


def test_a_big_choice_set_draws_only_the_chosen_option(people, client_as, settings):
    settings.OPF_FULL_CHOICES = 2
    chosen, *_others = managers(4)
    html = client_as(people.member).get(f"/projects/?manager={chosen.pk}&q=").content.decode()
    tag, options = select(html, "manager")
    assert [value for value, _label in options] == ["", str(chosen.pk)]
    assert 'data-picker="user"' in tag and 'data-placeholder="Anyone"' in tag
    assert re.search(r"<option[^>]*selected[^>]*>", html.split('name="manager"')[1])
    search_url(tag)
    # without JavaScript: a link to the same list with every option
    assert "<noscript>" in html and "all_choices=1" in html
    full = client_as(people.member).get(f"/projects/?manager={chosen.pk}&all_choices=1")
    assert len(select(full.content.decode(), "manager")[1]) == 5


def test_a_chosen_value_outside_the_first_rows_is_drawn(people, client_as, settings):
    settings.OPF_FULL_CHOICES = 2
    last = sorted(managers(5), key=lambda u: u.username)[-1]
    html = client_as(people.member).get(f"/projects/?manager={last.pk}").content.decode()
    assert [v for v, _label in select(html, "manager")[1]] == ["", str(last.pk)]


def test_the_search_answers_the_matching_options_in_the_fields_order(people, client_as, settings):
    settings.OPF_FULL_CHOICES = 2
    shah = managers(1, first_name="Priya", last_name="Shah")[0]
    natarajan = managers(1, first_name="Priya", last_name="Natarajan")[0]
    managers(2, first_name="Omar", last_name="Khan")
    UserFactory(first_name="Priya", last_name="Manages-nothing")  # not in the field's set
    client = client_as(people.member)
    url = search_url(select(client.get("/projects/").content.decode(), "manager")[0])
    answer = client.get(url, {"q": "priya"}).json()
    expected = sorted([shah, natarajan], key=lambda u: u.username)
    assert [o["value"] for o in answer["options"]] == [u.pk for u in expected]
    assert {o["label"] for o in answer["options"]} == {str(shah), str(natarajan)}
    assert answer["more"] is False
    assert [o["value"] for o in client.get(url, {"q": "priya shah"}).json()["options"]] == [shah.pk]
    assert len(client.get(url).json()["options"]) == 4  # no words: the first ones


def test_the_search_needs_a_signed_in_reader_who_may_view_and_a_true_token(
    people, client_as, settings
):
    settings.OPF_FULL_CHOICES = 1
    managers(2)
    client = client_as(people.member)
    url = search_url(select(client.get("/projects/").content.decode(), "manager")[0])
    assert client_as(None).get(url).status_code == 302  # to the sign-in page
    nobody = UserFactory()
    nobody.groups.clear()
    assert client_as(nobody).get(url).status_code == 403
    reader = client_as(people.member)
    assert reader.get(reverse("choices", args=["forged"])).status_code == 404
    assert reader.get(url, {"q": "x" * 5000}).status_code == 400


def test_the_page_carries_no_long_option_lists_and_its_queries_do_not_grow(people, client_as):
    """With the default limit (100): 150 managers and 150 projects stay off the page."""
    client = client_as(people.member)
    managers(3)
    with CaptureQueriesContext(connection) as few:
        client.get("/non-compliances/")
    managers(150)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/non-compliances/").content.decode()
    assert html.count("<option") < 100
    _tag, projects = select(html, "project")
    assert projects == [("", "Any project")]
    assert len(many.captured_queries) == len(few.captured_queries)


def test_an_entry_form_draws_only_the_chosen_person_and_saves_any_other(
    people, client_as, settings
):
    settings.OPF_FULL_CHOICES = 2
    others = [UserFactory() for _ in range(3)]
    client = client_as(people.epg)
    html = client.get(reverse("appraisals:processneed_add")).content.decode()
    tag, options = select(html, "owner")
    assert options == [("", "Choose a person")] and "data-search-url" in tag
    response = client.post(
        reverse("appraisals:processneed_add"),
        {
            "statement": "Reviews find defects before test.",
            "kind": ProcessNeed.Kind.POLICY,
            "priority": 2,
            "owner": others[-1].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ProcessNeed.objects.get().owner == others[-1]
    options = client.get(search_url(tag), {"q": others[-1].last_name}).json()["options"]
    assert others[-1].pk in [o["value"] for o in options]


class OtherProjectForm(RefinedChoicesMixin, forms.Form):
    """A form whose choices need more than its reader: every project but ``project``
    (a ``ChoiceSearchForm``, as the carry-over form of a plan)."""

    other = forms.ModelChoiceField(queryset=Project.objects.order_by("pk"))

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        set_queryset(self.fields, "other", Project.objects.exclude(pk=project.pk).order_by("pk"))

    def choice_search_state(self) -> dict[str, Any]:
        return {"project": self.project.pk}

    @classmethod
    def for_choice_search(cls, request: HttpRequest, state: Any) -> OtherProjectForm | None:
        project = Project.objects.filter(pk=state.get("project")).first()
        return None if project is None else cls(project=project)


def test_a_form_built_from_its_signed_state_answers_the_search(people, client_as, settings):
    settings.OPF_FULL_CHOICES = 1
    this, *others = [ProjectFactory(name=f"Rollout {n}") for n in range(3)]
    tag, options = select(str(OtherProjectForm(project=this)["other"]), "other")
    assert options == [("", "Choose a project")]
    client = client_as(people.member)
    found = client.get(search_url(tag), {"q": "rollout"}).json()["options"]
    assert [o["value"] for o in found] == [p.pk for p in others]  # not the form's own project
    token = signing.dumps([f"{__name__}.OtherProjectForm", "other", {"project": 0}], SEARCH_SALT)
    assert client.get(reverse("choices", args=[token])).status_code == 404
