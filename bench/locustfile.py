"""The load test's users (run by bench/load.py, which starts gunicorn and locust).

Each simulated user signs in as one of the personas bench/load.py prepared
(executives, process group, project managers, members) and mixes what they do
in a working day: the dashboards, lists, record pages, project managers'
deployment updates through the API (with If-Match, on their own projects; a 412
from a concurrent edit is read again and retried, as a client does) and
scripts' API reads with a token. Any answer other than the expected one is a
failure, and the run fails on the first.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

PERSONAS: list[dict[str, Any]] = json.loads(
    open(os.environ["OPF_LOAD_PERSONAS"]).read()  # noqa: SIM115 - read once at import
)
_next_persona = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Seconds a person waits between clicks: "low,high" (bench/load.py --think). People
# at work read a page for longer; 2-6 s is a busy day's pace, 50 users then ask
# about 15 requests a second. "0.2,1" is a stress run that finds the ceiling.
THINK = tuple(float(s) for s in os.environ.get("OPF_LOAD_THINK", "2,6").split(","))


class ProgramUser(HttpUser):
    wait_time = between(THINK[0], THINK[1])

    def on_start(self) -> None:
        self.persona = PERSONAS[next(_next_persona) % len(PERSONAS)]
        self.api = {"Authorization": f"Token {self.persona['token']}"}
        self.rng = random.Random(self.persona["username"])  # noqa: S311 - load mix, not secrets
        login = self.client.get("/accounts/login/", name="sign-in page")
        token = CSRF.search(login.text)
        with self.client.post(
            "/accounts/login/",
            {
                "username": self.persona["username"],
                "password": self.persona["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused for {self.persona['username']}")

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {path}")

    @task(3)
    def dashboard(self) -> None:
        if self.persona["role"] in ("executive", "process_group"):
            self.page("/dashboard/", "executive dashboard")
        else:
            self.page("/", "home")

    @task(4)
    def lists(self) -> None:
        path, name = self.rng.choice(
            [
                ("/projects/", "projects list"),
                ("/improvements/", "improvement list"),
                ("/findings/?kind=weakness", "findings list, filtered"),
                ("/lessons/?q=estimate", "lessons search"),
                ("/action-items/?waiting=action-items", "action items waiting for you"),
                ("/coverage/", "coverage matrix"),
            ]
        )
        self.page(path, name)

    @task(3)
    def record_pages(self) -> None:
        self.page(f"/projects/{self.rng.choice(self.persona['projects'])}/", "project page")

    @task(2)
    def api_reads(self) -> None:
        path = self.rng.choice(["/api/v1/projects/", "/api/v1/action-items/", "/api/v1/findings/"])
        with self.client.get(
            path, headers=self.api, name=f"API {path}", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {path}")

    @task(2)
    def deployment_update(self) -> None:
        mine = self.persona["deployments"]
        if not mine:
            self.page("/my-projects/", "My projects")
            return
        url = f"/api/v1/project-deployments/{self.rng.choice(mine)}/"
        # Two users may share a persona and edit one deployment at once: a 412 is the
        # app refusing a stale write, as it must. A client reads again and retries.
        for attempt in range(3):
            read = self.client.get(url, headers=self.api, name="API deployment")
            with self.client.patch(
                url,
                json={"notes": f"Status checked by {self.persona['username']}"},
                headers={**self.api, "If-Match": read.headers.get("ETag", "")},
                name="API deployment update",
                catch_response=True,
            ) as response:
                if response.status_code == 412 and attempt < 2:
                    response.success()  # refused stale write: read again and retry
                    continue
                if response.status_code != 200:
                    detail = response.text[:200]
                    response.failure(f"{response.status_code} on PATCH {url}: {detail}")
                return
