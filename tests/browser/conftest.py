"""Playwright drives Debian's Chromium (never a browser downloaded by a tool)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from playwright.sync_api import Locator, Page

CHROMIUM = os.environ.get("OPF_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def console_errors(page) -> list[str]:
    """Console errors of the page (CSP violations show up here)."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def sign_in(page, live_server):
    def go(username: str, password: str = "pw-for-tests") -> None:
        page.goto(f"{live_server.url}/")
        assert "/accounts/login/" in page.url
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")

    return go


def signed_in_without_javascript(browser, live_server, username: str, viewport=None):
    """A new page with JavaScript off (at ``viewport`` if given), signed in as
    ``username``: what a person without scripts sees."""
    options = {"java_script_enabled": False}
    if viewport:
        options["viewport"] = viewport
    page = browser.new_context(**options).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


# axe-core as shipped inside the axe-playwright-python wheel (a PyPI package,
# installed by `./dev test`): no download at test time, no CDN.
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}
# HTMX marks what it is loading, swapping or settling; the page is only
# audited once nothing is (a panel loading on "load" changes the page).
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
HTMX_IDLE = f"document.readyState === 'complete' && !document.querySelector('{HTMX_BUSY}')"
# The page's own content, once HTMX is done with it, and its chrome (top bar and
# main navigation) without what changes from page to page in it: the mark of
# the current page and what the chrome polls for (the unread count).
PARTS = f"""() => {{
  const main = document.querySelector('main');
  if (document.readyState !== 'complete' || main?.querySelector('{HTMX_BUSY}')) return false;
  const chrome = [...document.querySelectorAll('body > header, nav.sidenav')].map(part => {{
    const copy = part.cloneNode(true);
    copy.querySelectorAll('[hx-trigger]').forEach(e => {{ e.replaceChildren(); e.className = ''; }});
    return copy.outerHTML.replaceAll(' aria-current="page"', '');
  }});
  return [main?.outerHTML ?? '', chrome.join('')];
}}"""
CHROME = ["body > header", "nav.sidenav"]
# What differs between two renderings of the same page: the CSRF token and the
# moment something happened (``<time>``); neither changes what axe-core finds.
VOLATILE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|<time[^>]*>[^<]*</time>')


def wait_for_htmx(page: Page) -> None:
    page.wait_for_function(f"() => {HTMX_IDLE}", timeout=10_000)


def axe_violations(
    page: Page, within: str | None = None, exclude: list[str] | None = None
) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now: all
    of it, the part ``within`` selects (e.g. ``#results`` after a swap) or all
    but what ``exclude`` selects.

    The script goes in through the DevTools protocol (``page.evaluate``), which
    the page's Content-Security-Policy does not govern, so the policy stays on
    for everything the application itself does."""
    wait_for_htmx(page)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "([within, exclude, tags]) => axe.run("
        "within ? document.querySelector(within) "
        ": exclude.length ? {exclude: exclude.map(s => [s])} : document, "
        "{resultTypes: ['violations'], runOnly: {type: 'tag', values: tags}})",
        [within, exclude or [], AXE_TAGS],
    )
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [
                {"target": node["target"], "html": node["html"][:160]}
                for node in violation["nodes"][:4]
            ],
        }
        for violation in result["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation and per element (at most four shown)."""
    lines = []
    for v in violations:
        lines.append(f"  {v['rule']} ({v['impact']}): {v['help']}")
        lines += [f"    at {' '.join(n['target'])}: {n['html']}" for n in v["nodes"]]
    return "\n".join(lines)


def whole_page_problem(page: Page) -> str | None:
    """Why this is not one whole page (say, a page swapped into another), or None.

    Read once the document has loaded and HTMX is idle: right after a click
    that navigates, the new document may be committed but not yet parsed."""
    wait_for_htmx(page)
    mains, navs, bars = page.evaluate(
        "() => ['main', 'nav.sidenav', 'header.topbar']"
        ".map(s => document.querySelectorAll(s).length)"
    )
    if mains != 1:
        return f"{mains} <main> elements (a page nested in another, or a fragment alone)"
    if navs > 1:
        return f"{navs} main navigations: a page nested in another"
    if bars > 1:
        return f"{bars} top bars: a page nested in another"
    return None


def _fingerprint(html: str) -> str:
    return hashlib.sha256(VOLATILE.sub("", html).encode()).hexdigest()


def assert_sound_page(
    page: Page, *, within: str | None = None, audited: set[str] | None = None
) -> None:
    """What every page a person reaches must be: one whole page (one ``main``,
    one main navigation and top bar: no page nested inside another by an HTMX
    swap) with no serious or critical axe-core violation.

    ``within``: audit only that part (what a swap replaced; the rest was audited
    with the page). ``audited``: a set the caller keeps across pages (and
    roles) of what axe-core found sound: the page's ``main`` and its chrome (top
    bar and main navigation, ``aria-current`` aside). The same markup gives the
    same result, so a page whose main and chrome are both known sound is not
    audited again, and a known chrome is left out of the audit of a new main."""
    problem = whole_page_problem(page)
    if problem is not None:
        raise AssertionError(f"{page.url}: {problem}")
    keys: list[str] = []
    exclude: list[str] = []
    if audited is not None and within is None:
        parts = page.wait_for_function(PARTS, timeout=10_000).json_value()
        keys = [_fingerprint(part) for part in parts]
        main_key, chrome_key = keys
        if main_key in audited and chrome_key in audited:
            return
        if chrome_key in audited:
            exclude = CHROME
    violations = axe_violations(page, within, exclude)
    if violations:
        raise AssertionError(f"{page.url}: axe-core violations\n{describe(violations)}")
    if audited is not None:
        audited.update(keys)


@pytest.fixture
def sound_page() -> Callable[..., None]:
    """``sound_page(page)`` checks the page as ``assert_sound_page`` does."""
    return assert_sound_page


def choose(scope: Page | Locator, label: str, option: str | list[str]) -> None:
    """Choose ``option`` (a label, or labels) in the field labelled ``label``: a
    searchable picker (static/js/forms.js: the label names its search box) or a plain
    select. A picker's <select> stays in the form (it is what is posted): the choice
    goes there and the picker shows it."""
    field = scope.get_by_label(label)
    control = field.get_attribute("id") or ""
    # Found by id, not by label again: the picker may start between the two calls
    # and take the label over (the label then names its search box, not the select).
    if control:
        field = scope.locator(f"select#{control.removesuffix('-ts-control')}")
    field.select_option(label=option)
