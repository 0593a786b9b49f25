"""Every change in handhaving: a W 23 boetevoorstel, the four-eyes decision (with the boetebeschikking as a PDF),
a bezwaar against a decision, and an achievement for the voldaan check. Keyword-only, atomic, audited in the
same transaction. Amounts, caps, repeats, termijnen and voldaan come only from ``openinburgering.rules``.

Readings (stated here because the data of other apps is still young):

- **W 22 boetes toward the cap** (B 7.1 lid 5): ``intakes.IntakeCall.fine_amount`` is the rules' proposal per
  failed oproep. A W 22 boete counts as imposed only when the oproep's ``next_step`` is a fine step
  (``fine_and_new_term`` or ``fine_and_intake_in_absence``); other calls' amounts are not counted. There is no
  separate W 22 decision yet; when there is, ``w22_total`` must read it instead.
- **Earlier W 23 boetes** (B 7.1 lid 3, ``rules.PreviousW23``): the newest decision of each other proposal of
  this file with outcome ``opgelegd``; it is ``final`` (onherroepelijk) when its bezwaartermijn has ended
  before the day of the calculation and no bezwaar was registered against it.
- **Achievements** are the klantregisseur's own record for now; exam results reported by providers (the
  providers app) are not read here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import record_event
from openinburgering.clients import services as client_services
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.models import ClientFile, StatusChange
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.intakes.models import IntakeCall
from openinburgering.interop import publish
from openinburgering.letters.models import LetterKind
from openinburgering.letters.payment import betalingskenmerk
from openinburgering.letters.selectors import bekendgemaakt_on
from openinburgering.letters.services import create_letter
from openinburgering.plans.choices import PipStatus
from openinburgering.plans.models import PipVersion
from openinburgering.plans.services import clean_bezwaar, termijn_of
from openinburgering.providers.models import ExamResult

from .models import (
    Achievement,
    AchievementKind,
    CulpabilityChoice,
    DecisionOutcome,
    ExamConfirmation,
    ExamPartChoice,
    FineBezwaar,
    FineDecision,
    FineGround,
    FineProposal,
    LevelChoice,
    TermijnKindChoice,
)
from .selectors import achievements_of, passed_provider_exams

PURPOSE = client_services.PURPOSE_CASEWORK
LETTER_TEMPLATE = "handhaving/letters/boete_w23.html"
LETTER_TITLE = "Besluit: u krijgt een boete omdat u zich niet aan uw PIP heeft gehouden"
TEXT_LIMIT = 10_000
MAX_HOURS = Decimal("5000")
LANGUAGE_PARTS = tuple(part for part in rules.ExamPart if part != rules.ExamPart.KNM)
W22_FINE_STEPS = (rules.IntakeStep.FINE_AND_NEW_TERM.value, rules.IntakeStep.FINE_AND_INTAKE_IN_ABSENCE.value)

KEREN_REFERENCE = "HvJ EU 4 februari 2025, zaak C-158/23 (Keren)"
KEREN_CAUTION = (
    "Let op: deze persoon is asielstatushouder. Het Hof van Justitie van de EU (4 februari 2025, zaak C-158/23, "
    "Keren) zegt: een boete mag alleen als uitzondering, als bewezen is dat de persoon steeds niet wil meedoen "
    "(persistente onwil). De boete moet ook evenredig zijn. Na Keren is de Raad van State (9 juli 2025, "
    "ECLI:NL:RVS:2025:3087) streng; wat dit betekent voor boetes onder de Wet inburgering 2021 is nog niet zeker. "
    "Leg daarom vast waaruit de persistente onwil blijkt en waarom de boete evenredig is."
)

MISSING_LABELS: dict[str, str] = {
    rules.Missing.PVT: "Participatieverklaringstraject (PVT) ondertekend",
    rules.Missing.MAP: "Module arbeidsmarkt en participatie (MAP) afgerond",
    rules.Missing.LEZEN: "Examen lezen",
    rules.Missing.LUISTEREN: "Examen luisteren",
    rules.Missing.SCHRIJVEN: "Examen schrijven",
    rules.Missing.SPREKEN: "Examen spreken",
    rules.Missing.KNM: "Examen kennis van de Nederlandse maatschappij (KNM)",
    rules.Missing.ONDERWIJSROUTE: "Onderwijsroute afgerond (of alle examens op B1 en KNM)",
    rules.Missing.Z_COURSE_HOURS: "Cursusuren Z-route (800, min vrijgestelde uren)",
    rules.Missing.Z_PARTICIPATION_HOURS: "Participatie-uren Z-route (800, min uren PVT en MAP)",
    rules.Missing.Z_FINAL_INTERVIEW: "Eindgesprek Z-route met de gemeente",
}

UNMET_LABELS: dict[str, str] = {
    rules.EffortUnmet.NOT_B1_ROUTE: "Verlenging om inspanningen kan alleen in de B1-route.",
    rules.EffortUnmet.LESSONS: "Niet alle lessen gevolgd (gezinsmigranten en overige migranten: minstens 450 uur).",
    rules.EffortUnmet.EXAM_PARTS: "Minder dan 2 taalonderdelen gehaald (op A2 of hoger).",
    rules.EffortUnmet.KNM: "KNM is nog niet gehaald.",
    rules.EffortUnmet.PVT: "De PVT is nog niet klaar.",
    rules.EffortUnmet.MAP: "De MAP is nog niet klaar.",
    rules.EffortUnmet.REQUEST_TOO_EARLY: "Het is nog te vroeg voor de aanvraag.",
    rules.EffortUnmet.REQUEST_TOO_LATE: "De termijn is al voorbij.",
}


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def _text(value: Any) -> str:
    return str(value or "").strip()


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _audit(actor: Actor, event_type: str, client_file: ClientFile, subject: Any, via: str, **changes: Any) -> None:
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file, subject=subject,
        changes={key: _json(value) for key, value in changes.items()}, via=via,
    )  # fmt: skip


def record_read(
    *, actor: Actor, client_file: ClientFile, event_type: str, via: str = "ui", subject: Any = None
) -> None:
    """Logs a read of handhaving data (doelbinding: casework). Call inside the request's transaction."""
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file,
        subject=subject if subject is not None else client_file, via=via,
    )  # fmt: skip


