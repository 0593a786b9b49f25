"""SIMULATED history for the monitoring figures (#16 item 9): two years of cohorts in both demo gemeenten, so every
chart of the gemeente dashboard, the regional comparison and the KIS page shows something real.

Per month of the last 30 months, Haarlem gets 5 to 9 files and Zandvoort 1 to 3 (small numbers: the regional
view shows its suppression for real). Each file walks the path the records of a real file would show: a
kennisgeving (and for asielstatushouders a COA koppeling and a BRP registration, sometimes after the intake: a
vroege start), a completed brede intake, a vastgesteld PIP with a leerroute, randvoorwaarden, duaal and
ontzorgen as drafted, the termijn from ``rules.termijn``, status changes, for older files voldaan and a
vervolgcontact, now and then an imposed fine, and now and then a termijn DUO extended by 6 months (a 'termijn
gestart' signal with the longer termijn, as the DUO import keeps SS102; already handled). Deterministic (seeded
random), written directly as simulated history like ``demo.monitoring`` (no audit events: nothing was read or
changed by a person), not through the services. BSNs come from the range 999_300_000..999_399_999 (elfproef),
apart from the demo households (999_100_000..), the volume seed (990_000_000..998_999_999) and the public BRP test
persons (999_9xx_xxx).

Idempotent: a gemeente that has persons in that range is skipped. ``seed_monitoring_history`` runs it (and
``scripts/run.sh`` on a first start); ``seed_demo`` does not, so the household demo and its tests stay as they are.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from openinburgering import rules
from openinburgering.accounts.models import Gemeente, Membership, User
from openinburgering.clients.models import ClientFile, Person, StatusChange
from openinburgering.clients.services import refresh_deadlines
from openinburgering.followup.models import FollowUpRecord
from openinburgering.handhaving.models import FineDecision, FineProposal
from openinburgering.intakes.models import Intake
from openinburgering.monitoring.facts import refresh_gemeente
from openinburgering.plans.models import PipVersion
from openinburgering.signals.choices import FileSignalKind
from openinburgering.signals.models import FileSignal

from . import names
from .personas import HAARLEM, ZANDVOORT, ensure_staff
from .volume import valid_bsns

BSN_FIRST = 999_300_000
BSN_LAST = 999_399_999
MONTHS = 30  # two full calendar years before this one, so last year also has voldaan files
PER_MONTH = {HAARLEM: (5, 9), ZANDVOORT: (1, 3)}
WORKERS = {HAARLEM: ("kim", "youssef"), ZANDVOORT: ("zeynep", "youssef")}
TEAMLEADER = {HAARLEM: "tamara", ZANDVOORT: "zoe"}
SITUATIONS = ("werk", "werk", "opleiding", "participatie", "zoekt", "geen")


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), UTC)


def _months_back(today: date, count: int) -> date:
    index = today.year * 12 + today.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def ensure_history(*, today: date) -> int:
    """Adds the simulated history to each demo gemeente that has none yet; returns the number of files made."""
    staff = ensure_staff()
    made = 0
    for code in (HAARLEM, ZANDVOORT):
        gemeente = Gemeente.objects.get(code=code)
        if Person.objects.filter(gemeente=gemeente, bsn__gte=str(BSN_FIRST), bsn__lte=str(BSN_LAST)).exists():
            continue
        with transaction.atomic():
            made += _history(gemeente, staff, today)
        refresh_deadlines(as_of=today, gemeente_id=gemeente.pk)
        refresh_gemeente(gemeente.pk, today=today)
    return made


def _history(gemeente: Gemeente, staff: dict[str, User], today: date) -> int:
    rng = random.Random(f"history-{gemeente.code}")  # noqa: S311 -- a repeatable demo, not a secret
    bsns = valid_bsns(BSN_FIRST if gemeente.code == HAARLEM else BSN_FIRST + 50_000, BSN_LAST)
    leader = staff[TEAMLEADER[gemeente.code]]
    teams = {
        m.user_id: m.team_id
        for m in Membership.objects.filter(gemeente=gemeente, user__username__in=WORKERS[gemeente.code])
    }
    count = 0
    for back in range(MONTHS, -1, -1):
        month = _months_back(today, back)
        for _ in range(rng.randint(*PER_MONTH[gemeente.code])):
            kennisgeving_on = month + timedelta(days=rng.randint(0, 27))
            if kennisgeving_on > today:
                continue
            worker = staff[rng.choice(WORKERS[gemeente.code])]
            _one_file(gemeente, rng, next(bsns), kennisgeving_on, worker, leader, teams.get(worker.pk), today)
            count += 1
    return count


def _one_file(gemeente: Gemeente, rng: random.Random, bsn: str, kennisgeving_on: date, worker: User, leader: User,
              team_id: int | None, today: date) -> None:  # fmt: skip
    origin = rng.choice(names.ALL_ORIGINS)
    female = rng.random() < 0.5
    person = Person.objects.create(
        gemeente=gemeente, bsn=bsn, given_names=rng.choice(origin.female if female else origin.male),
        surname=rng.choice(origin.surnames), birth_on=date(1970 + rng.randint(0, 35), rng.randint(1, 12), 15),
        sex="V" if female else "M", languages=origin.languages,
    )  # fmt: skip
    roll = rng.random()
    doelgroep = "asielstatushouder" if roll < 0.6 else "gezinsmigrant" if roll < 0.9 else "overig"
    asylum = doelgroep == "asielstatushouder"
    koppeling_on = kennisgeving_on - timedelta(days=rng.randint(10, 40)) if asylum else None
    registered_on = kennisgeving_on + timedelta(days=rng.randint(-20, 50) if asylum else rng.randint(-40, -5))
    intake_on = kennisgeving_on + timedelta(days=rng.randint(12, 95))
    pip_on = intake_on + timedelta(days=rng.randint(8, 45))
    has_intake, has_pip = intake_on <= today, pip_on <= today and rng.random() < 0.95
    statuses = [("aangemeld", kennisgeving_on + timedelta(days=2))]
    if has_intake:
        statuses.append(("intake", intake_on - timedelta(days=7)))
    if has_pip:
        statuses += [("pip", pip_on - timedelta(days=5)), ("in_traject", pip_on + timedelta(days=3))]
    voldaan_on = pip_on + timedelta(days=rng.randint(240, 700))
    voldaan = has_pip and voldaan_on <= today and rng.random() < 0.55
    if voldaan:
        statuses.append(("voldaan", voldaan_on))
    statuses = [(status, min(day, today)) for status, day in statuses]
    client_file = ClientFile.objects.create(
        gemeente=gemeente, person=person, status=statuses[-1][0], status_changed_at=_at(statuses[-1][1]),
        doelgroep=doelgroep, residence="asiel" if asylum else "regulier",
        residence_purpose="" if asylum else ("gezinshereniging" if doelgroep == "gezinsmigrant" else "overig"),
        residence_from_on=kennisgeving_on - timedelta(days=60), kennisgeving_on=kennisgeving_on,
        coa_koppeling_on=koppeling_on, housed_under_taakstelling=asylum,
        registered_on=registered_on if registered_on <= today else None,
        housed_on=registered_on if registered_on <= today else None,
        pip_dagtekening_on=pip_on if has_pip else None, assigned_to=worker, team_id=team_id,
        opened_on=kennisgeving_on,
    )  # fmt: skip
    previous = ""
    for status, day in statuses:
        StatusChange.objects.create(
            client_file=client_file, from_status=previous, to_status=status, changed_at=_at(day), changed_by=worker,
            reason="Gesimuleerde historie (demo)",
        )  # fmt: skip
        previous = status
    if has_intake:
        Intake.objects.create(client_file=client_file, person=person, status="completed", started_at=_at(intake_on),
                              started_by=worker, completed_at=_at(intake_on), completed_by=worker)  # fmt: skip
    if not has_pip:
        return
    roll = rng.random()
    route = "b1" if roll < 0.6 else "z" if roll < 0.85 else "onderwijs"
    bijstand = asylum and rng.random() < 0.7
    period = rules.termijn(pip_dagtekening_on=pip_on)
    version = PipVersion.objects.create(
        client_file=client_file, number=1, status="vastgesteld", leerroute=route,
        level="" if route == "z" else "B1", drafted_at=_at(pip_on - timedelta(days=10)), drafted_by=worker,
        submitted_at=_at(pip_on - timedelta(days=5)), submitted_by=worker, approved_at=_at(pip_on),
        approved_by=leader, dagtekening_on=pip_on, termijn_start_on=period.termijn_start_on,
        termijn_end_on=period.termijn_end_on, receives_bijstand=bijstand,
        ontzorgen_applies=bijstand and rng.random() < 0.85,
        duaal="Taal samen met een werkervaringsplaats" if rng.random() < 0.3 else "",
        kinderopvang="Kinderopvang geregeld via de gemeente" if rng.random() < 0.25 else "",
        reiskosten="Reiskosten vergoed (OV)" if rng.random() < 0.6 else "",
        lestijden="Lessen 's ochtends, afgestemd op werk en kinderen" if rng.random() < 0.4 else "",
        begeleiding="Maatschappelijke begeleiding door VluchtelingenWerk" if rng.random() < 0.7 else "",
        summary="Gesimuleerde historie (demo).",
        # What the CBS file asks of a PIP (#16 item 5): the PVT, the MAP (not in the onderwijsroute, W 8 lid 3)
        # and the start of ontzorgen. Set without drawing from rng, so the figures above stay as they were.
        pvt_intensity="Groepstraject van 6 bijeenkomsten",
        map_intensity="" if route == "onderwijs" else "64 uur, in groepen",
    )  # fmt: skip
    if version.ontzorgen_applies:
        PipVersion.objects.filter(pk=version.pk).update(ontzorgen_start_on=pip_on)
    if voldaan and rng.random() < 0.75:
        contact_on = min(today, voldaan_on + timedelta(days=rng.randint(20, 120)))
        FollowUpRecord.objects.create(client_file=client_file, situation=rng.choice(SITUATIONS), contact_on=contact_on,
                                      recorded_at=_at(contact_on), recorded_by=worker)  # fmt: skip
    extended_on = pip_on + timedelta(days=rng.randint(365, 800))
    if not voldaan and extended_on <= today and rng.random() < 0.1:
        # DUO extends the termijn by 6 months (W 12, B 4.4) and reports the new termijn (SS102); SIMULATED.
        longer = rules.termijn(pip_dagtekening_on=pip_on, extensions_months=[6])
        FileSignal.objects.create(
            gemeente=gemeente, client_file=client_file, kind=FileSignalKind.TERMIJN_STARTED,
            summary=f"DUO: de inburgeringstermijn loopt tot en met {longer.termijn_end_on:%d-%m-%Y} (verlengd). "
            "Gesimuleerde historie (demo).",
            data={"startdatum": longer.termijn_start_on.isoformat(), "einddatum": longer.duo_einddatum_on.isoformat()},
            created_at=_at(extended_on), resolved_at=_at(extended_on), resolved_by=worker,
            resolution="Gesimuleerde historie (demo).",
        )  # fmt: skip
        # as the DUO import keeps it (clients.services.record_duo_termijn): every page shows the extended termijn
        ClientFile.objects.filter(pk=client_file.pk).update(
            duo_termijn_start_on=longer.termijn_start_on, duo_termijn_einddatum_on=longer.duo_einddatum_on,
            duo_termijn_reported_on=extended_on,
        )  # fmt: skip
    fine_on = pip_on + timedelta(days=rng.randint(120, 400))
    if not asylum and rng.random() < 0.06 and fine_on <= today:
        proposal = FineProposal.objects.create(
            client_file=client_file, pip_version=version, ground="begeleiding", established_on=fine_on,
            facts="Gesimuleerde historie (demo).", reasoning="Gesimuleerde historie (demo).", culpability="normaal",
            amount=Decimal("125.00"), base_amount=Decimal("250.00"), repeat_count=0, capped=False,
            w22_total=Decimal(0), w23_total=Decimal(0), proposed_at=_at(fine_on), proposed_by=worker,
        )  # fmt: skip
        FineDecision.objects.create(
            proposal=proposal, sequence=1, outcome="opgelegd", amount=Decimal("125.00"), repeat_count=0,
            capped=False, decided_on=fine_on, decided_at=_at(fine_on), decided_by=leader, proposed_by=worker,
        )  # fmt: skip
