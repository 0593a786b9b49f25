"""Voortgang fixtures: a Haarlem file with a vastgesteld PIP (B1-route), placed with the demo provider, and a
helper that writes weekly reports directly (to place hours in chosen past weeks)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from openinburgering.accounts.models import User
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.providers.models import Enrolment, WeeklyReport
from tests.handhaving.conftest import fine_file  # noqa: F401 -- file with a vastgesteld PIP
from tests.providers.conftest import (  # noqa: F401 -- shared fixtures
    anouk_provider,
    api,
    draft_ready,
    enrol,
    pip_file,
    regional_contract,
    token,
    vastgesteld,
)


def monday(weeks_back: int) -> date:
    """The Monday of the ISO week ``weeks_back`` weeks before the current one (0 = this week)."""
    this_monday = today() - timedelta(days=today().weekday())
    return this_monday - timedelta(weeks=weeks_back)


@pytest.fixture
def report(staff: dict[str, User]) -> Callable[..., WeeklyReport]:
    def make(
        enrolment: Enrolment,
        weeks_back: int,
        *,
        offered: str,
        attended: str,
        authorised: str = "0",
        unauthorised: str = "0",
    ) -> WeeklyReport:
        starts = monday(weeks_back)
        year, week, _ = starts.isocalendar()
        return WeeklyReport.objects.create(
            enrolment=enrolment, week=f"{year}-W{week:02d}", week_starts_on=starts, hours_offered=Decimal(offered),
            hours_attended=Decimal(attended), hours_absent_authorised=Decimal(authorised),
            hours_absent_unauthorised=Decimal(unauthorised),
            row_hash=hashlib.sha256(f"{enrolment.pk}-{starts}".encode()).hexdigest(), source="form",
            reported_at=timezone.now(), reported_by=staff["anouk"],
        )  # fmt: skip

    return make


@pytest.fixture
def placed(fine_file, enrol, regional_contract) -> Callable[..., tuple[ClientFile, Enrolment]]:  # noqa: F811 -- the fixture it uses is imported into this conftest by name
    """A file with a vastgesteld B1-route PIP and an accepted b1_lessen enrolment (8 hours a week)."""

    def make(**pip: Any) -> tuple[ClientFile, Enrolment]:
        client_file = fine_file(**pip)
        enrolment = enrol(client_file, regional_contract, accepted=True)
        return client_file, enrolment

    return make


@pytest.fixture
def hours(enrol, regional_contract, report) -> Callable[..., Enrolment]:  # noqa: F811 -- the fixtures it uses are imported into this conftest by name
    """Places a file with the demo provider (an accepted enrolment) and writes its weekly reports:
    ``hours(file, {weeks_back: (offered, attended)})``; week 0 is the current (incomplete) ISO week."""

    def make(client_file: ClientFile, weeks: dict[int, tuple[str, str]], *, component: str = "b1_lessen") -> Enrolment:
        enrolment = enrol(client_file, regional_contract, component=component, accepted=True)
        for weeks_back, (offered, attended) in weeks.items():
            report(enrolment, weeks_back, offered=offered, attended=attended)
        return enrolment

    return make
