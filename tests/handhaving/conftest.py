"""Handhaving fixtures: a file with a vastgesteld PIP, earlier fines made directly (to place them in the past)
and a W 22 intake fine as the intakes app stores it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from openinburgering.accounts.models import User
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.handhaving.models import FineDecision, FineProposal
from openinburgering.intakes.models import IntakeCall
from openinburgering.plans.models import PipVersion
from tests.api.conftest import api, token  # noqa: F401 -- fixtures shared with the API tests
from tests.plans.conftest import draft_ready, pdf_text, pip_file, vastgesteld  # noqa: F401 -- shared fixtures

PROPOSAL = {
    "ground": "pvt",
    "facts": "Drie keer niet naar de PVT-bijeenkomst gekomen (3, 10 en 17 maart).",
    "reasoning": "Gesprek gevoerd en een waarschuwing gestuurd; daarna nog steeds niet gekomen.",
    "culpability": "normaal",
    "termijn_kind": "regular",
    "bijstand_reduced": False,
    "persistent_onwil": True,
    "keren_reasoning": "Na drie gesprekken en een tolk weigert de persoon steeds; de boete is laag en evenredig.",
}


def proposal_data(**changes: Any) -> dict[str, Any]:
    return {**PROPOSAL, "established_on": today(), **changes}


@pytest.fixture
def fine_file(pip_file, vastgesteld) -> Callable[..., ClientFile]:  # noqa: F811 -- the fixture it uses is imported into this conftest by name
    """A Haarlem file (asielstatushouder unless doelgroep is given) with a vastgesteld PIP (B1-route)."""

    def make(*, doelgroep: str = "asielstatushouder", **pip: Any) -> ClientFile:
        file_data: dict[str, Any] = {"doelgroep": doelgroep}
        if doelgroep != "asielstatushouder":
            file_data.update(residence="regulier", residence_purpose="gezinshereniging")
        client_file = pip_file(**file_data)
        vastgesteld(client_file, **pip)
        client_file.refresh_from_db()
        return client_file

    return make


@pytest.fixture
def past_fine(staff: dict[str, User]) -> Callable[..., FineDecision]:
    """An imposed W 23 boete in the past (rows made directly: the services only take today's dates)."""

    def make(
        client_file: ClientFile, *, established_on: date, amount: str = "25.00", final: bool = True
    ) -> FineDecision:
        version = PipVersion.objects.get(client_file=client_file, status="vastgesteld")
        proposal = FineProposal.objects.create(
            client_file=client_file, pip_version=version, ground="map", established_on=established_on,
            facts="f", reasoning="r", culpability="normaal", asielstatushouder=False, amount=Decimal(amount),
            base_amount=Decimal("50.00"), repeat_count=0, capped=False, w22_total=0, w23_total=0,
            proposed_at=timezone.now(), proposed_by=staff["kim"],
        )  # fmt: skip
        ends = established_on + timedelta(days=50)
        return FineDecision.objects.create(
            proposal=proposal, sequence=1, outcome="opgelegd", amount=Decimal(amount), repeat_count=0,
            capped=False, decided_on=established_on + timedelta(days=7),
            bezwaar_term_ends_on=ends if final else today() + timedelta(days=10), decided_at=timezone.now(),
            decided_by=staff["tamara"], proposed_by=staff["kim"],
        )  # fmt: skip

    return make


@pytest.fixture
def w22_fine(staff: dict[str, User]) -> Callable[..., IntakeCall]:
    """An oproep whose outcome led to a W 22 boete, as intakes stores it (next_step + fine_amount)."""

    def make(
        client_file: ClientFile, *, sequence: int = 3, amount: str = "250.00", next_step: str = "fine_and_new_term"
    ) -> IntakeCall:
        return IntakeCall.objects.create(
            client_file=client_file, sequence=sequence, planned_at=timezone.now() - timedelta(days=200),
            location="Stadhuis", outcome="no_show", next_step=next_step, fine_amount=Decimal(amount),
            created_at=timezone.now(), created_by=staff["kim"],
        )  # fmt: skip

    return make
