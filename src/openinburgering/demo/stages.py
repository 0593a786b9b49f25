"""Demo households in the stages after the aanmelding: oproepen, brede intake, leerbaarheidstoets, route advice,
PIP versions and voortgangsgesprekken.

SIMULATED HISTORY: the files themselves are made by the clients services (see `loader`), but the rows of the
`intakes` and `plans` apps are written here directly through the ORM, without those apps' services — so they
make no letters (PDFs) and leave no audit events of their own. Every statutory value in them still comes from
`openinburgering.rules`: the next step and boete after an oproep (`intake_next_step`), the toets outcome and
cesuur (`lbt_outcome`) and the termijn snapshot of a vastgestelde PIP (`termijn`). Planned dates (an oproep, a
toets, a voortgangsgesprek) are chosen like a klantregisseur would, relative to the day the seed runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from openinburgering import rules
from openinburgering.accounts.models import User
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.consent import INTAKE_HOW
from openinburgering.clients.models import ClientFile, Consent, ConsentPurpose
from openinburgering.intakes.choices import CallOutcome, IntakeStatus, Leefgebied, Leerroute
from openinburgering.intakes.leefgebieden import HEALTH_CONSENT_KEY
from openinburgering.intakes.models import Intake, IntakeCall, LearnabilityTest, LeefgebiedAssessment, RouteAdvice
from openinburgering.plans.choices import PipEventKind, PipStatus, Responsible
from openinburgering.plans.models import PipAgreement, PipEvent, PipVersion, ProgressTalk

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class Stage:
    """The stage codes a HouseholdSpec can ask for (`HouseholdSpec.stage`)."""

    JOURNEY = "journey"  # freshly COA-linked, in the AZC, nothing planned yet (the browser journey)
    CALL_PENDING = "call_pending"
    NO_SHOW = "no_show"
    INTAKE_IN_PROGRESS = "intake_in_progress"
    LBT_AND_ROUTE = "lbt_and_route"
    PIP_TER_GOEDKEURING = "pip_ter_goedkeuring"
    PIP_VASTGESTELD = "pip_vastgesteld"
    VROEGE_START_PIP = "vroege_start_pip"


ALL_STAGES = (
    Stage.JOURNEY, Stage.CALL_PENDING, Stage.NO_SHOW, Stage.INTAKE_IN_PROGRESS, Stage.LBT_AND_ROUTE,
    Stage.PIP_TER_GOEDKEURING, Stage.PIP_VASTGESTELD, Stage.VROEGE_START_PIP,
)  # fmt: skip


@dataclass(frozen=True)
class StageContext:
    today: date
    worker: User  # the klantregisseur: plans, drafts and submits
    teamleider: User  # approves the PIP (four eyes)
    location: str
    leerroute: str = Leerroute.B1  # the route chosen after the toets, and the route of the PIP


# The toets score and the reasoning behind each route the demo chooses (the outcome itself comes from the rules).
ROUTES: dict[str, tuple[int, str, str]] = {
    Leerroute.B1: (33, "De leerbaarheidstoets is gehaald ({score} van 40). Werkervaring en motivatie zijn goed.",
                   "U leert Nederlands op B1-niveau, 12 uur per week. U loopt stage in de techniek."),
    Leerroute.Z: (19, "De leerbaarheidstoets is niet gehaald ({score} van 40). De Z-route past beter.",
                  "U leert Nederlands in de Z-route, 12 uur per week, en doet mee in de buurt."),
    Leerroute.ONDERWIJS: (37, "De leerbaarheidstoets is ruim gehaald ({score} van 40). Wil een opleiding doen.",
                          "U volgt het schakeljaar naar het hbo, met Nederlands op B1-niveau."),
}  # fmt: skip


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), AMSTERDAM)


def _call(ctx: StageContext, client_file: ClientFile, planned_on: date, outcomes: list[str]) -> IntakeCall:
    """The oproepen so far, oldest first; every recorded outcome gets the rules' next step and boete."""
    call = None
    history: list[rules.CallStatus] = []
    for sequence, outcome in enumerate(outcomes, start=1):
        day = planned_on - timedelta(days=21 * (len(outcomes) - sequence))
        history.append(rules.CallStatus(outcome))
        recorded = outcome != CallOutcome.PENDING
        step = rules.intake_next_step(calls=history) if recorded else None
        call = IntakeCall.objects.create(
            client_file=client_file, sequence=sequence, planned_at=_at(day), location=ctx.location,
            interpreter_language=client_file.person.interpreter_language, outcome=outcome,
            outcome_note="" if not recorded else "Vastgelegd na de afspraak.",
            outcome_recorded_at=_at(day, 12) if recorded else None,
            outcome_recorded_by=ctx.worker if recorded else None,
            next_step=str(step.next_step) if step else "", fine_amount=step.fine if step else None,
            created_at=_at(day - timedelta(days=14), 9), created_by=ctx.worker,
        )  # fmt: skip
    assert call is not None
    return call


