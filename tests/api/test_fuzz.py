"""The API fuzzed against openapi.yaml (#12 item 9; conventions: "a bounded schema-based run in CI: no 5xx, no
schema violation"). Schemathesis generates requests for every operation from the committed schema and sends them
in-process to the app as a klantregisseur (kim, Haarlem) with a client file that exists; every response must be
no server error, carry a documented status code and content type, and match the documented body.

Bounded and repeatable: a fixed seed (derandomize) and few examples per operation, so the run stays well under
two minutes."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import token  # noqa: F401 -- the token fixture


def _schema_file() -> str:
    """The schema as `make openapi` writes it from the code. tests/api/test_openapi.py keeps the committed
    openapi.yaml equal to it, so fuzzing this is fuzzing openapi.yaml (and a change is fuzzed before the file
    is regenerated)."""
    path = Path(tempfile.mkdtemp()) / "openapi.yaml"
    call_command("spectacular", "--file", str(path))
    return str(path)


SCHEMA = schemathesis.openapi.from_path(_schema_file())
SCHEMA.app = WSGIHandler()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MAX_EXAMPLES = 12


@pytest.fixture
def _same_connection() -> Iterator[None]:
    """Requests run on the test's database connection inside its transaction, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("_same_connection")
@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_every_operation_answers_as_documented(
    operation: Any,
    token: Any,  # noqa: F811 -- the API fixture, imported by name
    make_file: Any,
) -> None:
    client_file = make_file(assigned_to="kim")
    headers = {"Authorization": f"Token {token('kim')[1]}"}

    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        if "client_id" in (case.path_parameters or {}):
            case.path_parameters["client_id"] = client_file.pk
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)

    run()
