"""The main navigation (``opf.core.navigation``): each role sees what it uses, in
sections; every label is the title of the page it opens; the current page is marked;
the counts and the "New…" menu are rendered by the server (no JavaScript needed)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from opf.core.navigation import items, items_for, new_items, new_items_for
from opf.notifications.models import Notification
from tests.actions.factories import ActionItemFactory, ProcessActionPlanFactory

pytestmark = pytest.mark.django_db

ROLES = ["epg", "pm", "executive", "appraiser", "member"]


def nav_links(html: str) -> list[tuple[str, str, bool]]:
    """(label, href, current) of every link in the main navigation, in order."""
    nav = re.search(r'<nav class="sidenav".*?</nav>', html, re.S)
    assert nav is not None
    links = re.findall(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', nav.group(0), re.S)
    return [
        (text_of(label), unescape(href), 'aria-current="page"' in attributes)
        for href, attributes, label in links
        if not href.startswith("#")  # "Close the menu" (phones)
    ]


def text_of(fragment: str) -> str:
    fragment = re.sub(r'<span class="sr-only">.*?</span>', "", fragment, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def h1_of(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found is not None
    return text_of(found.group(1))


def labels(user) -> list[str]:
    return [str(item.label) for item in items_for(user)]


def test_a_member_sees_a_few_links(people):
    assert labels(people.member) == [
        "Your open action items",
        "Non-compliances",
        "Lessons",
        "Improvement proposals",
    ]


def test_each_role_sees_what_it_uses(people):
    everything = [str(item.label) for item in items()]
    # The process group runs all of it, but has no projects of its own to manage.
    assert set(everything) - set(labels(people.epg)) == {"My projects", "Lessons to reuse"}
    assert len(everything) > 40
    pm = labels(people.pm)
    assert {"My projects", "Lessons to reuse", "Project deployments", "Projects"} <= set(pm)
    assert not {"Findings", "Executive dashboard", "Measures"} & set(pm)
    executive = labels(people.executive)
    assert {"Executive dashboard", "Steering meetings", "Deployment plans"} <= set(executive)
    assert not {"Findings", "My projects", "Commitments"} & set(executive)
    appraiser = labels(people.appraiser)
    assert {"Appraisals", "Findings", "Evidence", "Ratings", "Compliance audits"} <= set(appraiser)
    assert not {"My projects", "Executive dashboard", "Deployment plans"} & set(appraiser)
    for role in ROLES[1:]:
        assert len(labels(getattr(people, role))) < len(everything) / 2, role


def test_a_superuser_sees_everything(people):
    people.member.is_superuser = True
    assert labels(people.member) == [str(item.label) for item in items()]


@pytest.mark.parametrize("role", ROLES)
def test_every_label_is_the_title_of_its_page_which_it_marks(role, people, client_as):
    user = getattr(people, role)
    client = client_as(user)
    home = client.get("/").content.decode()
    links = nav_links(home)
    assert links[0] == ("Waiting for you", "/", True)
    for label, href, _current in links[1:]:
        response = client.get(href)
        assert response.status_code == 200, (label, href)
        html = response.content.decode()
        assert h1_of(html) == label, href
        marked = [link for link in nav_links(html) if link[2]]
        assert marked == [(label, href, True)], href


def test_a_record_page_marks_its_list_and_opens_its_section(people, client_as):
    plan = ProcessActionPlanFactory()
    html = client_as(people.epg).get(plan.get_absolute_url()).content.decode()
    assert [link[:2] for link in nav_links(html) if link[2]] == [
        ("Process action plans", "/action-plans/")
    ]
    opened = re.findall(r'<details class="nav-section[^"]*" data-section="(\w+)" open>', html)
    assert opened == ["work", "actions"]  # the others start closed (nav.js remembers)


def test_few_links_are_all_in_open_sections(people, client_as):
    html = client_as(people.member).get("/").content.decode()
    sections = re.findall(r'<details class="nav-section[^"]*" data-section="(\w+)"( open)?>', html)
    assert sections == [("work", " open"), ("lessons", " open")]


def test_the_navigation_follows_the_page(people, client_as):
    html = client_as(people.member).get("/").content.decode()
    assert html.index('<main id="main"') < html.index('<nav class="sidenav" id="nav"')
    assert 'href="#nav"' in html  # the menu link (phones), working without JavaScript


def test_the_counts_are_in_the_page_without_javascript(people, client_as):
    plan = ProcessActionPlanFactory(state="in_progress")
    ActionItemFactory.create_batch(2, plan=plan, assignee=people.member)
    for n in range(3):
        Notification.objects.create(recipient=people.member, kind="test", title=f"Note {n}")
    html = client_as(people.member).get("/lessons/").content.decode()
    waiting = re.search(r'<span id="waiting-count"[^>]*>(.*?)</span></a>', html, re.S)
    assert waiting is not None and text_of(waiting.group(1)).startswith("2")
    unread = re.search(r'<span id="unread-count"[^>]*>(.*?)</span></a>', html, re.S)
    assert unread is not None and text_of(unread.group(1)) == "3"


def test_the_new_menu_offers_what_the_user_may_create(people, client_as):
    member = [str(item.label) for item in new_items_for(people.member)]
    assert member == ["Lesson learned", "Improvement proposal"]
    epg = [str(item.label) for item in new_items_for(people.epg)]
    assert {"Project", "Appraisal", "Process action plan", "Process asset"} <= set(epg)
    assert "Tailoring record" in [str(i.label) for i in new_items_for(people.pm)]
    html = client_as(people.member).get("/").content.decode()
    menu = re.search(r'<details class="new-menu">.*?</details>', html, re.S)
    assert menu is not None
    assert "/lessons/submit/" in menu.group(0)
    assert "/projects/add/" not in menu.group(0)


@pytest.mark.parametrize("role", ["epg", "pm", "member"])
def test_every_new_item_opens_its_form(role, people, client_as):
    user = getattr(people, role)
    client = client_as(user)
    offered = new_items_for(user)
    assert offered
    for item in offered:
        assert client.get(item.url).status_code == 200, item.url
    assert len(new_items()) >= len(offered)
