"""Zorg en netwerk on the gemeente dashboard (#14 item 9): referrals sent in the period by leefgebied and per
partner with the acceptance rate and the time to acceptance, counted by hand from a few referrals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from openinburgering.clients.models import ClientFile
from openinburgering.demo.netwerk import GGZ, SCHULDHULP, ensure_demo_kaart
from openinburgering.monitoring import figures
from openinburgering.netwerk.models import Referral

pytestmark = pytest.mark.django_db

PERIOD = figures.Filters(month_from=date(2026, 1, 1), month_to=date(2026, 6, 1))


def refer(client_file: ClientFile, user: Any, name: str, theme: str, status: str, sent: datetime | None,
          answered: datetime | None = None) -> None:  # fmt: skip
    organisation = ensure_demo_kaart()[name]
    Referral.objects.create(
        gemeente=client_file.gemeente, client_file=client_file, offer=organisation.offers.first(),
        organisation=organisation, theme=theme, question="Hulpvraag", status=status, created_at=sent or answered
        or datetime(2026, 3, 1, tzinfo=UTC), created_by=user, sent_at=sent, answered_at=answered,
    )  # fmt: skip


def test_referrals_of_the_period_by_theme_and_partner(make_file: Any, staff: dict[str, Any]) -> None:
    client_file, kim = make_file("GM0392"), staff["kim"]
    march, april = datetime(2026, 3, 2, 9, tzinfo=UTC), datetime(2026, 4, 6, 9, tzinfo=UTC)
    refer(client_file, kim, GGZ, "gezondheid", "geaccepteerd", march, datetime(2026, 3, 5, 9, tzinfo=UTC))
    refer(client_file, kim, GGZ, "gezondheid", "afgerond", april, datetime(2026, 4, 7, 21, tzinfo=UTC))
    refer(client_file, kim, GGZ, "gezondheid", "geweigerd", april, datetime(2026, 4, 8, 9, tzinfo=UTC))
    refer(client_file, kim, SCHULDHULP, "financien", "verzonden", april)
    refer(client_file, kim, SCHULDHULP, "financien", "concept", None)  # not sent: not counted
    refer(client_file, kim, GGZ, "gezondheid", "geaccepteerd", datetime(2025, 12, 30, 9, tzinfo=UTC),
          datetime(2026, 1, 2, 9, tzinfo=UTC))  # sent before the period  # fmt: skip

    tables = figures.gemeente_dashboard(client_file.gemeente_id, PERIOD)
    by_theme = figures.table(tables, "referrals_theme")
    by_partner = figures.table(tables, "referrals_partner")

    assert by_theme is not None
    assert by_partner is not None
    assert by_theme.rows == [["Geld en financiën", 1], ["Gezondheid", 3]]
    # GGZ: 3 sent, 2 accepted of 3 answered = 67%, (3 days + 1.5 days) / 2 = 2.2 days; schuldhulp: no answer yet.
    assert by_partner.rows == [
        [GGZ, 3, 2, 1, "67%", "2,2"],
        [SCHULDHULP, 1, 0, 0, "nog geen antwoord", "geen gegevens"],
    ]
    other_team = figures.Filters(month_from=PERIOD.month_from, month_to=PERIOD.month_to, team=0)
    assert figures.table(figures.gemeente_dashboard(client_file.gemeente_id, other_team), "referrals_theme").rows == (
        [["Geld en financiën", 1], ["Gezondheid", 3]] if client_file.team_id is None else []
    )
