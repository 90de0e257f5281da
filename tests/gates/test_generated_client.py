"""A client generated from the served schema works as served (#22).

Scripts and other tools drive OPF through clients generated from
``/api/v1/schema/`` by tools no one here wrote. This test fetches the schema a
running server serves, generates a Python client with openapi-python-client
into a temporary folder (the schema untouched), imports every module of it and
drives a few calls of the improvement loop through it with a token: list,
create, a refused create (problem details with codes), a step refused with a
stale ``If-Match`` (412 with the record as it is now) and taken with the
current one.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rest_framework.authtoken.models import Token

from actions.models import Improvement
from opf.core.roles import PROCESS_GROUP
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PACKAGE = "opf_client"


def generator() -> list[str]:
    """The openapi-python-client command (the dev extra installs it next to Python)."""
    script = Path(sys.executable).with_name("openapi-python-client")
    if script.exists():
        return [str(script)]
    found = shutil.which("openapi-python-client")
    if found is None:
        pytest.fail(
            "openapi-python-client is missing: install the dev extra (pip install -e .[dev])"
        )
    return [found]


def served_schema(base_url: str, token: str) -> dict[str, Any]:
    answer = httpx.get(
        f"{base_url}/api/v1/schema/",
        params={"format": "json"},
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text[:300]
    return answer.json()


def generate(schema: dict[str, Any], folder: Path) -> Path:
    source = folder / "openapi.json"
    source.write_text(json.dumps(schema))
    config = folder / "config.json"
    # No formatting hooks: the client is generated to be imported, not read.
    config.write_text(json.dumps({"project_name_override": PACKAGE, "post_hooks": []}))
    done = subprocess.run(  # noqa: S603 (our own command, our own files)
        [
            *generator(),
            "generate",
            "--path",
            str(source),
            "--meta",
            "none",
            "--config",
            str(config),
            "--output-path",
            str(folder / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # A warning means part of the schema was left out of the client.
    skipped = [line for line in done.stdout.splitlines() if line.startswith(("WARNING", "Unable"))]
    # The one accepted gap: the generator does not model a PDF body (documents/{id}/file/).
    assert [line for line in skipped if "/documents/{id}/file/" not in line] == [], done.stdout
    return folder


@pytest.fixture
def client_package(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def import_all() -> int:
    package = importlib.import_module(PACKAGE)
    failed: dict[str, str] = {}
    count = 0
    for module in pkgutil.walk_packages(package.__path__, f"{PACKAGE}."):
        count += 1
        try:
            importlib.import_module(module.name)
        except Exception as error:
            failed[module.name] = f"{type(error).__name__}: {error}"
    assert failed == {}, f"{len(failed)} of {count} modules do not import: {failed}"
    return count


def test_a_client_generated_from_the_served_schema_drives_the_api(live_server, client_package):
    user = UserFactory(roles=[PROCESS_GROUP])
    token = Token.objects.create(user=user).key
    generate(served_schema(live_server.url, token), client_package)
    assert import_all() > 400

    from opf_client import AuthenticatedClient
    from opf_client.api.improvements import (
        improvements_create,
        improvements_defer_create,
        improvements_list,
        improvements_retrieve,
    )
    from opf_client.models import Improvement as ImprovementRecord
    from opf_client.models import ImprovementRequest, Problem, TransitionRequest

    client = AuthenticatedClient(base_url=live_server.url, token=token, prefix="Token")

    created = improvements_create.sync_detailed(
        client=client, body=ImprovementRequest(title="Shorter reviews")
    )
    assert created.status_code == 201, created.content
    record = created.parsed
    assert isinstance(record, ImprovementRecord) and record.title == "Shorter reviews"

    listed = improvements_list.sync(client=client)
    assert [r.id for r in listed.results] == [record.id]

    refused = improvements_create.sync_detailed(
        client=client, body=ImprovementRequest(title="x" * 1000)
    )
    assert refused.status_code == 400
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.parsed
    assert isinstance(problem, Problem) and problem.status == 400
    assert [(e.field, e.code) for e in problem.errors] == [("title", "max_length")]

    read = improvements_retrieve.sync_detailed(record.id, client=client)
    etag = read.headers["etag"]
    assert etag == f'"{record.id}-{record.version}"'
    stale = f'"{record.id}-{record.version - 1}"'
    step = TransitionRequest(reason="Not this year")
    late = improvements_defer_create.sync_detailed(
        record.id, client=client, body=step, if_match=stale
    )
    assert late.status_code == 412
    assert isinstance(late.parsed, Problem) and late.parsed.code == "stale"
    assert late.parsed.current["state"] == "candidate"
    deferred = improvements_defer_create.sync_detailed(
        record.id, client=client, body=step, if_match=etag
    )
    assert deferred.status_code == 200, deferred.content
    assert deferred.parsed.state.value == "deferred"
    assert Improvement.objects.get(pk=record.id).state == "deferred"


def test_every_operation_has_an_id_a_summary_and_words_of_its_own():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [o for ops in schema["paths"].values() for o in ops.values()]
    ids = [o["operationId"] for o in operations]
    assert len(ids) == len(set(ids))
    assert all(o.get("summary") for o in operations)
    main = ("improvements", "action-plans", "appraisals", "asset-versions", "measurements")
    described = [
        o["description"]
        for path, ops in schema["paths"].items()
        if path.split("/")[3] in main
        for o in ops.values()
    ]
    assert all(described) and len(described) == len(set(described))
    body = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "code"} <= set(body["required"])
