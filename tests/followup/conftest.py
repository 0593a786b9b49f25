"""A voldaan file for the vervolg tests, reached through the status service as a klantregisseur would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from openinburgering.clients.models import ClientFile
from openinburgering.clients.services import change_status
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from tests.api.conftest import api, token  # fixtures shared with the API tests (re-exported in __all__)
from tests.conftest import actor_for

WALK = ("intake", "pip", "in_traject", "voldaan")


@pytest.fixture
def voldaan_file(staff: dict[str, Any], make_file: Callable[..., ClientFile]) -> Callable[..., ClientFile]:
    def make(gemeente: str = HAARLEM, *, until: str = "voldaan") -> ClientFile:
        client_file = make_file(gemeente, assigned_to="kim" if gemeente == HAARLEM else "zeynep")
        actor = actor_for(staff["kim" if gemeente == HAARLEM else "zeynep"], gemeente)
        for status in WALK[: WALK.index(until) + 1] if until in WALK else ():
            # checked: voldaan as DUO reports it (the handhaving check has its own tests).
            change_status(
                actor=actor,
                client_file=client_file,
                to_status=status,
                reason="Test: stap in het traject.",
                checked=True,
            )
        if until == "vrijgesteld_ontheven":
            change_status(actor=actor, client_file=client_file, to_status=until, reason="Test: ontheffing.")
        client_file.refresh_from_db()
        return client_file

    return make


__all__ = ["HAARLEM", "ZANDVOORT", "api", "token"]
