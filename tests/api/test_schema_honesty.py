"""The generated schema says what the API does (#12 item 9): read-only fields that may be blank or null say so,
and PATCH bodies are optional field by field except where the endpoint needs a field (patch_is_partial = False).
The fuzzer (test_fuzz.py) checks the answers; these tests pin the schema rules themselves."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    call_command("spectacular", "--file", str(path))
    return yaml.safe_load(path.read_text())


def _request_component(schema: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    body = schema["paths"][path][method]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_a_patch_that_needs_fields_says_so(schema):
    talk = _request_component(schema, "/api/v1/clients/{client_id}/progress-talks/{talk_id}", "patch")
    assert sorted(talk["required"]) == ["held_on", "summary"]
    bezwaar = _request_component(
        schema, "/api/v1/clients/{client_id}/pip-versions/{version_id}/bezwaren/{bezwaar_id}", "patch"
    )
    assert bezwaar["required"] == ["status"]


def test_a_partial_patch_requires_nothing(schema):
    client_file = _request_component(schema, "/api/v1/clients/{client_id}", "patch")
    assert "required" not in client_file


def test_blank_and_null_read_only_fields_are_documented(schema):
    components = schema["components"]["schemas"]
    blank = {"type": "string", "enum": [""]}
    assert components["ClientFile"]["properties"]["doelgroep"]["anyOf"][1] == blank
    assert components["Person"]["properties"]["email"]["anyOf"][1] == blank
    assert components["PipVersionDetail"]["properties"]["submitted_by"]["nullable"] is True
    assert components["PipVersionDetail"]["properties"]["leerroute"]["anyOf"][1] == blank
