"""PIP fixtures: a file ready for a PIP (status pip, doelgroep, kennisgeving) and helpers to drive a version."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from openinburgering.clients.models import ClientFile
from openinburgering.clients.services import change_status
from openinburgering.core.dates import today
from openinburgering.plans import services
from openinburgering.plans.models import PipVersion
from tests.api.conftest import api, token  # noqa: F401 -- fixtures shared with the API tests


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(bytes(content)))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def pip_file(make_file, actor) -> Callable[..., ClientFile]:
    """A Haarlem file in status pip (aangemeld → intake → pip), asielstatushouder with an asylum permit."""

    def make(**file: Any) -> ClientFile:
        client_file = make_file(assigned_to="kim", file=file or None)
        kim = actor("kim")
        change_status(actor=kim, client_file=client_file, to_status="intake", reason="Oproep")
        change_status(actor=kim, client_file=client_file, to_status="pip", reason="Intake klaar")
        client_file.refresh_from_db()
        return client_file

    return make


GOOD = {
    "leerroute": "b1",
    "level": "",
    "pvt_intensity": "12 uur in groep",
    "map_intensity": "40 uur praktijk",
    "begeleiding": "Hulp bij wonen en zorg",
    "summary": "U gaat Nederlands leren op B1. U doet ook de PVT en de MAP.",
    "progress_talks_count": 2,
    "progress_talk_dates": [today() + timedelta(days=60), today() + timedelta(days=180)],
}
AGREEMENT = {"leefgebied": "werk_inkomen", "goal": "Werk vinden", "action": "Solliciteren", "responsible": "klant",
             "due_on": date(2027, 1, 1)}  # fmt: skip


@pytest.fixture
def draft_ready(actor) -> Callable[..., PipVersion]:
    """A draft filled with good data (as kim) for the given file."""

    def make(client_file: ClientFile, **data: Any) -> PipVersion:
        kim = actor("kim")
        version = services.create_draft(actor=kim, client_file=client_file)
        return services.update_draft(
            actor=kim, client_file=client_file, version=version, data={**GOOD, **data}, agreements=[AGREEMENT]
        )

    return make


@pytest.fixture
def vastgesteld(actor, draft_ready) -> Callable[..., PipVersion]:
    def make(client_file: ClientFile, **data: Any) -> PipVersion:
        version = draft_ready(client_file, **data)
        services.submit(actor=actor("kim"), client_file=client_file, version=version)
        return services.approve(actor=actor("tamara"), client_file=client_file, version=version)

    return make