FINDINGS = (
    (Leefgebied.TAAL_INBURGERING, 2, "Spreekt nog weinig Nederlands. Wil snel beginnen met taalles."),
    (Leefgebied.WERK_INKOMEN, 3, "Heeft als elektricien gewerkt. Wil graag weer in de techniek werken."),
    (Leefgebied.GEZONDHEID, 4, "Geen bijzonderheden genoemd."),
    (Leefgebied.HUISVESTING, 4, "Woont in een huurwoning van de corporatie. Geen problemen gemeld."),
    (Leefgebied.ONDERWIJS, 3, "Heeft de middelbare school afgemaakt in het land van herkomst."),
    (Leefgebied.SOCIAAL_NETWERK, 3, "Kent een paar mensen via de moskee en de buren."),
    (Leefgebied.FINANCIEN, 3, "Krijgt bijstand. Vaste lasten worden ingehouden (ontzorgen)."),
    (Leefgebied.KINDEREN, 4, "Geen kinderen in huis, of de kinderen gaan naar school."),
    (Leefgebied.RANDVOORWAARDEN, 4, "Fietst naar de les. Geen kinderopvang nodig."),
)
assert {code for code, _, _ in FINDINGS} == set(Leefgebied.values), "every leefgebied once"


def _intake(ctx: StageContext, client_file: ClientFile, started_on: date, *, completed: bool) -> Intake:
    intake = Intake.objects.create(
        client_file=client_file, person=client_file.person,
        status=IntakeStatus.COMPLETED if completed else IntakeStatus.IN_PROGRESS,
        started_at=_at(started_on, 11), started_by=ctx.worker,
        completed_at=_at(started_on + timedelta(days=7), 15) if completed else None,
        completed_by=ctx.worker if completed else None,
    )  # fmt: skip
    # A completed intake has every leefgebied done (intakes.services.complete_intake asks the same); an intake
    # in progress has the first two.
    count = len(FINDINGS) if completed else 2
    LeefgebiedAssessment.objects.bulk_create(
        LeefgebiedAssessment(
            intake=intake,
            leefgebied=code,
            score=score,
            finding=finding,
            wishes="Werk en taal combineren.",
            # Health data only with the person's consent, asked in the step and kept in the register (#12 item 1).
            details={HEALTH_CONSENT_KEY: "ja"} if code == Leefgebied.GEZONDHEID else {},
            updated_at=_at(started_on, 11),
            updated_by=ctx.worker,
        )
        for code, score, finding in FINDINGS[:count]
    )
    if any(code == Leefgebied.GEZONDHEID for code, _, _ in FINDINGS[:count]):
        Consent.objects.create(
            client_file=client_file, purpose=ConsentPurpose.GEZONDHEID, given_on=started_on, how=INTAKE_HOW,
            recorded_by=ctx.worker, recorded_at=_at(started_on, 11),
        )  # fmt: skip
    return intake


