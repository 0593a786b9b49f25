"""The aggregate layer (facts and cells) and the gemeente dashboard against a hand-counted fixture (#16).

Haarlem, peildatum 2026-12-07, period 2026-01 .. 2026-12. Five files (dates set directly, records created like the
services would leave them):

f1 asielstatushouder, koppeling 2025-12-20, vestiging 2026-01-03 (housed 2026-01-03), kennisgeving 2026-01-05;
   intake 2026-01-20 (15 days = week 3); PIP 2026-03-02 (56 days = week 8), deadline 2026-03-16: on time; B1,
   duaal and kinderopvang; a fine imposed 2026-09-01.
f2 gezinsmigrant, vestiging 2026-02-01, kennisgeving 2026-02-10; intake 2026-05-01 (80 days = week 12); PIP
   2026-05-20 (99 days = week 15), deadline 2026-04-21: late; versions B1 (vervangen) then Z: route switched;
   reiskosten; team Zuid.
f3 asielstatushouder, koppeling 2026-02-15, kennisgeving 2026-03-02, housed under the taakstelling and not yet
   registered (deadline unknown: not counted); intake 2026-03-10 (8 days = week 2) while not housed: vroege start.
f4 overig, kennisgeving 2025-06-01, PIP 2025-07-15, termijn to 2028-07-15, voldaan 2026-06-15: in time; werk.
f5 asielstatushouder, kennisgeving 2026-01-10, no PIP; deadline 2026-03-21 is a Saturday, moved to Monday
   2026-03-23 by the rules; passed: late (counted in March).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openinburgering.accounts.models import Gemeente, Team, User
from openinburgering.clients.models import ClientFile, StatusChange
from openinburgering.demo.personas import HAARLEM
from openinburgering.followup.models import FollowUpRecord
from openinburgering.handhaving.models import FineDecision, FineProposal
from openinburgering.intakes.models import Intake
from openinburgering.monitoring import facts, figures
from openinburgering.monitoring.models import FactCell, FileFact
from openinburgering.plans.models import PipVersion

TODAY = date(2026, 12, 7)
YEAR = figures.Filters(month_from=date(2026, 1, 1), month_to=date(2026, 12, 1))


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


@dataclass
class Fixture:
    files: dict[str, ClientFile]
    gemeente: Gemeente
    zuid: Team


def _intake(user: User, client_file: ClientFile, on: date) -> None:
    Intake.objects.create(client_file=client_file, person=client_file.person, status="completed",
                          started_at=_at(on), started_by=user, completed_at=_at(on), completed_by=user)  # fmt: skip


def _pip(user: User, approver: User, client_file: ClientFile, number: int, status: str, route: str, on: date,
         **fields: object) -> None:  # fmt: skip
    PipVersion.objects.create(client_file=client_file, number=number, status=status, leerroute=route,
                              drafted_at=_at(on), drafted_by=user, approved_by=approver, approved_at=_at(on),
                              dagtekening_on=on, **fields)  # fmt: skip


def _fine(user: User, approver: User, client_file: ClientFile, on: date) -> None:
    version = PipVersion.objects.filter(client_file=client_file).first()
    proposal = FineProposal.objects.create(
        client_file=client_file, pip_version=version, ground="begeleiding", established_on=on, facts="f",
        reasoning="r", culpability="normaal", amount=Decimal("100"), base_amount=Decimal("200"), repeat_count=0,
        capped=False, w22_total=Decimal(0), w23_total=Decimal(0), proposed_at=_at(on), proposed_by=user,
    )  # fmt: skip
    FineDecision.objects.create(
        proposal=proposal, sequence=1, outcome="opgelegd", amount=Decimal("100"), repeat_count=0, capped=False,
        decided_on=on, decided_at=_at(on), decided_by=approver, proposed_by=user,
    )  # fmt: skip


@pytest.fixture
def cohort(staff: dict[str, User], make_file: Callable[..., ClientFile]) -> Fixture:
    kim, tamara = staff["kim"], staff["tamara"]
    made = {name: make_file(HAARLEM, assigned_to="kim") for name in ("f1", "f2", "f3", "f4", "f5")}
    gemeente = Gemeente.objects.get(code=HAARLEM)
    zuid = Team.objects.get(gemeente=gemeente, name="Team Zuid")
    noord = Team.objects.get(gemeente=gemeente, name="Team Noord")
    base = {"team": noord, "coa_koppeling_on": None, "registered_on": None, "housed_on": None,
            "housed_under_taakstelling": False, "pip_dagtekening_on": None}  # fmt: skip
    updates = {
        "f1": {"doelgroep": "asielstatushouder", "coa_koppeling_on": date(2025, 12, 20),
               "registered_on": date(2026, 1, 3), "housed_on": date(2026, 1, 3), "housed_under_taakstelling": True,
               "kennisgeving_on": date(2026, 1, 5), "status": "in_traject", "pip_dagtekening_on": date(2026, 3, 2)},
        "f2": {"doelgroep": "gezinsmigrant", "registered_on": date(2026, 2, 1), "kennisgeving_on": date(2026, 2, 10),
               "status": "in_traject", "pip_dagtekening_on": date(2026, 5, 20), "team": zuid},
        "f3": {"doelgroep": "asielstatushouder", "coa_koppeling_on": date(2026, 2, 15),
               "kennisgeving_on": date(2026, 3, 2), "housed_under_taakstelling": True, "status": "intake"},
        "f4": {"doelgroep": "overig", "kennisgeving_on": date(2025, 6, 1), "status": "voldaan",
               "pip_dagtekening_on": date(2025, 7, 15)},
        "f5": {"doelgroep": "asielstatushouder", "kennisgeving_on": date(2026, 1, 10), "status": "aangemeld"},
    }  # fmt: skip
    for name, values in updates.items():
        ClientFile.objects.filter(pk=made[name].pk).update(**{**base, **values})
    files = {name: ClientFile.objects.select_related("person").get(pk=f.pk) for name, f in made.items()}
    _intake(kim, files["f1"], date(2026, 1, 20))
    _intake(kim, files["f2"], date(2026, 5, 1))
    _intake(kim, files["f3"], date(2026, 3, 10))
    _pip(kim, tamara, files["f1"], 1, "vastgesteld", "b1", date(2026, 3, 2), duaal="Taal en 16 uur werk",
         kinderopvang="BSO geregeld", termijn_end_on=date(2029, 3, 2))  # fmt: skip
    _pip(kim, tamara, files["f2"], 1, "vervangen", "b1", date(2026, 5, 20), termijn_end_on=date(2029, 5, 20))
    _pip(kim, tamara, files["f2"], 2, "vastgesteld", "z", date(2026, 7, 1), reiskosten="OV-kaart")
    _pip(kim, tamara, files["f4"], 1, "vastgesteld", "onderwijs", date(2025, 7, 15), termijn_end_on=date(2028, 7, 15))
    StatusChange.objects.create(client_file=files["f4"], from_status="in_traject", to_status="voldaan",
                                changed_at=_at(date(2026, 6, 15)), changed_by=kim)  # fmt: skip
    FollowUpRecord.objects.create(client_file=files["f4"], situation="werk", contact_on=date(2026, 7, 1),
                                  recorded_at=_at(date(2026, 7, 1)), recorded_by=kim)  # fmt: skip
    _fine(kim, tamara, files["f1"], date(2026, 9, 1))
    facts.refresh_gemeente(gemeente.pk, today=TODAY)
    return Fixture(files, gemeente, zuid)


def _row(table: figures.Table, label: str) -> list[object]:
    return next(row for row in table.rows if row[0] == label)


def _tables(gemeente: Gemeente, filters: figures.Filters = YEAR) -> dict[str, figures.Table]:
    return {t.key: t for t in figures.gemeente_dashboard(gemeente.pk, filters)}


@pytest.mark.django_db
def test_facts_per_file_follow_the_records_and_the_rules(cohort: Fixture) -> None:
    fact = {name: FileFact.objects.get(pk=f.pk) for name, f in cohort.files.items()}
    assert (fact["f1"].pip_due_on, fact["f1"].pip_outcome) == (date(2026, 3, 16), "on_time")
    assert (fact["f2"].pip_due_on, fact["f2"].pip_outcome, fact["f2"].leerroute) == (date(2026, 4, 21), "late", "z")
    assert fact["f2"].route_switched
    assert not fact["f1"].route_switched
    assert (fact["f3"].pip_due_on, fact["f3"].pip_outcome, fact["f3"].vroege_start) == (None, "", True)
    assert not fact["f1"].vroege_start  # intake after housing
    assert (fact["f5"].pip_due_on, fact["f5"].pip_outcome, fact["f5"].pip_outcome_on) == (
        date(2026, 3, 23), "late", date(2026, 3, 23))  # fmt: skip
    assert (fact["f4"].voldaan_on, fact["f4"].voldaan_outcome, fact["f4"].situation) == (
        date(2026, 6, 15), "on_time", "werk")  # fmt: skip
    assert fact["f1"].fines_on == ["2026-09-01"]


@pytest.mark.django_db
def test_gemeente_dashboard_matches_the_hand_count(cohort: Fixture) -> None:
    t = _tables(cohort.gemeente)
    inflow = {row[0]: row[1:] for row in t["inflow"].rows}
    assert len(inflow) == 12
    assert inflow["jan 2026"] == [2, 0, 1]  # kennisgeving f1 f5; koppeling f1 was in december 2025; vestiging f1
    assert inflow["feb 2026"] == [1, 1, 1]  # f2; koppeling f3; vestiging f2
    assert inflow["mrt 2026"] == [1, 0, 0]
    assert sum(sum(v) for v in inflow.values()) == 7
    assert {r[0]: r[1] for r in t["intake_time"].rows if r[1]} == {"0-2 weken": 1, "3-4 weken": 1, "11-12 weken": 1}
    assert {r[0]: r[1] for r in t["pip_time"].rows if r[1]} == {"7-8 weken": 1, "13-16 weken": 1}
    assert _row(t["pip_time"], "9-10 weken")[2] == "ja"
    assert _row(t["pip_time"], "11-12 weken")[2] == "nee"
    assert _row(t["averages"], "Brede intake")[1:] == [Decimal("34.3"), 3]  # (15 + 80 + 8) / 3
    assert _row(t["averages"], "PIP")[1:] == [Decimal("77.5"), 2]  # (56 + 99) / 2
    key = {row[0]: row[1:4] for row in t["key"].rows}
    assert key["PIP op tijd"] == [1, 3, 33]  # f1 on time; f2 and f5 late; f3 unknown
    assert key["Voldaan binnen de termijn"] == [1, 1, 100]
    assert key["Vroege start"] == [1, 2, 50]
    assert key["Duaal traject (taal samen met werk of participatie)"] == [1, 2, 50]
    assert key["Randvoorwaarde kinderopvang geregeld"] == [1, 2, 50]
    assert key["Randvoorwaarde reiskosten geregeld"] == [1, 2, 50]
    assert key["Randvoorwaarde lestijden afgestemd"] == [0, 2, 0]
    assert key["Ontzorgen bij bijstand"] == [0, 0, None]
    assert key["Bereikt met een brede intake"] == [3, 4, 75]
    assert key["Leerroute gewisseld"] == [1, 2, 50]
    assert key["Boetes opgelegd"] == [1, None, None]
    assert key["Voldaan"] == [1, None, None]
    assert key["Verlengingen van de termijn"] == [0, None, None]  # no DUO termijn message with an extension
    assert {r[0]: r[1:] for r in t["routes"].rows} == {
        "Asielstatushouder": [1, 0, 0, 1], "Gezinsmigrant": [0, 0, 1, 1]}  # fmt: skip
    assert _row(t["outcomes"], "Betaald werk")[1] == 1
    assert sum(r[1] for r in t["outcomes"].rows) == 1


@pytest.mark.django_db
def test_filters_by_doelgroep_team_and_period(cohort: Fixture) -> None:
    gezin = _tables(cohort.gemeente, figures.Filters(YEAR.month_from, YEAR.month_to, doelgroep="gezinsmigrant"))
    assert {row[0]: row[1:4] for row in gezin["key"].rows}["Bereikt met een brede intake"] == [1, 1, 100]
    assert sum(row[1] for row in gezin["inflow"].rows) == 1
    zuid = _tables(cohort.gemeente, figures.Filters(YEAR.month_from, YEAR.month_to, team=cohort.zuid.pk))
    assert {row[0]: row[1:4] for row in zuid["key"].rows}["PIP op tijd"] == [0, 1, 0]
    spring = _tables(cohort.gemeente, figures.Filters(date(2026, 3, 1), date(2026, 5, 1)))
    assert {row[0]: row[1:4] for row in spring["key"].rows}["PIP op tijd"] == [1, 3, 33]
    assert [row[0] for row in spring["inflow"].rows] == ["mrt 2026", "apr 2026", "mei 2026"]


@pytest.mark.django_db
def test_dashboard_reads_cells_in_two_queries_and_referrals_in_one(cohort: Fixture) -> None:
    with CaptureQueriesContext(connection) as queries:
        figures.gemeente_dashboard(cohort.gemeente.pk, YEAR)
    assert len(queries) == 3
    assert all("monitoring_factcell" in q["sql"] for q in queries.captured_queries[:2])
    assert "netwerk_referral" in queries.captured_queries[2]["sql"]


def _cells(gemeente: Gemeente) -> dict[tuple[date, str, int, str], int]:
    return {
        (c.month, c.doelgroep, c.team, c.metric): c.value
        for c in FactCell.objects.filter(gemeente=gemeente).exclude(value=0)
    }


@pytest.mark.django_db
def test_incremental_refresh_keeps_cells_equal_to_a_full_rebuild(
    cohort: Fixture, staff: dict[str, User], django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    assert facts.refresh_gemeente(cohort.gemeente.pk, today=TODAY) == 0  # idempotent
    f3 = cohort.files["f3"]
    with django_capture_on_commit_callbacks(execute=True):
        _pip(staff["kim"], staff["tamara"], f3, 1, "vastgesteld", "b1", date(2026, 4, 1), lestijden="Ochtend")
        ClientFile.objects.filter(pk=f3.pk).update(pip_dagtekening_on=date(2026, 4, 1))  # no signal: below
        ClientFile.objects.get(pk=f3.pk).save()  # a save sends post_save; refreshed once after the commit
    assert FileFact.objects.get(pk=f3.pk).pip_on == date(2026, 4, 1)
    incremental = _cells(cohort.gemeente)
    facts.rebuild_gemeente(cohort.gemeente.pk)
    assert _cells(cohort.gemeente) == incremental
    key = {row[0]: row[1:4] for row in _tables(cohort.gemeente)["key"].rows}
    assert key["Randvoorwaarde lestijden afgestemd"] == [1, 3, 33]
    assert key["PIP op tijd"] == [1, 3, 33]  # f3's deadline is still unknown (not registered)


@pytest.mark.django_db
def test_time_alone_moves_a_file_into_late_on_the_next_daily_refresh(cohort: Fixture) -> None:
    f3 = cohort.files["f3"]
    ClientFile.objects.filter(pk=f3.pk).update(registered_on=date(2026, 11, 2))  # deadline 2027-01-11
    facts.refresh_files([f3.pk], today=TODAY)
    assert FileFact.objects.get(pk=f3.pk).pip_outcome == ""
    facts.refresh_files([f3.pk], today=date(2027, 1, 12))
    assert (FileFact.objects.get(pk=f3.pk).pip_outcome, FileFact.objects.get(pk=f3.pk).pip_outcome_on) == (
        "late", date(2027, 1, 11))  # fmt: skip
