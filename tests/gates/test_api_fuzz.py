"""Bad input refused: schemathesis generates requests (valid and invalid) from
the OpenAPI schema for every operation and checks the answers: never a 500,
responses match the schema and status codes, invalid data is rejected."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from opf.core.roles import PROCESS_GROUP
from tests.factories import ProjectFactory, UserFactory

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    negative_data_rejection,
]


# Schemathesis's coverage phase enumerates every boundary case of every field of
# every operation as explicit examples, at collection in each xdist worker: with
# 427 operations it cost more than the rest of the suite together (about 20 of
# CI's 35 minutes). The examples and fuzzing phases still send valid and invalid
# bodies (positive and negative generation) to every operation, and
# tests/gates/test_form_bad_input.py sends each field's boundary values to pages.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})


def load_schema() -> schemathesis.BaseSchema:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(raw, config=CONFIG)
    loaded.app = get_wsgi_application()
    return loaded


@pytest.fixture
def in_process_requests():
    """Like Django's test client: the WSGI app must not close the test's DB connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, in_process_requests) -> str:
    user = UserFactory(roles=[PROCESS_GROUP])
    ProjectFactory.create_batch(2, manager=user)
    return Token.objects.create(user=user).key


schema = load_schema()


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_bad_input_properly(case, token):
    checks = CHECKS
    if case.media_type and case.media_type.startswith("multipart/"):
        # Only file uploads are multipart (#22). Schemathesis's in-process multipart
        # encoding drops some fields it means to send, so a "negative" body can arrive
        # valid; these bodies are still checked for server errors, status codes and
        # response schemas, JSON bodies for everything.
        checks = [check for check in CHECKS if check is not negative_data_rejection]
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=checks)
