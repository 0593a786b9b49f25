"""The request id (#12 item 9): a client's X-Request-ID is kept only when it is a UUID or a short token of
letters, digits and hyphens with at least one letter (digits alone could be a BSN or phone number, personal data
that must not end up in the audit log); anything else gets a fresh id. The id is answered in X-Request-ID and
stamped on audit events."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from openinburgering.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"^[0-9a-f]{32}$")


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f", "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f"),
        ("3F2B8C1E-9D4A-4C6B-8E2F-1A2B3C4D5E6F", "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f"),
        ("{3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f}", "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f"),
        ("gateway-req-42ab", "gateway-req-42ab"),
        ("abcd1234", "abcd1234"),
    ],
)
def test_a_well_formed_request_id_is_kept(incoming, kept):
    response = Client().get("/account/inloggen/", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] == kept


@pytest.mark.parametrize(
    "incoming",
    [
        "",
        "abc",  # too short
        "a" * 33,  # too long for a token
        "999000019",  # digits only: could be a BSN
        "0612345678",
        "--------",  # no letter
        "id with spaces",
        "id;drop",
        "ïd-ünicode-1",
        "3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f" + "0",
    ],
)
def test_anything_else_gets_a_fresh_id(incoming):
    response = Client().get("/account/inloggen/", HTTP_X_REQUEST_ID=incoming)
    assert GENERATED.match(response["X-Request-ID"])


def test_the_audit_event_carries_the_request_id(staff):
    response = Client().post(
        "/account/inloggen/",
        {"username": "kim", "password": "test-Password-123!"},
        HTTP_X_REQUEST_ID="999000019",
    )
    [event] = AuditEvent.objects.filter(event_type="login_succeeded")
    assert event.request_id == response["X-Request-ID"]
    assert GENERATED.match(event.request_id)