def is_asielstatushouder(client_file: ClientFile) -> bool:
    return client_file.doelgroep == rules.Doelgroep.ASIELSTATUSHOUDER.value


def current_pip(client_file: ClientFile) -> PipVersion | None:
    return PipVersion.objects.filter(client_file=client_file, status=PipStatus.VASTGESTELD).first()


# ---------------------------------------------------------------------------------------------------------------
# The fine: earlier fines of the file and rules.fine_pip


@dataclass(frozen=True)
class FineFigures:
    """The W 22 and W 23 boetes already imposed on the file and the earlier W 23 violations (rules input)."""

    w22_total: Decimal
    w23_total: Decimal
    previous: tuple[rules.PreviousW23, ...]

    @property
    def fines_total(self) -> Decimal:
        return self.w22_total + self.w23_total


@dataclass(frozen=True)
class FineOutcome:
    result: rules.FinePip
    figures: FineFigures
    cap: Decimal


def latest_decisions(decisions: Iterable[FineDecision]) -> dict[int, FineDecision]:
    """The newest decision (highest sequence) per proposal."""
    latest: dict[int, FineDecision] = {}
    for decision in decisions:
        current = latest.get(decision.proposal_id)
        if current is None or decision.sequence > current.sequence:
            latest[decision.proposal_id] = decision
    return latest


def decision_is_final(decision: FineDecision, *, on: date, bezwaar_count: int) -> bool:
    """Onherroepelijk (reading): the bezwaartermijn ended before ``on`` and no bezwaar was registered."""
    return bezwaar_count == 0 and decision.bezwaar_term_ends_on is not None and decision.bezwaar_term_ends_on < on


