"""Dashboard and cohort figures against the hand-computed fixture (tests/monitoring/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import User
from openinburgering.clients.models import ClientFile
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.followup.models import FollowUpRecord
from openinburgering.monitoring.selectors import (
    ContractRow,
    Filters,
    KeurmerkStatus,
    _cost,
    cohort_table,
    contract_dashboard,
    keurmerk_status,
)
from openinburgering.providers.models import Contract, Provider

from ..conftest import actor_for
from .conftest import Figures

TODAY = date(2026, 3, 1)


def record(client_file: ClientFile, situation: str, *, days_ago: int) -> None:
    """Test setup through the ORM: a vervolgcontact recorded `days_ago` days ago (the service only records now)."""
    FollowUpRecord.objects.create(
        client_file=client_file, situation=situation, organisation="Bedrijf", contact_on=TODAY,
        recorded_at=timezone.now() - timedelta(days=days_ago), recorded_by=User.objects.get(username="kim"),
    )  # fmt: skip


def _rows(actor: Actor, filters: Filters | None = None) -> dict[str, ContractRow]:
    return {r.contract.name: r for r in contract_dashboard(actor, filters or Filters(), today=TODAY)}


@pytest.mark.django_db
def test_local_contract_figures(figures: Figures, actor: Callable[..., Actor]) -> None:
    row = _rows(actor("carla"))["Spaarne B1"]
    assert (row.capacity, row.enrolled, row.active, row.placed) == (10, 1, 1, 1)
    assert row.hours_contracted == Decimal("80.0")
    assert (row.hours_offered, row.hours_attended) == (Decimal("20.0"), Decimal("18.0"))
    assert (row.absent_authorised, row.absent_unauthorised) == (Decimal("1.0"), Decimal("1.0"))
    assert row.attendance_percent == 90
    assert (row.exam_attempts, row.exams_passed) == (0, 0)
    assert (row.voldaan, row.route_switched, row.stopped) == (0, 0, 0)
    assert row.cost_total == Decimal("180.00")
    assert row.cost_hours == Decimal("180.00")
    assert row.keurmerk == KeurmerkStatus.VALID
    assert row.scope == "gemeente"


@pytest.mark.django_db
def test_regional_contract_counts_only_own_gemeente(figures: Figures, actor: Callable[..., Actor]) -> None:
    row = _rows(actor("carla"))["Regio mix"]
    assert row.scope == "regio"
    assert (row.enrolled, row.active, row.placed, row.stopped) == (2, 1, 2, 1)
    assert row.hours_contracted == Decimal("38.0")
    assert (row.hours_offered, row.hours_attended, row.absent_authorised) == (Decimal(6), Decimal(4), Decimal(2))
    assert (row.exam_attempts, row.exams_passed) == (2, 1)
    assert row.passed_per_part["lezen"] == 1
    assert row.attempts_per_part["luisteren"] == 1
    assert (row.voldaan, row.route_switched) == (1, 1)
    assert (row.cost_route, row.cost_hours, row.cost_results) == (Decimal(200), Decimal(20), Decimal(200))
    assert row.cost_total == Decimal("420.00")
    assert row.keurmerk == KeurmerkStatus.NONE


@pytest.mark.django_db
def test_zandvoort_sees_only_its_own_clients_and_not_haarlems_contract(figures: Figures, zandvoort_viewer: Any) -> None:
    rows = _rows(actor_for(zandvoort_viewer, ZANDVOORT))
    assert set(rows) == {"Regio mix"}
    row = rows["Regio mix"]
    assert (row.enrolled, row.hours_offered, row.hours_attended, row.exams_passed) == (1, Decimal(8), Decimal(8), 1)
    assert (row.voldaan, row.stopped) == (0, 0)


@pytest.mark.django_db
def test_filters_period_provider_contract(figures: Figures, actor: Callable[..., Actor]) -> None:
    carla = actor("carla")
    # Only January 5-11 (one week): W02 reports only; E1 contracted 1 week x 10, C2 1 week x 6 + 1 week x 7.
    rows = _rows(carla, Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 11)))
    assert rows["Spaarne B1"].hours_contracted == Decimal("10.0")
    assert rows["Spaarne B1"].hours_offered == Decimal("10.0")
    assert rows["Regio mix"].hours_contracted == Decimal("13.0")
    assert rows["Regio mix"].exam_attempts == 0  # the exams were on 2026-02-02
    assert set(_rows(carla, Filters(provider_id=figures.local_provider.pk))) == {"Spaarne B1"}
    assert set(_rows(carla, Filters(contract_id=figures.regional.pk))) == {"Regio mix"}
    assert _rows(carla, Filters(date_from=date(2027, 1, 1))) == {}


def _row(contract: Contract, **figures: Any) -> ContractRow:
    row = ContractRow(contract=contract, provider=contract.provider, scope="gemeente", keurmerk="")
    for name, value in figures.items():
        setattr(row, name, value)
    return row


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("per_route", Decimal("300.00")),
        ("per_hour", Decimal("25.00")),
        ("per_result", Decimal("1000.00")),
        ("mixed", Decimal("1325.00")),
    ],
)
def test_cost_per_price_model(model: str, expected: Decimal) -> None:
    contract = Contract(price_model=model, price_per_route=Decimal("100.00"), price_per_hour=Decimal("2.50"),
                        price_per_result=Decimal("500.00"), provider=Provider(name="x"))  # fmt: skip
    row = _row(contract, placed=3, hours_attended=Decimal("10.0"), hours_offered=Decimal("40.0"), exams_passed=2)
    _cost(row, contract)
    assert row.cost_total == expected


def test_keurmerk_status_boundaries() -> None:
    def status(expires: date | None, keurmerk: bool = True) -> str:
        return keurmerk_status(Provider(keurmerk=keurmerk, keurmerk_expires_on=expires), TODAY)

    assert status(None, keurmerk=False) == KeurmerkStatus.NONE
    assert status(TODAY - timedelta(days=1)) == KeurmerkStatus.EXPIRED
    assert status(TODAY) == KeurmerkStatus.EXPIRING  # valid up to and including that day
    assert status(TODAY + timedelta(days=90)) == KeurmerkStatus.EXPIRING
    assert status(TODAY + timedelta(days=91)) == KeurmerkStatus.VALID


@pytest.mark.django_db
def test_cohort_table(figures: Figures, actor: Callable[..., Actor]) -> None:
    rows = cohort_table(actor("carla"), Filters(), today=TODAY)
    assert len(rows) == 1
    row = rows[0]
    assert row.year == figures.haarlem_files[0].opened_on.year
    assert (row.started, row.route_b1, row.route_z, row.route_onderwijs, row.route_none) == (2, 1, 1, 0, 0)
    assert (row.voldaan, row.in_traject) == (1, 1)
    # f2 is voldaan without a vervolgcontact: not guessed as work or education, counted as "vervolg onbekend".
    assert (row.work, row.education, row.participation, row.follow_up_unknown) == (0, 0, 0, 1)
    f2 = figures.haarlem_files[1]
    record(f2, "opleiding", days_ago=60)
    record(f2, "werk", days_ago=10)  # the newest contact counts, once
    record(figures.zandvoort_file, "werk", days_ago=5)  # another gemeente: never counted
    row = cohort_table(actor("carla"), Filters(), today=TODAY)[0]
    assert (row.work, row.education, row.participation, row.follow_up_unknown) == (1, 0, 0, 0)
    assert cohort_table(actor("carla"), Filters(provider_id=figures.local_provider.pk), today=TODAY)[0].started == 1


@pytest.mark.django_db
def test_query_count_is_constant(
    figures: Figures, actor: Callable[..., Actor], make_file: Any, django_assert_num_queries: Any
) -> None:
    from .conftest import enrol, report

    carla = actor("carla")
    with django_assert_num_queries(6):
        contract_dashboard(carla, Filters(), today=TODAY)
    for n in range(5):
        provider = Provider.objects.create(name=f"Extra {n}", kinds=[], gemeente=carla.gemeente)
        contract = Contract.objects.create(
            provider=provider, name=f"Extra {n}", gemeente=carla.gemeente, starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31), price_model="per_route", price_per_route=Decimal(1), capacity=3,
            components=[], reporting_frequency="weekly",
        )  # fmt: skip
        enrolment = enrol(carla.user, make_file(), contract, "geaccepteerd", date(2026, 1, 5), date(2026, 2, 1), "4")
        report(carla.user, enrolment, "2026-W02", date(2026, 1, 5), "4", "4", "0", "0")
    with django_assert_num_queries(6):
        assert len(contract_dashboard(carla, Filters(), today=TODAY)) == 7
    with django_assert_num_queries(2):
        cohort_table(carla, Filters(), today=TODAY)
