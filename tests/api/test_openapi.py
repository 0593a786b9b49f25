"""`openapi.yaml` is committed; `make test` fails when it drifts from the code (as `make openapi-check` does in CI).
Regenerate it with `make openapi`."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import call_command

COMMITTED = Path(settings.BASE_DIR) / "openapi.yaml"


def test_openapi_yaml_equals_the_schema_generated_from_the_code(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
    assert COMMITTED.read_text() == generated.read_text(), "openapi.yaml is out of date: run `make openapi`."


def test_every_api_operation_documents_its_problem_responses():
    schema = yaml.safe_load(COMMITTED.read_text())
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/") or path.startswith("/api/v1/signals"):
            continue
        for method, operation in operations.items():
            assert "401" in operation["responses"], f"{method} {path}"
            problem = operation["responses"]["401"]["content"]["application/problem+json"]["schema"]
            assert problem == {"$ref": "#/components/schemas/Problem"}
            if path.startswith("/api/v1/mijn/"):  # the portal: the client's DigiD session only (#15)
                assert operation["security"] == [{"portalSession": []}], f"{method} {path}"
            elif path.startswith("/api/v1/notificaties/"):  # the NRC's webhook: the abonnement's auth only (#17)
                assert operation["security"] == [{"notificatiesAbonnement": []}], f"{method} {path}"
            else:
                assert operation["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]


def test_there_is_no_operation_that_lists_every_client():
    schema = yaml.safe_load(COMMITTED.read_text())
    assert set(schema["paths"]["/api/v1/clients"]) == {"post"}
