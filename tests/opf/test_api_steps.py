"""One way to declare an API step, one place that answers what services refuse (#23)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.test import APIRequestFactory

import opf.urls  # noqa: F401  (registers every app's endpoints)
from deployment.models import AssetVersion
from opf.core.errors import TransitionRefused
from opf.core.rest.exceptions import exception_handler
from opf.core.rest.router import router
from opf.core.versioning import StaleVersion
from tests.deployment.factories import AssetVersionFactory


def _steps():
    for _prefix, viewset, _basename in router.registry:
        for handler in viewset.get_extra_actions():
            if hasattr(handler, "step_request"):
                yield viewset, handler


def test_every_api_step_is_a_method_of_its_viewset_named_after_the_step():
    steps = list(_steps())
    assert len(steps) > 50
    for viewset, handler in steps:
        assert handler.__qualname__ == f"{viewset.__name__}.{handler.__name__}", handler
        assert handler.__module__ == viewset.__module__
        assert handler.url_path == handler.__name__.replace("_", "-")


# Steps that are not a change of state, and why.
NOT_TRANSITIONS = {
    "carry_over": "hands an open item, issue or commitment to another plan (#19); "
    "its state stays what it was, the record is marked carried",
    "ping": "sends a test event to a webhook endpoint; the endpoint does not change",
    "rotate_secret": "replaces a webhook endpoint's signing secret; no state to change",
    "redeliver": "sends a webhook delivery again: a fresh round of attempts, its status "
    "kept by the delivery service, not a workflow",
}


def test_a_workflow_step_offered_by_the_api_is_a_transition_of_the_model():
    for viewset, handler in _steps():
        if handler.__name__ in NOT_TRANSITIONS:
            continue
        workflow = getattr(viewset.queryset.model, "workflow", None)
        assert workflow is not None and handler.__name__ in workflow.transitions, handler


class _View:
    """What the handler reads of a view: the serializer its records are shown with."""

    def get_serializer_class(self):
        from deployment.api import AssetVersionSerializer

        return AssetVersionSerializer


def _answer(error: Exception):
    request = APIRequestFactory().post("/")
    return exception_handler(error, {"view": _View(), "request": request})


def test_a_refused_step_is_409_with_the_reason():
    response = _answer(TransitionRefused("Not now."))
    assert (response.status_code, response.data) == (
        409,
        {
            "type": "urn:opf:problem:conflict",
            "title": "Not possible now",
            "status": 409,
            "detail": "Not now.",
            "code": "refused",
        },
    )
    assert response.content_type == "application/problem+json"


def test_a_service_validation_error_is_400_by_field():
    response = _answer(DjangoValidationError({"reason": "Give a reason.", "__all__": "No."}))
    assert response.status_code == 400
    assert response.data["errors"] == [
        {"field": "reason", "pointer": "/reason", "code": "invalid", "detail": "Give a reason."},
        {"field": "non_field_errors", "pointer": "", "code": "invalid", "detail": "No."},
    ]
    assert response.data["detail"] == "reason: Give a reason. No."
    coded = _answer(
        DjangoValidationError({"title": DjangoValidationError("Taken.", code="unique")})
    )
    assert coded.data["errors"][0]["code"] == "unique"


def test_a_service_permission_denied_is_403_with_its_message():
    denied = _answer(PermissionDenied("Only the lead.")).data
    assert (denied["detail"], denied["code"], denied["status"]) == (
        "Only the lead.",
        "permission_denied",
        403,
    )
    assert _answer(PermissionDenied()).status_code == 403


@pytest.mark.django_db
def test_a_stale_version_is_412_with_the_record_as_it_is_now():
    version = AssetVersionFactory()
    AssetVersion.objects.filter(pk=version.pk).update(version=3)
    version.refresh_from_db()
    response = _answer(StaleVersion(version, expected=1))
    assert response.status_code == 412
    assert response.data["current"]["id"] == version.pk
    assert response.data["current"]["version"] == 3
    assert "version 3" in str(response.data["detail"])
