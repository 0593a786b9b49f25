from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from openinburgering.accounts.models import Membership, User
from openinburgering.accounts.tokens import create_api_token


@pytest.fixture
def api_client(staff: dict[str, User]) -> Callable[..., Client]:
    """A Django test client that sends a real API token of the persona's membership in the gemeente."""

    def make(username: str, gemeente_code: str = "GM0392") -> Client:
        membership = Membership.objects.get(user=staff[username], gemeente__code=gemeente_code)
        _, key = create_api_token(membership=membership, name="test")
        return Client(HTTP_AUTHORIZATION=f"Token {key}")

    return make


@pytest.fixture
def post_json() -> Callable[..., Any]:
    def post(client: Client, url: str, body: Any) -> Any:
        import json

        return client.post(url, data=json.dumps(body), content_type="application/json")

    return post
