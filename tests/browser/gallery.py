"""A gallery of every role's pages at a laptop and a phone size (``./dev screenshots``).

It builds the demo organization in its own SQLite database under ``var/gallery/``
(kept between runs, so the second run starts at once), serves it with
``runserver`` on a free port, signs in as each demo role in Debian's Chromium and
captures the home page and every page the role's menu links to, then writes
``index.html`` beside the pictures. The folder is under ``var/`` (not committed).

    ./dev screenshots                 # every role, into var/screenshots/
    ./dev screenshots --roles pm exec --out /tmp/shots

Look at it before saying a page is done: what a person sees is the measure.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("OPF_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SIZES = {"laptop": (1366, 900), "phone": (390, 844)}
# The demo's sign-ins (opf/organization/demo.py), one per role.
ROLES = {
    "epg": "Process group",
    "exec": "Executive",
    "pm": "Project manager",
    "appraiser": "Appraiser",
    "member": "Member",
}
DEMO_PASSWORD = "opf-demo"  # the documented demo password (README)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own manage.py


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("The server did not answer within 60 s.")


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def menu_links(page: Page) -> list[tuple[str, str]]:
    """(label, path) of every page the main menu links to, in menu order."""
    links = page.eval_on_selector_all(
        "#nav a[href^='/']",
        "els => els.map(a => [a.textContent.trim().replace(/\\s+\\d+$/, ''),"
        " a.getAttribute('href')])",
    )
    seen: set[str] = set()
    found = []
    for label, href in links:
        path = href.split("#")[0]
        if path and path not in seen:
            seen.add(path)
            found.append((label, path))
    return found


def capture(base: str, out: Path, roles: list[str]) -> list[tuple[str, str, str, str]]:
    """Screenshots; returns (role, label, size, file) rows for the index."""
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for role in roles:
            width, height = SIZES["laptop"]
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.get_by_label("Username").fill(role)
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/")
            pages = [("Home", "/"), *(link for link in menu_links(page) if link[1] != "/")]
            (out / role).mkdir(parents=True, exist_ok=True)
            for number, (label, path) in enumerate(pages, 1):
                for size, (width, height) in SIZES.items():
                    page.set_viewport_size({"width": width, "height": height})
                    page.goto(base + path, wait_until="networkidle")
                    name = f"{role}/{number:02d}-{slug(path)}-{size}.png"
                    page.screenshot(path=out / name, full_page=True)
                    rows.append((role, label, size, name))
                print(f"  {role}: {label} ({path})")
            context.close()
        browser.close()
    return rows


def write_index(out: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    parts = [
        "<!doctype html><meta charset='utf-8'><title>OPF screenshots</title>",
        "<style>body{font:14px system-ui;margin:2rem}figure{display:inline-block;"
        "vertical-align:top;margin:0 1rem 1rem 0}img{border:1px solid #ccc;max-height:420px}"
        "</style><h1>OPF screenshots</h1>",
    ]
    current = None
    for role, label, size, name in rows:
        if role != current:
            parts.append(f"<h2>{html.escape(ROLES.get(role, role))} ({html.escape(role)})</h2>")
            current = role
        parts.append(
            f"<figure><a href='{html.escape(name)}'><img src='{html.escape(name)}' "
            f"alt='{html.escape(label)}, {size}'></a><figcaption>{html.escape(label)} "
            f"· {size}</figcaption></figure>"
        )
    index = out / "index.html"
    index.write_text("\n".join(parts), encoding="utf-8")
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "screenshots")
    parser.add_argument("--roles", nargs="*", choices=sorted(ROLES), default=list(ROLES))
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    data = ROOT / "var" / "gallery"
    data.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opf.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",
        "MEDIA_ROOT": str(data / "media"),
    }
    env.pop("REDIS_URL", None)
    print("==> preparing the demo organization (var/gallery/)")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "demo_data", "--if-empty")
    port = free_port()
    server = serve(env, port)
    try:
        shutil.rmtree(args.out, ignore_errors=True)
        args.out.mkdir(parents=True)
        print(f"==> capturing into {args.out}")
        rows = capture(f"http://127.0.0.1:{port}", args.out, args.roles)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"==> {len(rows)} screenshots; open {write_index(args.out, rows)}")


if __name__ == "__main__":
    main()
