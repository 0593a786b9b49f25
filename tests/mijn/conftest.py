"""Portal fixtures: a Haarlem file with a vastgesteld PIP, an oproep and a task; a browser-less portal login
through the library's mock DigiD (the same path as the browser: login → mock IdP → ACS)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.utils import timezone

from openinburgering.clients.models import ClientFile
from openinburgering.intakes.models import IntakeCall
from openinburgering.mijn.models import ClientTask, TaskKind
from tests.plans.conftest import draft_ready, pip_file, vastgesteld  # noqa: F401 -- fixtures shared with the PIP tests


def digid_login(bsn: str, client: Client | None = None, next_url: str = "/mijn/") -> Client:
    """Log in through the mock DigiD as a browser would: the SP login redirects to the mock IdP, the IdP's BSN
    form posts and redirects to the ACS, which logs in and redirects to ``next``."""
    client = client or Client()
    response = client.get("/mijn/digid/login/", {"next": next_url})
    assert response.status_code == 302, response
    idp = urlparse(response["Location"])
    params = {key: values[0] for key, values in parse_qs(idp.query).items()}
    response = client.post(f"/mijn/digid-idp/inloggen_bsn/?{idp.query}", {"auth_bsn": bsn})
    assert response.status_code == 302, response.content[:500]
    acs = urlparse(response["Location"])
    response = client.get(acs.path, {k: v[0] for k, v in parse_qs(acs.query).items()})
    assert params["next"].endswith(next_url)
    client.last_response = response  # type: ignore[attr-defined]
    return client


@pytest.fixture
def portal_file(pip_file, vastgesteld, staff) -> Callable[..., ClientFile]:  # noqa: F811 -- fixtures imported above
    """A Haarlem file with a vastgesteld PIP (B1), an oproep in two weeks with an interpreter and an open task to
    upload a diploma."""

    def make(**person: Any) -> ClientFile:
        client_file = pip_file()
        if person:
            for key, value in person.items():
                setattr(client_file.person, key, value)
            client_file.person.save()
        vastgesteld(client_file)
        IntakeCall.objects.create(
            client_file=client_file, sequence=1, planned_at=timezone.now() + timedelta(days=14),
            location="Stadhuis Haarlem, Grote Markt 2", interpreter_language="Arabisch", created_at=timezone.now(),
            created_by=staff["kim"],
        )  # fmt: skip
        ClientTask.objects.create(client_file=client_file, kind=TaskKind.UPLOAD_DIPLOMA, created_at=timezone.now())
        client_file.refresh_from_db()
        return client_file

    return make


@pytest.fixture
def portal(portal_file) -> Callable[..., tuple[Client, ClientFile]]:
    def make(**person: Any) -> tuple[Client, ClientFile]:
        client_file = portal_file(**person)
        return digid_login(client_file.person.bsn), client_file

    return make
