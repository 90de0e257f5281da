"""A TypeScript client generated from the served schema compiles (#22).

openapi-typescript (pinned in package.json, installed by ``npm ci`` in ``./dev test``
and CI) turns ``/api/v1/schema/`` as served into types; ``tsc --noEmit --strict``
then checks a small script written against them: records carry ``url`` (the API),
``web_url`` and ``display``, the lock ``version`` is a number, the reference model's
edition is ``edition``, problems list errors with an ``index`` for bulk writes.
Lines marked ``@ts-expect-error`` must fail to compile, so a shape that regresses
fails this test. Without node or the tools it fails in CI (``CI=true``) and is
skipped elsewhere, naming what to run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "node_modules" / ".bin"

USAGE = """\
import type { components, paths } from "./opf";

type Schemas = components["schemas"];
type Improvement = Schemas["Improvement"];
type ImprovementRow = Schemas["ImprovementSummary"];
type ImprovementPage =
  paths["/api/v1/improvements/"]["get"]["responses"][200]["content"]["application/json"];
type NewImprovement = NonNullable<
  paths["/api/v1/improvements/"]["post"]["requestBody"]
>["content"]["application/json"];
type MeasurementItems =
  paths["/api/v1/measurements/bulk/"]["post"]["requestBody"] extends
    { content: { "application/json": infer Body } } ? Body : never;
type StatusItems =
  paths["/api/v1/project-deployments/bulk-status/"]["post"]["requestBody"] extends
    { content: { "application/json": infer Body } } ? Body : never;

export function firstTitle(page: ImprovementPage): string | undefined {
  const first: ImprovementRow | undefined = page.results[0];
  return first?.title;
}

export function reference(record: Improvement): { id: number; url: string; page: string; name: string; lock: number } {
  return { id: record.id, url: record.url, page: record.web_url, name: record.display, lock: record.version };
}

export function edition(model: Schemas["ReferenceModel"]): string {
  // @ts-expect-error the reference model's edition is not called version
  const wrong: string = model.version;
  return model.edition ?? wrong;
}

export const draft: NewImprovement = { title: "Shorter reviews" };

// @ts-expect-error a title is a text
export const wrongType: NewImprovement = { title: 12 };

export const feed: MeasurementItems = [
  { measure: 1, project: 2, period: "2026-01-01", value: "10.5" },
];

export const report: StatusItems = [{ id: 3, transition: "use", notes: "Everyone on board." }];

// @ts-expect-error a step the deployment does not have
export const badStep: StatusItems = [{ id: 3, transition: "fly" }];

export function failingItems(problem: Schemas["Problem"]): number[] {
  return (problem.errors ?? []).map((error) => error.index ?? -1);
}
"""

TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "noEmit": True,
        "target": "ES2022",
        "module": "ESNext",
        "moduleResolution": "Bundler",
        "lib": ["ES2022"],
        "skipLibCheck": False,
        "types": [],
    },
    "files": ["usage.ts", "opf.d.ts"],
}


def tool(name: str) -> str:
    """The installed tool, or a failure in CI (a skip elsewhere) saying what to run."""
    found = BIN / name
    missing = []
    if shutil.which("node") is None:
        missing.append("node (Node.js 20)")
    if not found.exists():
        missing.append(f"{name} (run `npm ci` at the repository's root)")
    if missing:
        message = "The TypeScript client check needs " + " and ".join(missing) + "."
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return str(found)


def run(command: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own tools, our own files)
        command, cwd=folder, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_typescript_client_generated_from_the_served_schema_compiles(people, api_as, tmp_path):
    generator, compiler = tool("openapi-typescript"), tool("tsc")
    served = api_as(people.member).get("/api/v1/schema/", {"format": "json"})
    assert served.status_code == 200
    (tmp_path / "openapi.json").write_bytes(served.content)
    # Defaults do not make a request's field required (openapi-typescript's own default).
    options = ["--default-non-nullable", "false"]
    made = run([generator, "openapi.json", *options, "--output", "opf.d.ts"], tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    (tmp_path / "usage.ts").write_text(USAGE)
    (tmp_path / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    checked = run([compiler, "--project", "tsconfig.json"], tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_type_check_can_fail(tmp_path):
    """The compiler refuses a script that misuses the types (so a pass means something)."""
    compiler = tool("tsc")
    (tmp_path / "opf.d.ts").write_text(
        "export interface components { schemas: { Improvement: { id: number } } }\n"
        "export interface paths {}\n"
    )
    (tmp_path / "usage.ts").write_text(
        'import type { components } from "./opf";\n'
        'export const wrong: components["schemas"]["Improvement"] = { id: "1" };\n'
    )
    (tmp_path / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    checked = run([compiler, "--project", "tsconfig.json"], tmp_path)
    assert checked.returncode != 0 and "usage.ts" in checked.stdout
