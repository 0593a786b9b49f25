"""A small, hand-computed monitoring fixture (see `figures`): a Haarlem contract (per hour) and a regional
contract (mixed) with enrolments of Haarlem and Zandvoort clients, weekly reports, exam results and PIPs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from openinburgering.accounts.models import Gemeente, Membership, Role, User
from openinburgering.clients.models import ClientFile
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.plans.models import PipVersion
from openinburgering.providers.models import Contract, Enrolment, ExamResult, Provider, WeeklyReport
from tests.api.conftest import api, token  # noqa: F401 -- fixtures shared with the API tests


@dataclass
class Figures:
    local: Contract
    regional: Contract
    haarlem_files: list[ClientFile]
    zandvoort_file: ClientFile
    local_provider: Provider
    regional_provider: Provider


def _contract(provider: Provider, name: str, **kwargs: Any) -> Contract:
    return Contract.objects.create(
        provider=provider, name=name, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
        components=["b1_lessen"], reporting_frequency="weekly", **{"capacity": 10, **kwargs},
    )  # fmt: skip


def enrol(user: User, client_file: ClientFile, contract: Contract, status: str, start: date, end: date,
          hours: str) -> Enrolment:  # fmt: skip
    return Enrolment.objects.create(
        client_file=client_file, provider=contract.provider, contract=contract, component="b1_lessen", status=status,
        starts_on=start, ends_on=end, hours_per_week=Decimal(hours), created_at=timezone.now(), created_by=user,
    )  # fmt: skip


def report(user: User, enrolment: Enrolment, week: str, monday: date, *hours: str) -> None:
    offered, attended, authorised, unauthorised = (Decimal(h) for h in hours)
    WeeklyReport.objects.create(
        enrolment=enrolment, week=week, week_starts_on=monday, hours_offered=offered, hours_attended=attended,
        hours_absent_authorised=authorised, hours_absent_unauthorised=unauthorised, row_hash=week, source="form",
        reported_at=timezone.now(), reported_by=user, absence_reason="ziek" if unauthorised else "",
    )  # fmt: skip


def exam(user: User, enrolment: Enrolment, part: str, passed: bool, on: date = date(2026, 2, 2)) -> None:
    ExamResult.objects.create(enrolment=enrolment, part=part, level="B1", exam_on=on, passed=passed,
                              recorded_at=timezone.now(), recorded_by=user)  # fmt: skip


def pip(user: User, approver: User, client_file: ClientFile, number: int, status: str, route: str) -> None:
    PipVersion.objects.create(client_file=client_file, number=number, status=status, leerroute=route,
                              drafted_at=timezone.now(), drafted_by=user, approved_by=approver,
                              approved_at=timezone.now(), dagtekening_on=date(2025, 9, 1))  # fmt: skip


@pytest.fixture
def figures(staff: dict[str, User], make_file: Callable[..., ClientFile]) -> Figures:
    """Expected for Haarlem (hand-computed in the tests): local contract C1 (per hour, 10.00):
    E1 f1 geaccepteerd 2026-01-05..2026-03-01 at 10 h/week = 56 days = 8 weeks = 80 h contracted;
    reports W02 10/8/1/1 and W03 10/10/0/0 -> offered 20, attended 18, absent 1 + 1; cost 18 x 10 = 180.00.
    Regional contract C2 (mixed: route 100, hour 5, result 200):
    E2 f2 geaccepteerd 2026-01-05..2026-02-01 at 6 h = 28 days = 4 weeks = 24 h; W02 6/4/2/0; exams lezen passed,
    luisteren failed; f2 voldaan and switched route (b1 -> z).
    E4 f1 gestopt 2026-01-05..2026-01-18 at 7 h = 2 weeks = 14 h. C2 contracted 38 h.
    Cost C2: route 100 x 2 placed + hour 5 x 4 attended + result 200 x 1 passed = 200 + 20 + 200 = 420.
    Zandvoort's E3 z1 under C2: 8 h/week, W02 8/8/0/0, lezen passed -- never in Haarlem's figures."""
    kim = staff["kim"]
    haarlem = Gemeente.objects.get(code=HAARLEM)
    local_provider = Provider.objects.create(
        name="Taalbureau Spaarne", kinds=["taalaanbieder"], gemeente=haarlem, keurmerk=True,
        keurmerk_expires_on=date(2030, 1, 1),
    )  # fmt: skip
    regional_provider = Provider.objects.create(
        name="Regio Taal", kinds=["taalaanbieder"], region_id=haarlem.region_id, keurmerk=False
    )
    local = _contract(local_provider, "Spaarne B1", gemeente=haarlem, price_model="per_hour",
                      price_per_hour=Decimal("10.00"))  # fmt: skip
    regional = _contract(regional_provider, "Regio mix", region_id=haarlem.region_id, price_model="mixed",
                         price_per_route=Decimal("100.00"), price_per_hour=Decimal("5.00"),
                         price_per_result=Decimal("200.00"), capacity=50)  # fmt: skip
    f1 = make_file(HAARLEM, file={"kennisgeving_on": date(2025, 7, 1)})
    f2 = make_file(HAARLEM)
    z1 = make_file(ZANDVOORT)
    ClientFile.objects.filter(pk=f2.pk).update(status="voldaan")
    ClientFile.objects.filter(pk=f1.pk).update(status="in_traject")
    e1 = enrol(kim, f1, local, "geaccepteerd", date(2026, 1, 5), date(2026, 3, 1), "10")
    e2 = enrol(kim, f2, regional, "geaccepteerd", date(2026, 1, 5), date(2026, 2, 1), "6")
    e3 = enrol(staff["zeynep"], z1, regional, "geaccepteerd", date(2026, 1, 5), date(2026, 2, 1), "8")
    enrol(kim, f1, regional, "gestopt", date(2026, 1, 5), date(2026, 1, 18), "7")
    report(kim, e1, "2026-W02", date(2026, 1, 5), "10", "8", "1", "1")
    report(kim, e1, "2026-W03", date(2026, 1, 12), "10", "10", "0", "0")
    report(kim, e2, "2026-W02", date(2026, 1, 5), "6", "4", "2", "0")
    report(kim, e3, "2026-W02", date(2026, 1, 5), "8", "8", "0", "0")
    exam(kim, e2, "lezen", True)
    exam(kim, e2, "luisteren", False)
    exam(kim, e3, "lezen", True)
    pip(kim, staff["tamara"], f2, 1, "vervangen", "b1")
    pip(kim, staff["tamara"], f2, 2, "vastgesteld", "z")
    pip(kim, staff["tamara"], f1, 1, "vastgesteld", "b1")
    return Figures(local, regional, [f1, f2], z1, local_provider, regional_provider)


@pytest.fixture
def zandvoort_viewer(staff: dict[str, User]) -> User:
    """zeynep as beleidsmedewerker in Zandvoort (her klantregisseur role has no monitoring access)."""
    zeynep = staff["zeynep"]
    Membership.objects.filter(user=zeynep, gemeente__code=ZANDVOORT).update(
        role=Role.objects.get(code="beleidsmedewerker")
    )
    return zeynep
