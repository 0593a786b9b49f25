from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from openinburgering.accounts.models import ApiToken
from openinburgering.audit.models import AuditEvent

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_a_working_key_once_and_audits(staff):
    output = _run("create", "--username", "kim", "--gemeente", "GM0392", "--role", "klantregisseur", "--name", "CRM")
    key = output.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert key.startswith(f"oi_{token.prefix}_")
    assert key not in token.key_hash
    assert ApiClient(key).get("/api/v1/me").json()["username"] == "kim"
    assert AuditEvent.objects.filter(event_type="api_token_created", subject_id=str(token.pk)).count() == 1


def test_create_refuses_a_role_the_user_does_not_have(staff):
    with pytest.raises(CommandError, match="No active membership"):
        _run("create", "--username", "kim", "--gemeente", "GM0392", "--role", "teamleider", "--name", "x")
    with pytest.raises(CommandError, match="No active membership"):
        _run("create", "--username", "kim", "--gemeente", "GM0473", "--role", "klantregisseur", "--name", "x")
    assert ApiToken.objects.count() == 0


def test_revoke_stops_the_token_and_audits(staff):
    key = _run("create", "--username", "kim", "--gemeente", "GM0392", "--role", "klantregisseur", "--name", "x")
    key = key.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert _run("revoke", "--prefix", token.prefix).strip() == f"Token {token.prefix} revoked."
    assert ApiClient(key).get("/api/v1/me").status_code == 401
    assert AuditEvent.objects.filter(event_type="api_token_revoked").count() == 1
    assert "already revoked" in _run("revoke", "--prefix", token.prefix)
    assert AuditEvent.objects.filter(event_type="api_token_revoked").count() == 1


def test_revoke_of_an_unknown_prefix_fails():
    with pytest.raises(CommandError, match="No token with prefix"):
        _run("revoke", "--prefix", "deadbeef")


def test_list_shows_tokens_without_keys_and_filters_by_gemeente(staff):
    _run(
        "create", "--username", "kim", "--gemeente", "GM0392", "--role", "klantregisseur", "--name", "Haarlem-koppeling"
    )
    _run(
        "create",
        "--username",
        "zeynep",
        "--gemeente",
        "GM0473",
        "--role",
        "klantregisseur",
        "--name",
        "Zandvoort-koppeling",
    )
    everything = _run("list")
    assert "Haarlem-koppeling" in everything
    assert "Zandvoort-koppeling" in everything
    assert "oi_" not in everything
    haarlem = _run("list", "--gemeente", "GM0392")
    assert "Haarlem-koppeling" in haarlem
    assert "Zandvoort-koppeling" not in haarlem
    assert haarlem.splitlines()[1].split()[1] == "active"


def test_list_without_tokens_says_so():
    assert _run("list").strip() == "No tokens."