def _lbt(ctx: StageContext, client_file: ClientFile, taken_on: date, score: int | None = None) -> LearnabilityTest:
    if score is None:
        score = ROUTES[ctx.leerroute][0]
    result = rules.lbt_outcome(taken_on=taken_on, score=score)
    return LearnabilityTest.objects.create(
        client_file=client_file, planned_at=_at(taken_on, 9), location=ctx.location, taken_on=taken_on, score=score,
        outcome=str(result.outcome), threshold=result.threshold, result_recorded_at=_at(taken_on + timedelta(days=2)),
        result_recorded_by=ctx.worker, created_at=_at(taken_on - timedelta(days=14)), created_by=ctx.worker,
    )  # fmt: skip


def _route(ctx: StageContext, client_file: ClientFile, lbt: LearnabilityTest, on: date) -> RouteAdvice:
    return RouteAdvice.objects.create(
        client_file=client_file, advised_route=ctx.leerroute, chosen_route=ctx.leerroute, lbt=lbt,
        advice_reasons=ROUTES[ctx.leerroute][1].format(score=lbt.score),
        onderwijsroute_considered="Geen diploma op mbo-4-niveau of hoger en ouder dan 28: de onderwijsroute past niet.",
        created_at=_at(on, 14), created_by=ctx.worker,
    )  # fmt: skip


def _version(
    ctx: StageContext, client_file: ClientFile, *, drafted_on: date, status: str, talk_dates: list[date]
) -> PipVersion:
    version = PipVersion.objects.create(
        client_file=client_file, number=1, status=PipStatus.CONCEPT, leerroute=ctx.leerroute,
        level="" if ctx.leerroute == Leerroute.Z else "B1",
        lesson_hours_per_week=12, pvt_intensity="Groepstraject van 6 bijeenkomsten",
        map_intensity="64 uur, met een werkstage in de techniek",
        begeleiding="Maatschappelijke begeleiding door Vluchtelingenwerk, het eerste jaar.",
        progress_talks_count=len(talk_dates), progress_talk_dates=[d.isoformat() for d in talk_dates],
        summary=ROUTES[ctx.leerroute][2],
        drafted_at=_at(drafted_on, 10), drafted_by=ctx.worker,
    )  # fmt: skip
    PipAgreement.objects.create(
        version=version, leefgebied=Leefgebied.TAAL_INBURGERING, goal="Nederlands op B1-niveau",
        action="Naar de taalles bij het Taalhuis, 12 uur per week", responsible=Responsible.KLANT, position=0,
    )  # fmt: skip
    PipEvent.objects.create(
        version=version, kind=PipEventKind.DRAFTED, occurred_at=_at(drafted_on, 10), actor=ctx.worker
    )
    submitted_on = drafted_on + timedelta(days=2)
    version.status = PipStatus.TER_GOEDKEURING
    version.submitted_at, version.submitted_by = _at(submitted_on, 16), ctx.worker
    PipEvent.objects.create(
        version=version, kind=PipEventKind.SUBMITTED, occurred_at=_at(submitted_on, 16), actor=ctx.worker
    )
    if status == PipStatus.VASTGESTELD:
        day = client_file.pip_dagtekening_on
        assert day is not None  # set by the loader through the clients service
        termijn = rules.termijn(pip_dagtekening_on=day)
        version.status = PipStatus.VASTGESTELD
        version.approved_at, version.approved_by, version.dagtekening_on = _at(day, 11), ctx.teamleider, day
        version.termijn_start_on, version.termijn_end_on = termijn.termijn_start_on, termijn.termijn_end_on
        PipEvent.objects.create(
            version=version, kind=PipEventKind.APPROVED, occurred_at=_at(day, 11), actor=ctx.teamleider,
            comment=f"Dagtekening {day:%d-%m-%Y}",
        )  # fmt: skip
        # Planned here; the loader records the ones in the past as held through the plans service, so the timeline
        # shows who held them (its audit event).
        ProgressTalk.objects.bulk_create(
            ProgressTalk(client_file=client_file, version=version, planned_on=planned, created_at=_at(day, 11))
            for planned in talk_dates
        )
    version.save()
    return version


