"""API fixtures: clients that carry a token acting as one persona's membership, and audit helpers."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from openinburgering.accounts.models import ApiToken, Membership, User
from openinburgering.accounts.tokens import create_api_token
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.demo.personas import HAARLEM
from openinburgering.households.models import HouseholdMember
from openinburgering.households.services import add_household_member

from ..conftest import actor_for


class ApiClient:
    """A thin JSON client: every request carries `Authorization: Token <key>` (or nothing)."""

    def __init__(self, key: str | None = None, client: Client | None = None) -> None:
        self.key = key
        self.client = client or Client()

    def _headers(self, extra: dict[str, str]) -> dict[str, str]:
        headers = {"HTTP_AUTHORIZATION": f"Token {self.key}"} if self.key else {}
        return {**headers, **extra}

    def get(self, path: str, params: dict[str, Any] | None = None, **extra: str) -> Any:
        return self.client.get(path, params or {}, **self._headers(extra))

    def send(self, method: str, path: str, body: Any = None, *, raw: bytes | str | None = None,
             content_type: str = "application/json", **extra: str) -> Any:  # fmt: skip
        data = raw if raw is not None else json.dumps(body)
        call = getattr(self.client, method.lower())
        return call(path, data=data, content_type=content_type, **self._headers(extra))

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.send("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.send("PATCH", path, body, **kwargs)


def membership_of(user: User, gemeente_code: str) -> Membership:
    return Membership.objects.select_related("gemeente", "role").get(user=user, gemeente__code=gemeente_code)


@pytest.fixture
def token(staff: dict[str, User]) -> Callable[..., tuple[ApiToken, str]]:
    def make(username: str, gemeente_code: str = HAARLEM) -> tuple[ApiToken, str]:
        return create_api_token(membership=membership_of(staff[username], gemeente_code), name="test")

    return make


@pytest.fixture
def api(token: Callable[..., tuple[ApiToken, str]]) -> Callable[..., ApiClient]:
    """`api("kim")` is a client acting as kim in Haarlem; `api(None)` is anonymous."""

    def make(username: str | None, gemeente_code: str = HAARLEM) -> ApiClient:
        if username is None:
            return ApiClient()
        return ApiClient(token(username, gemeente_code)[1])

    return make


@pytest.fixture
def household_member(make_file: Callable[..., ClientFile], staff: dict[str, User]) -> Callable[..., HouseholdMember]:
    def make(client_file: ClientFile, **person: Any) -> HouseholdMember:
        return add_household_member(
            actor=actor_for(staff["kim"], client_file.gemeente.code), client_file=client_file, relation="kind",
            started_on=date(2025, 7, 1),
            person_data={"given_names": "Sami", "surname": "Haddad", "birth_on": date(2019, 3, 4), **person},
        )  # fmt: skip

    return make


def events_of(client_file: ClientFile) -> list[str]:
    return list(AuditEvent.objects.filter(client_file=client_file).order_by("id").values_list("event_type", flat=True))


def problem(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/problem+json", response.content[:300]
    body: dict[str, Any] = response.json()
    return body


def invalid_params(response: Any) -> dict[str, list[str]]:
    """`invalidParams` as {name: [reason, ...]}, from a 400 Problem Details response."""
    assert response.status_code == 400, response.content[:500]
    out: dict[str, list[str]] = {}
    for param in problem(response).get("invalidParams", []):
        out.setdefault(param["name"], []).append(param["reason"])
    return out
