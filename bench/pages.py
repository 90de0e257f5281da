"""What the benchmark measures: pages and API lists, each a (name, kind, path) where
the path may need an id from the dataset (a callable that gets a lookup helper)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    name: str
    kind: str  # "page", "api", "export" (a whole list as CSV or XLSX) or "trivial"
    path: str | Callable[[], str]
    filtered: bool = False  # a filter or sort in the URL: EXPLAIN must find no seq scan
    limit_ms: float | None = None  # the median's target, when not the kind's own
    before: Callable[[], None] | None = None  # run before each request (not timed)

    def url(self) -> str:
        return self.path() if callable(self.path) else self.path


def _new_generation() -> None:
    """As after a bulk load (``bump``): every cached figure is computed again."""
    from opf.core.freshness import bump

    bump()


def _deployment_update() -> None:
    """As after a project manager's deployment update: one deployment saved (with its
    history row); only the figures that read deployments are computed again."""
    from deployment.models import ProjectDeployment

    deployment = ProjectDeployment.objects.order_by("pk").first()
    deployment.save()


def _first(model_path: str, url_name: str, **filters: object) -> Callable[[], str]:
    """The URL of the first record (matching ``filters``): the biggest one the
    dataset builders make come first."""

    def build() -> str:
        from django.apps import apps
        from django.urls import reverse

        model = apps.get_model(model_path)
        obj = model.objects.filter(**filters).order_by("pk").first()
        return reverse(url_name, args=[obj.pk])

    return build


def _trace(model_path: str) -> Callable[[], str]:
    def build() -> str:
        from django.apps import apps

        model = apps.get_model(model_path)
        obj = model.objects.order_by("pk").first()
        opts = model._meta
        return f"/trace/{opts.app_label}/{opts.model_name}/{obj.pk}/"

    return build


TARGETS = [
    Target("trivial view (health)", "trivial", "/health/"),
    Target("home page", "page", "/"),
    Target("org units list", "page", "/org-units/"),
    Target("projects list", "page", "/projects/"),
    Target("projects list, filtered", "page", "/projects/?phase=execution&sort=-start_date", True),
    Target("project page", "page", _first("opf.Project", "opf:project_detail")),
    Target("practices list", "page", "/practices/"),
    Target(
        "appraisal page",
        "page",
        _first("appraisals.Appraisal", "appraisals:appraisal_detail", state="closed"),
    ),
    Target(
        "appraisal grid",
        "page",
        _first("appraisals.Appraisal", "appraisals:appraisal_grid", state="closed"),
    ),
    Target(
        "findings report",
        "page",
        _first("appraisals.Appraisal", "appraisals:appraisal_report", state="closed"),
    ),
    Target("findings list, filtered", "page", "/findings/?kind=weakness", True),
    Target("improvement list", "page", "/improvements/"),
    Target("My projects", "page", "/my-projects/"),
    Target("coverage matrix", "page", "/coverage/"),
    # The dashboard as people see it (its figures and drawn panels are cached until the
    # tables they read change, opf.core.freshness); the look after a deployment update
    # (the most frequent write), which computes the panels that read deployments; and
    # the first look after a bulk load, which computes every panel: a ceiling that
    # catches a panel growing slow.
    Target("dashboard", "page", "/dashboard/", limit_ms=70.0),
    Target(
        "dashboard after a deployment update",
        "page",
        "/dashboard/",
        limit_ms=200.0,
        before=_deployment_update,
    ),
    Target(
        "dashboard, first look after a change",
        "page",
        "/dashboard/",
        limit_ms=400.0,
        before=_new_generation,
    ),
    Target(
        "action plan page",
        "page",
        _first(
            "actions.ProcessActionPlan", "actions:processactionplan_detail", state="in_progress"
        ),
    ),
    Target(
        "action plan board",
        "page",
        _first("actions.ProcessActionPlan", "actions:processactionplan_board", state="in_progress"),
    ),
    Target("open action items waiting for you", "page", "/action-items/?waiting=action-items"),
    Target("API my work", "api", "/api/v1/my-work/"),
    Target("lessons search", "page", "/lessons/?q=estimate", True),
    Target("non-compliances, overdue", "page", "/non-compliances/?overdue=true", True),
    Target("trace of a plan", "page", _trace("actions.ProcessActionPlan")),
    Target("API projects (50)", "api", "/api/v1/projects/"),
    Target("API dashboard", "api", "/api/v1/dashboard/", limit_ms=70.0),
    Target(
        "API dashboard, first look after a change",
        "api",
        "/api/v1/dashboard/",
        limit_ms=400.0,
        before=_new_generation,
    ),
    Target("API action items (50)", "api", "/api/v1/action-items/"),
    Target("API non-compliances (50)", "api", "/api/v1/non-compliances/"),
    Target("API measurements (50)", "api", "/api/v1/measurements/"),
    Target("API findings (50)", "api", "/api/v1/findings/"),
    Target("API improvements (50)", "api", "/api/v1/improvements/"),
    Target("API project deployments (50)", "api", "/api/v1/project-deployments/"),
    Target("API org units (50)", "api", "/api/v1/org-units/"),
    Target("API users (50)", "api", "/api/v1/users/"),
    # Whole lists, read to the last byte; timed with fewer rounds, with the peak memory.
    Target("findings export, CSV", "export", "/findings/?_export=csv"),
    Target("findings export, XLSX", "export", "/findings/?_export=xlsx"),
    Target("project deployments export, CSV", "export", "/project-deployments/?_export=csv"),
]