def w22_total(client_file: ClientFile) -> Decimal:
    """The W 22 intake boetes counted as imposed: ``fine_amount`` of oproepen whose next step is a fine step."""
    total = IntakeCall.objects.filter(
        client_file=client_file, next_step__in=W22_FINE_STEPS, fine_amount__isnull=False
    ).aggregate(total=Sum("fine_amount"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def fine_figures(client_file: ClientFile, *, on: date, exclude_proposal_id: int | None = None) -> FineFigures:
    """W 22 + W 23 boetes already imposed on the file and the earlier W 23 violations (two queries)."""
    decisions = (
        FineDecision.objects.filter(proposal__client_file=client_file)
        .exclude(proposal_id=exclude_proposal_id)
        .select_related("proposal")
        .prefetch_related("bezwaren")
    )
    w23 = Decimal("0.00")
    previous: list[rules.PreviousW23] = []
    for decision in latest_decisions(decisions).values():
        if decision.outcome != DecisionOutcome.OPGELEGD:
            continue
        w23 += decision.amount
        previous.append(
            rules.PreviousW23(
                established_on=decision.proposal.established_on,
                final=decision_is_final(decision, on=on, bezwaar_count=len(decision.bezwaren.all())),
            )
        )
    return FineFigures(w22_total=w22_total(client_file), w23_total=w23, previous=tuple(previous))


def compute_fine(
    client_file: ClientFile,
    *,
    culpability: str,
    established_on: date,
    termijn_kind: str = TermijnKindChoice.REGULAR,
    bijstand_reduced: bool = False,
    exclude_proposal_id: int | None = None,
    on: date | None = None,
) -> FineOutcome:
    """``rules.fine_pip`` with the file's earlier boetes (the W 22 boetes count toward the cap, B 7.1 lid 5)."""
    figures = fine_figures(client_file, on=on or core_dates.today(), exclude_proposal_id=exclude_proposal_id)
    kind = rules.TermijnKind(termijn_kind)
    result = rules.fine_pip(
        culpability=rules.Culpability(culpability),
        established_on=established_on,
        previous_w23=figures.previous,
        fines_total=figures.fines_total,
        termijn_kind=kind,
        bijstand_reduced_for_same_conduct=bijstand_reduced,
    )
    return FineOutcome(result=result, figures=figures, cap=kind.cap)


PROPOSAL_FIELDS = (
    "ground", "established_on", "facts", "reasoning", "culpability", "termijn_kind", "bijstand_reduced",
    "persistent_onwil", "keren_reasoning",
)  # fmt: skip


def check_proposal(client_file: ClientFile, data: Mapping[str, Any]) -> tuple[dict[str, Any], PipVersion]:
    """Validate a proposal (every problem at once); return the cleaned data and the vastgestelde PIP."""
    version = current_pip(client_file)
    if version is None:
        raise Conflict(
            "Er is geen vastgesteld PIP. Een boete op grond van artikel 23 kan alleen als er een vastgesteld PIP is."
        )
    errors = FieldErrors()
    clean: dict[str, Any] = {name: data.get(name) for name in PROPOSAL_FIELDS}
    for name in ("facts", "reasoning", "keren_reasoning"):
        clean[name] = _text(clean[name])
        if len(clean[name]) > TEXT_LIMIT:
            errors.add(name, "Gebruik hoogstens 10.000 tekens.")
    clean["bijstand_reduced"] = bool(clean["bijstand_reduced"])
    clean["persistent_onwil"] = bool(clean["persistent_onwil"])
    clean["termijn_kind"] = clean["termijn_kind"] or TermijnKindChoice.REGULAR
    if clean["ground"] not in FineGround.values:
        errors.add("ground", "Kies de grond: waaraan werkt de persoon niet mee?")
    if clean["culpability"] not in CulpabilityChoice.values:
        errors.add("culpability", "Kies hoe verwijtbaar het gedrag is.")
    if clean["termijn_kind"] not in TermijnKindChoice.values:
        errors.add("termijn_kind", "Kies in welke termijn de boete valt.")
    established = clean["established_on"]
    if not isinstance(established, date):
        errors.add("established_on", "Vul de datum in waarop u het niet meewerken heeft vastgesteld.")
    elif established > core_dates.today():
        errors.add("established_on", "De datum kan niet in de toekomst liggen.")
    elif version.dagtekening_on is not None and established < version.dagtekening_on:
        errors.add("established_on", "De datum kan niet voor de dagtekening van het geldende PIP liggen.")
    if not clean["facts"]:
        errors.add("facts", "Beschrijf de feiten: wat is er gebeurd, en wanneer?")
    if not clean["reasoning"]:
        errors.add("reasoning", "Schrijf de motivering op. Zonder motivering kan er geen boete komen.")
    if is_asielstatushouder(client_file):
        if not clean["persistent_onwil"]:
            errors.add(
                "persistent_onwil",
                "Deze persoon is asielstatushouder. Een boete kan alleen als persistente onwil is aangetoond "
                f"({KEREN_REFERENCE}). Is dat niet zo? Stel dan geen boete voor.",
            )
        if not clean["keren_reasoning"]:
            errors.add(
                "keren_reasoning",
                "Schrijf op waaruit de persistente onwil blijkt en waarom de boete evenredig is (Keren).",
            )
    errors.raise_if_any()
    return clean, version


def preview_fine(*, client_file: ClientFile, data: Mapping[str, Any]) -> FineOutcome:
    """What ``rules.fine_pip`` gives for this proposal, without saving (the "Bereken" button)."""
    errors = FieldErrors()
    if data.get("culpability") not in CulpabilityChoice.values:
        errors.add("culpability", "Kies hoe verwijtbaar het gedrag is.")
    if not isinstance(data.get("established_on"), date):
        errors.add("established_on", "Vul de datum in waarop u het niet meewerken heeft vastgesteld.")
    if (data.get("termijn_kind") or TermijnKindChoice.REGULAR) not in TermijnKindChoice.values:
        errors.add("termijn_kind", "Kies in welke termijn de boete valt.")
    errors.raise_if_any()
    return compute_fine(
        client_file,
        culpability=data["culpability"],
        established_on=data["established_on"],
        termijn_kind=data.get("termijn_kind") or TermijnKindChoice.REGULAR,
        bijstand_reduced=bool(data.get("bijstand_reduced")),
    )


@transaction.atomic
def propose_fine(*, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui") -> FineProposal:
    """A W 23 boetevoorstel on a file with a vastgesteld PIP; the amount is ``rules.fine_pip``'s. The caller
    holds the file row lock (access_client_file for_write)."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    clean, version = check_proposal(client_file, data)
    outcome = compute_fine(
        client_file, culpability=clean["culpability"], established_on=clean["established_on"],
        termijn_kind=clean["termijn_kind"], bijstand_reduced=clean["bijstand_reduced"],
    )  # fmt: skip
    proposal = FineProposal.objects.create(
        client_file=client_file, pip_version=version, **clean, asielstatushouder=is_asielstatushouder(client_file),
        amount=outcome.result.amount, base_amount=outcome.result.base_amount,
        repeat_count=outcome.result.repeat_count, capped=outcome.result.capped,
        w22_total=outcome.figures.w22_total, w23_total=outcome.figures.w23_total,
        proposed_at=timezone.now(), proposed_by=actor.user,
    )  # fmt: skip
    _audit(
        actor, "fine_proposed", client_file, proposal, via, ground=proposal.ground,
        culpability=proposal.culpability, amount=proposal.amount, repeat_count=proposal.repeat_count,
        capped=proposal.capped, bijstand_reduced=proposal.bijstand_reduced,
    )  # fmt: skip
    return proposal


# ---------------------------------------------------------------------------------------------------------------
# The decision (four eyes) and the boetebeschikking


@transaction.atomic
def decide_fine(
    *,
    actor: Actor,
    client_file: ClientFile,
    proposal: FineProposal,
    outcome: str,
    reason: str = "",
    via: str = "ui",
) -> FineDecision:
    """The teamleider decides: opgelegd (with the boetebeschikking as a PDF) or afgezien (with a reason). Never
    the proposer (four eyes; also a database check). A later decision on the same proposal is a new row."""
    if not actor.can(Capability.DECIDE_FINES):
        raise NotFound()
    if actor.user.pk == proposal.proposed_by_id:
        message = (
            "U heeft deze boete zelf voorgesteld. Een andere teamleider moet beslissen (vier ogen). Vraag een "
            "andere teamleider om dit voorstel te beoordelen."
        )
        raise ApplicationError(message, field_errors={"decision": [message]})
    errors = FieldErrors()
    text = _text(reason)
    if outcome not in DecisionOutcome.values:
        errors.add("outcome", "Kies: boete opleggen of afzien van een boete.")
    if outcome == DecisionOutcome.AFGEZIEN and not text:
        errors.add("reason", "Schrijf op waarom u afziet van een boete.")
    if len(text) > TEXT_LIMIT:
        errors.add("reason", "Gebruik hoogstens 10.000 tekens.")
    errors.raise_if_any()
    day = core_dates.today()
    previous = FineDecision.objects.filter(proposal=proposal).aggregate(top=Max("sequence"))["top"] or 0
    computed = compute_fine(
        client_file, culpability=proposal.culpability, established_on=proposal.established_on,
        termijn_kind=proposal.termijn_kind, bijstand_reduced=proposal.bijstand_reduced,
        exclude_proposal_id=proposal.pk, on=day,
    )  # fmt: skip
    result = computed.result
    letter = None
    term_ends_on = None
    if outcome == DecisionOutcome.OPGELEGD:
        if result.amount <= 0:
            message = (
                "Volgens de regels is de boete € 0 (de bijstand is al verlaagd voor hetzelfde gedrag, of het "
                "maximum aan boetes is bereikt). Kies 'Afzien van een boete' en schrijf de reden op."
            )
            raise ApplicationError(message, field_errors={"outcome": [message]})
        term_ends_on = rules.bezwaar_termijn(bekendgemaakt_on=day).term_ends_on
        letter = create_letter(
            actor=actor, client_file=client_file, kind=LetterKind.BOETE_W23, template_name=LETTER_TEMPLATE,
            context=letter_context(proposal, result=result, decided_on=day, bezwaar_until=term_ends_on),
            subject=proposal, via=via,
        )  # fmt: skip
    decision = FineDecision.objects.create(
        proposal=proposal, sequence=previous + 1, outcome=outcome, reason=text,
        amount=result.amount if outcome == DecisionOutcome.OPGELEGD else Decimal("0.00"),
        repeat_count=result.repeat_count, capped=result.capped, decided_on=day, bezwaar_term_ends_on=term_ends_on,
        letter=letter, decided_at=timezone.now(), decided_by=actor.user, proposed_by_id=proposal.proposed_by_id,
    )  # fmt: skip
    if letter is not None:
        publish.beschikking(
            client_file, besluit="boete", subject_id=decision.pk, letter=letter, datum=day, ingangsdatum=day,
            toelichting="Boete persoonlijk plan (artikel 23 Wet inburgering 2021)",
        )  # fmt: skip
    _audit(
        actor, "fine_decided", client_file, decision, via, proposal=proposal.pk, sequence=decision.sequence,
        outcome=outcome, amount=decision.amount, letter=letter.pk if letter else None,
    )  # fmt: skip
    return decision


def letter_context(
    proposal: FineProposal, *, result: rules.FinePip, decided_on: date, bezwaar_until: date
) -> dict[str, Any]:
    """What the boetebeschikking says, from the structured facts only (issue #11 item 7): the ground, the date
    it was established, the culpability, repeat and cap, the amount, and how and by when to pay (Awb 4:87 via
    ``rules.betalingstermijn``; a betalingskenmerk with check digits from the fine). The staff's Feiten,
    Motivering, Keren reasoning and the teamleider's reason stay internal."""
    client_file = proposal.client_file
    return {
        "title": LETTER_TITLE,
        "reference": f"BOETE-{proposal.pk}",
        "ground": proposal.ground,
        "established_on": proposal.established_on,
        "culpability": proposal.culpability,
        "percentage": rules.Culpability(proposal.culpability).percentage,
        "amount": result.amount,
        "base_amount": result.base_amount,
        "repeat_count": result.repeat_count,
        "capped": result.capped,
        "first_amount": rules.PIP_FINE_BASE,
        "max_amount": rules.PIP_FINE_MAX,
        "decided_on": decided_on,
        "bezwaar_until": bezwaar_until,
        "pay_by_on": rules.betalingstermijn(bekendgemaakt_on=decided_on).pay_by_on,
        "betalingskenmerk": betalingskenmerk(gemeente_code=client_file.gemeente.code, fine_id=proposal.pk),
        "gemeente_payee": f"Gemeente {client_file.gemeente.name}",
    }


@transaction.atomic
def register_fine_bezwaar(
    *,
    actor: Actor,
    client_file: ClientFile,
    decision: FineDecision,
    received_on: date | None,
    grounds: str,
    via: str = "ui",
) -> FineBezwaar:
    """A bezwaarschrift against an imposed boete; in time or not is ``rules.bezwaar_termijn``'s answer."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    if decision.outcome != DecisionOutcome.OPGELEGD:
        raise Conflict("Bezwaar kan alleen tegen een opgelegde boete.")
    # The term runs from sending (Awb 6:8, 3:41): the letter's recorded send date, the decision date until then.
    bekendgemaakt = bekendgemaakt_on(decision.letter_id, fallback=decision.decided_on)
    received_on, text, term = clean_bezwaar(received_on=received_on, grounds=grounds, bekendgemaakt_on=bekendgemaakt)
    bezwaar = FineBezwaar.objects.create(
        decision=decision, received_on=received_on, term_ends_on=term.term_ends_on, on_time=bool(term.on_time),
        grounds=text, registered_at=timezone.now(), registered_by=actor.user,
    )  # fmt: skip
    _audit(actor, "fine_bezwaar_registered", client_file, bezwaar, via, decision=decision.pk,
           received_on=received_on, term_ends_on=term.term_ends_on, on_time=bezwaar.on_time)  # fmt: skip
    return bezwaar


# ---------------------------------------------------------------------------------------------------------------
# Achievements, voldaan and the extension for aanzienlijke inspanningen


def _hours(value: Any, errors: FieldErrors) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        errors.add("hours", "Vul een aantal uren in, bijvoorbeeld 12 of 12,5.")
        return None
    if not Decimal("0") < hours <= MAX_HOURS:
        errors.add("hours", "Vul een aantal uren in tussen 0 en 5000.")
        return None
    return hours.quantize(Decimal("0.1"))


@transaction.atomic
def record_achievement(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> Achievement:
    """One achieved part (insert-only; a mistake is corrected by a new record and a note)."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    errors = FieldErrors()
    kind = _text(data.get("kind"))
    exam_part = _text(data.get("exam_part"))
    level = _text(data.get("level"))
    note = _text(data.get("note"))
    achieved_on = data.get("achieved_on")
    hours = _hours(data.get("hours"), errors)
    if kind not in AchievementKind.values:
        errors.add("kind", "Kies wat de persoon heeft behaald.")
    if not isinstance(achieved_on, date):
        errors.add("achieved_on", "Vul de datum in.")
    elif achieved_on > core_dates.today():
        errors.add("achieved_on", "De datum kan niet in de toekomst liggen.")
    if kind == AchievementKind.EXAM:
        if exam_part not in ExamPartChoice.values:
            errors.add("exam_part", "Kies het examenonderdeel.")
        elif exam_part != ExamPartChoice.KNM and level not in LevelChoice.values:
            errors.add("level", "Kies het niveau waarop het onderdeel is gehaald.")
        if exam_part == ExamPartChoice.KNM:
            level = ""
    else:
        exam_part, level = "", ""
    if kind in (AchievementKind.Z_COURSE_HOURS, AchievementKind.Z_PARTICIPATION_HOURS):
        if hours is None and "hours" not in errors.errors:
            errors.add("hours", "Vul het aantal uren in.")
    else:
        hours = None
    if len(note) > TEXT_LIMIT:
        errors.add("note", "Gebruik hoogstens 10.000 tekens.")
    errors.raise_if_any()
    assert isinstance(achieved_on, date)  # checked above
    achievement = Achievement.objects.create(
        client_file=client_file, kind=kind, exam_part=exam_part, level=level, hours=hours, achieved_on=achieved_on,
        note=note, recorded_at=timezone.now(), recorded_by=actor.user,
    )  # fmt: skip
    _audit(actor, "achievement_recorded", client_file, achievement, via, kind=kind, exam_part=exam_part,
           level=level, hours=hours, achieved_on=achieved_on)  # fmt: skip
    return achievement


EVIDENCE_MESSAGE = "Schrijf waar u de uitslag zag, bijvoorbeeld: uitslag gezien in Mijn Inburgering of DUO-bericht."
EVIDENCE_LIMIT = 500


@transaction.atomic
def confirm_exam_result(
    *, actor: Actor, client_file: ClientFile, exam_result_id: int, evidence: str, via: str = "ui"
) -> ExamConfirmation:
    """The gemeente confirms a passed exam a provider reported, noting where it saw the result (#11). The exam is
    taken at DUO: only DUO results and confirmed reports count toward voldaan. Insert-only, once per report. The
    caller locked the file (access_client_file(..., for_write=True)); needs CHANGE_CLIENT_FILES."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    evidence = _text(evidence)
    result = (
        ExamResult.objects.select_for_update(of=("self",)).select_related("enrolment").filter(pk=exam_result_id).first()
    )
    if result is None or result.enrolment.client_file_id != client_file.pk:
        raise ApplicationError("Deze melding van de aanbieder hoort niet bij dit dossier.")
    if not result.passed:
        raise ApplicationError("De aanbieder meldde dit examen als niet gehaald. Er is niets te bevestigen.")
    if not evidence:
        raise ApplicationError(EVIDENCE_MESSAGE, field_errors={"evidence": [EVIDENCE_MESSAGE]})
    if len(evidence) > EVIDENCE_LIMIT:
        raise ApplicationError(
            "Gebruik hoogstens 500 tekens.", field_errors={"evidence": ["Gebruik hoogstens 500 tekens."]}
        )
    earlier = ExamConfirmation.objects.filter(exam_result=result).first()
    if earlier is not None:
        raise Conflict(f"Deze uitslag is al bevestigd op {timezone.localtime(earlier.confirmed_at):%d-%m-%Y}.")
    confirmation = ExamConfirmation.objects.create(
        client_file=client_file, exam_result=result, evidence=evidence, confirmed_at=timezone.now(),
        confirmed_by=actor.user,
    )  # fmt: skip
    _audit(actor, "exam_result_confirmed", client_file, confirmation, via, exam_result=result.pk, part=result.part,
           level=result.level, evidence=evidence)  # fmt: skip
    return confirmation


@dataclass(frozen=True)
class AchievedSoFar:
    """The rules' inputs from the achievement records (earliest date per part, highest level per exam)."""

    pvt_signed_on: date | None = None
    map_completed_on: date | None = None
    exams_passed: dict[rules.ExamPart, rules.Level | bool | None] = field(default_factory=dict)
    onderwijsroute_completed: bool = False
    z_final_interview_on: date | None = None
    z_course_hours: Decimal = Decimal("0")
    z_participation_hours: Decimal = Decimal("0")


def achieved_so_far(achievements: Iterable[Achievement]) -> AchievedSoFar:
    dates: dict[str, date] = {}
    exams: dict[rules.ExamPart, rules.Level | bool | None] = {}
    hours = {AchievementKind.Z_COURSE_HOURS: Decimal("0"), AchievementKind.Z_PARTICIPATION_HOURS: Decimal("0")}
    for row in achievements:
        if row.kind in hours:
            hours[AchievementKind(row.kind)] += row.hours or 0
            continue
        if row.kind == AchievementKind.EXAM:
            part = rules.ExamPart(row.exam_part)
            if part == rules.ExamPart.KNM:
                exams[part] = True
            else:
                level = rules.Level(row.level)
                old = exams.get(part)
                if not isinstance(old, rules.Level) or level.rank > old.rank:
                    exams[part] = level
            continue
        if row.kind not in dates or row.achieved_on < dates[row.kind]:
            dates[row.kind] = row.achieved_on
    return AchievedSoFar(
        pvt_signed_on=dates.get(AchievementKind.PVT),
        map_completed_on=dates.get(AchievementKind.MAP),
        exams_passed=exams,
        onderwijsroute_completed=AchievementKind.ONDERWIJSROUTE in dates,
        z_final_interview_on=dates.get(AchievementKind.Z_FINAL_INTERVIEW),
        z_course_hours=hours[AchievementKind.Z_COURSE_HOURS],
        z_participation_hours=hours[AchievementKind.Z_PARTICIPATION_HOURS],
    )


@dataclass(frozen=True)
class VoldaanCheck:
    result: rules.Voldaan
    leerroute: rules.Leerroute
    missing_labels: tuple[str, ...]


def _doelgroep(client_file: ClientFile) -> rules.Doelgroep | None:
    try:
        return rules.Doelgroep(client_file.doelgroep)
    except ValueError:
        return None


def is_confirmed(result: Any) -> bool:
    """Whether the gemeente confirmed this provider-reported exam (``ExamConfirmation``, select_related)."""
    return getattr(result, "confirmation", None) is not None


def with_confirmed_exams(achieved: AchievedSoFar, results: Iterable[Any]) -> AchievedSoFar:
    """The recorded achievements (DUO results as the gemeente recorded them) plus the passed exams providers
    reported **that the gemeente confirmed** (#11: the exam is taken at DUO; a provider's report is a signal to
    check, not a result): the highest level per language part, KNM once passed. Unconfirmed reports are skipped.
    The voortgang page, this page and their API count the same exams."""
    exams: dict[rules.ExamPart, rules.Level | bool | None] = dict(achieved.exams_passed)
    for result in results:
        if not result.passed or not is_confirmed(result):
            continue
        part = rules.ExamPart(result.part)
        if part == rules.ExamPart.KNM:
            exams[part] = True
            continue
        level = rules.Level(result.level)
        old = exams.get(part)
        if not isinstance(old, rules.Level) or level.rank > old.rank:
            exams[part] = level
    return replace(achieved, exams_passed=exams)


def voldaan_check(client_file: ClientFile, version: PipVersion | None, achieved: AchievedSoFar) -> VoldaanCheck | None:
    """``rules.voldaan`` for the file's vastgesteld PIP (None without a PIP or doelgroep). An A2 level in a
    B1-route PIP means afgeschaald (W 17 lid 3): every language part is then checked at A2."""
    doelgroep = _doelgroep(client_file)
    if version is None or doelgroep is None:
        return None
    leerroute = rules.Leerroute(version.leerroute)
    lowered = LANGUAGE_PARTS if leerroute == rules.Leerroute.B1 and version.level == "A2" else ()
    result = rules.voldaan(
        leerroute=leerroute, doelgroep=doelgroep, pvt_signed_on=achieved.pvt_signed_on,
        map_completed_on=achieved.map_completed_on, exams_passed=achieved.exams_passed, lowered_to_a2=lowered,
        onderwijsroute_completed=achieved.onderwijsroute_completed, z_course_hours=achieved.z_course_hours,
        z_participation_hours=achieved.z_participation_hours, z_final_interview_on=achieved.z_final_interview_on,
    )  # fmt: skip
    return VoldaanCheck(
        result=result, leerroute=leerroute, missing_labels=tuple(MISSING_LABELS[code] for code in result.missing)
    )


ROUTE_NAMES = {
    rules.Leerroute.B1: "B1-route",
    rules.Leerroute.ONDERWIJS: "onderwijsroute",
    rules.Leerroute.Z: "Z-route",
}


def current_voldaan_check(client_file: ClientFile) -> VoldaanCheck | None:
    """``voldaan_check`` with what the file has now: the vastgesteld PIP, the recorded achievements and the exams
    providers reported as passed that the gemeente confirmed (3 queries)."""
    achieved = with_confirmed_exams(achieved_so_far(achievements_of(client_file)), passed_provider_exams(client_file))
    return voldaan_check(client_file, current_pip(client_file), achieved)


@transaction.atomic
def record_voldaan(*, actor: Actor, client_file: ClientFile, via: str = "ui") -> StatusChange:
    """The klantregisseur confirms voldaan (W 6, W 7): only when ``rules.voldaan`` says every part of the
    leerroute is done. The file then moves on to the vervolg (``followup``): the next step on the caseload is
    recording where the person goes next. DUO's own report (SS106) sets voldaan through the signals instead."""
    current = ClientFile.objects.select_for_update().get(pk=client_file.pk)
    if current.status != FileStatus.IN_TRAJECT:
        raise ApplicationError(
            f"Voldaan vastleggen kan als het dossier in traject is. Dit dossier heeft de status "
            f"'{current.get_status_display()}'."
        )
    check = current_voldaan_check(current)
    if check is None:
        raise ApplicationError("Voldaan kan pas worden berekend als er een vastgesteld PIP en een doelgroep zijn.")
    if not check.result.voldaan:
        raise ApplicationError("Nog niet voldaan. Dit ontbreekt nog: " + "; ".join(check.missing_labels) + ".")
    change = client_services.change_status(
        actor=actor, client_file=current, to_status=FileStatus.VOLDAAN, via=via, checked=True,
        reason=f"Voldaan: alle onderdelen van de {ROUTE_NAMES[check.leerroute]} zijn behaald "
        "(artikel 6 Wet inburgering 2021).",
    )  # fmt: skip
    client_file.status = current.status
    return change


@dataclass(frozen=True)
class ExtensionCheck:
    result: rules.ExtensionForEffort
    termijn_end_on: date
    requested_on: date
    window_open: bool
    unmet_labels: tuple[str, ...]


def extension_check(
    client_file: ClientFile,
    version: PipVersion | None,
    achieved: AchievedSoFar,
    *,
    requested_on: date,
    lesson_hours: Decimal | int = 0,
    all_lessons_attended: bool = False,
) -> ExtensionCheck | None:
    """``rules.extension_for_effort`` (B 4.4, 4.5) with the termijn from ``plans.services.termijn_of``. Lesson
    hours are entered by the klantregisseur (no attendance data from providers is read here)."""
    doelgroep = _doelgroep(client_file)
    termijn = termijn_of(client_file)
    if version is None or doelgroep is None or termijn is None:
        return None
    result = rules.extension_for_effort(
        doelgroep=doelgroep, leerroute=rules.Leerroute(version.leerroute), requested_on=requested_on,
        termijn_end_on=termijn.termijn_end_on, exams_passed=achieved.exams_passed,
        all_lessons_attended=all_lessons_attended, lesson_hours=lesson_hours,
        pvt_signed_on=achieved.pvt_signed_on, map_completed_on=achieved.map_completed_on,
    )  # fmt: skip
    window_open = result.request_from_on <= requested_on <= termijn.termijn_end_on
    return ExtensionCheck(
        result=result, termijn_end_on=termijn.termijn_end_on, requested_on=requested_on, window_open=window_open,
        unmet_labels=tuple(UNMET_LABELS[code] for code in result.unmet),
    )  # fmt: skip
