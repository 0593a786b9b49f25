"""Client files with a history on known days, for the CBS file tests (hand-computed expectations in the tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import User
from openinburgering.clients.models import ClientFile, StatusChange
from openinburgering.core.jobs import run_queued_jobs
from openinburgering.intakes.models import Intake
from openinburgering.monitoring.cbs.models import CbsDelivery
from openinburgering.monitoring.cbs.services import Quarter, request_delivery
from openinburgering.plans.models import PipVersion


def at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), UTC)


def status(client_file: ClientFile, to_status: str, day: date, user: User) -> None:
    StatusChange.objects.create(client_file=client_file, from_status="", to_status=to_status, changed_at=at(day),
                                changed_by=user, reason="test")  # fmt: skip
    ClientFile.objects.filter(pk=client_file.pk).update(status=to_status, status_changed_at=at(day))


def intake(client_file: ClientFile, day: date, user: User) -> Intake:
    return Intake.objects.create(
        client_file=client_file, person=client_file.person, status="completed", started_at=at(day),
        started_by=user, completed_at=at(day), completed_by=user,
    )  # fmt: skip


def pip(client_file: ClientFile, day: date, drafter: User, approver: User, *, number: int = 1, route: str = "b1",
        level: str = "B1", status_: str = "vastgesteld", ontzorgen: bool = False, pvt: str = "Groepstraject",
        map_: str = "64 uur") -> PipVersion:  # fmt: skip
    period = rules.termijn(pip_dagtekening_on=day)
    return PipVersion.objects.create(
        client_file=client_file, number=number, status=status_, leerroute=route, level=level, drafted_at=at(day),
        drafted_by=drafter, submitted_at=at(day), submitted_by=drafter, approved_at=at(day), approved_by=approver,
        dagtekening_on=day, termijn_start_on=period.termijn_start_on, termijn_end_on=period.termijn_end_on,
        receives_bijstand=ontzorgen, ontzorgen_applies=ontzorgen, ontzorgen_start_on=day if ontzorgen else None,
        pvt_intensity=pvt, map_intensity=map_,
    )  # fmt: skip


@dataclass
class Quarterly:
    """Haarlem, second and third quarter of 2026 (hand-computed):

    - ``complete``: kennisgeving 2026-04-10, intake 2026-05-04, PIP v1 2026-06-01 (B1, B1, ontzorgen from that day),
      in traject 2026-06-03: complete in K2 and K3; in K2 changes STATUS, BREDE_INTAKE, PIP, ONTZORGEN.
    - ``no_intake``: kennisgeving 2026-04-20, PIP 2026-08-03 (Z-route, standard level) and in traject 2026-08-05, no
      completed intake: delivered in K3 marked BREDE_INTAKE missing (in K2: aangemeld, complete).
    - ``no_doelgroep``: kennisgeving 2026-05-11, no doelgroep: left out of both files (blocking).
    - ``old_voldaan``: kennisgeving 2025-01-10, voldaan 2026-03-20 (before K2): in no file of K2 or K3.
    - ``late``: kennisgeving 2026-10-05: after K3, in no file.
    - a Zandvoort file: never in Haarlem's files.
    """

    complete: ClientFile
    no_intake: ClientFile
    no_doelgroep: ClientFile
    old_voldaan: ClientFile
    late: ClientFile
    zandvoort: ClientFile


def quarterly(staff: dict[str, User], make_file: Callable[..., ClientFile]) -> Quarterly:
    kim, tamara = staff["kim"], staff["tamara"]
    complete = make_file(assigned_to="kim", person={"surname": "Compleet"},
                         file={"kennisgeving_on": date(2026, 4, 10)})  # fmt: skip
    intake(complete, date(2026, 5, 4), kim)
    pip(complete, date(2026, 6, 1), kim, tamara, ontzorgen=True)
    status(complete, "in_traject", date(2026, 6, 3), kim)
    no_intake = make_file(assigned_to="kim", person={"surname": "Zonderintake"},
                          file={"kennisgeving_on": date(2026, 4, 20), "doelgroep": "gezinsmigrant",
                                "residence": "regulier", "residence_purpose": "gezinshereniging"})  # fmt: skip
    pip(no_intake, date(2026, 8, 3), kim, tamara, route="z", level="", map_="40 uur")
    status(no_intake, "in_traject", date(2026, 8, 5), kim)
    no_doelgroep = make_file(assigned_to="kim", person={"surname": "Zonderdoelgroep"},
                             file={"kennisgeving_on": date(2026, 5, 11), "doelgroep": ""})  # fmt: skip
    old_voldaan = make_file(person={"surname": "Allangvoldaan"}, file={"kennisgeving_on": date(2025, 1, 10)})
    status(old_voldaan, "voldaan", date(2026, 3, 20), kim)
    late = make_file(person={"surname": "Later"}, file={"kennisgeving_on": date(2026, 10, 5)})
    zandvoort = make_file("GM0473", person={"surname": "Zandvoorter"}, file={"kennisgeving_on": date(2026, 4, 1)})
    return Quarterly(complete, no_intake, no_doelgroep, old_voldaan, late, zandvoort)


def make_delivery(actor: Actor, quarter: Quarter, today: date) -> CbsDelivery:
    """One file for ``quarter`` made by the real job (request, then the worker's batch mode)."""
    run = request_delivery(actor=actor, quarter=quarter, today=today)
    run_queued_jobs()
    run.refresh_from_db()
    assert run.status == "done", run.last_error
    return CbsDelivery.objects.get(job=run)