def apply_stage(stage: str, ctx: StageContext, client_file: ClientFile) -> None:
    """Adds the rows of `stage` to a file the loader has just made (status path and PIP date already set)."""
    today = ctx.today
    if stage == Stage.JOURNEY:
        return  # nothing planned yet: the browser journey plans the first oproep
    if stage == Stage.CALL_PENDING:
        _call(ctx, client_file, today + timedelta(days=5), [CallOutcome.PENDING])
    elif stage == Stage.NO_SHOW:
        _call(ctx, client_file, today - timedelta(days=2), [CallOutcome.NO_SHOW])
    elif stage == Stage.INTAKE_IN_PROGRESS:
        _call(ctx, client_file, today - timedelta(days=6), [CallOutcome.APPEARED])
        _intake(ctx, client_file, today - timedelta(days=6), completed=False)
    elif stage == Stage.LBT_AND_ROUTE:
        _call(ctx, client_file, today - timedelta(days=30), [CallOutcome.APPEARED])
        _intake(ctx, client_file, today - timedelta(days=30), completed=True)
        lbt = _lbt(ctx, client_file, today - timedelta(days=12), 31)
        _route(ctx, client_file, lbt, today - timedelta(days=8))
    elif stage == Stage.PIP_TER_GOEDKEURING:
        _call(ctx, client_file, today - timedelta(days=40), [CallOutcome.APPEARED])
        _intake(ctx, client_file, today - timedelta(days=40), completed=True)
        lbt = _lbt(ctx, client_file, today - timedelta(days=25), 29)
        _route(ctx, client_file, lbt, today - timedelta(days=20))
        talks = [today + timedelta(days=60), today + timedelta(days=180)]
        _version(ctx, client_file, drafted_on=today - timedelta(days=4), status=PipStatus.TER_GOEDKEURING,
                 talk_dates=talks)  # fmt: skip
    elif stage in (Stage.PIP_VASTGESTELD, Stage.VROEGE_START_PIP):
        day = client_file.pip_dagtekening_on
        assert day is not None
        _call(ctx, client_file, day - timedelta(days=50), [CallOutcome.APPEARED])
        _intake(ctx, client_file, day - timedelta(days=50), completed=True)
        lbt = _lbt(ctx, client_file, day - timedelta(days=35), 33)
        _route(ctx, client_file, lbt, day - timedelta(days=30))
        talks = [day + timedelta(days=14), today + timedelta(days=9), today + timedelta(days=100)]
        if client_file.status not in (FileStatus.PIP, FileStatus.IN_TRAJECT):  # voldaan or moved: all held
            talks = [day + timedelta(days=14), day + timedelta(days=180)]
        _version(ctx, client_file, drafted_on=day - timedelta(days=10), status=PipStatus.VASTGESTELD,
                 talk_dates=talks)  # fmt: skip
    else:  # pragma: no cover - a typo in households.py
        raise ValueError(f"Unknown demo stage {stage!r}")


def stage_for_status(status: str, *, pip_set: bool) -> str:
    """The stage of a household that names none: the records its status stands on (issue #11), so a file in
    intake has an oproep, a PIP file a completed intake, and a file in traject (or past it) a vastgesteld PIP.
    Vrijgesteld/ontheven and beëindigd files stopped before the intake was done: no records."""
    if status == FileStatus.INTAKE:
        return Stage.CALL_PENDING
    if status == FileStatus.PIP:
        return Stage.PIP_VASTGESTELD if pip_set else Stage.LBT_AND_ROUTE
    if status in (FileStatus.IN_TRAJECT, FileStatus.VOLDAAN, FileStatus.VERHUISD):
        return Stage.PIP_VASTGESTELD
    return ""


__all__ = ["ALL_STAGES", "Stage", "StageContext", "apply_stage", "stage_for_status"]
