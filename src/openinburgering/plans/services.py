"""Every change to a PIP: draft, edit, submit, four-eyes approval (vaststelling with the beschikking), rejection,
the person's response, bezwaren and voortgangsgesprekken. Keyword-only, atomic, audited in the same transaction.

Callers reach the file with ``access_client_file(..., for_write=True)`` (the file row is locked, so two approvals
or two drafts cannot race). Every statutory date and check comes from ``openinburgering.rules``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import record_event
from openinburgering.clients import services as client_services
from openinburgering.clients.access import health_readable_persons
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.clients.workflow import can_transition
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.intakes.choices import Leefgebied, Leerroute
from openinburgering.interop import publish
from openinburgering.interop.duo_handlers import enqueue_pip_registration
from openinburgering.interop.klantinteracties import register_contact_moment
from openinburgering.letters.models import LetterKind
from openinburgering.letters.selectors import bekendgemaakt_on
from openinburgering.letters.services import create_letter

from . import selectors
from .choices import OPEN_PIP_STATUSES, BezwaarStatus, ClientAgreement, PipEventKind, PipStatus, Responsible
from .models import Bezwaar, PipAgreement, PipEvent, PipLevel, PipVersion, ProgressTalk

PURPOSE = client_services.PURPOSE_CASEWORK
LETTER_TEMPLATE = "letters/pip_beschikking.html"
LETTER_TITLE = "Besluit: uw persoonlijk plan inburgering en participatie (PIP)"

# The fields of a concept that staff edit (the rest is set by the steps of the procedure).
DRAFT_FIELDS = (
    "leerroute", "level", "estimated_b1_intensity", "lesson_hours_per_week", "pvt_intensity", "map_intensity",
    "begeleiding", "receives_bijstand", "bijstand_start_on", "vve", "kinderopvang", "reiskosten", "lestijden",
    "duaal", "progress_talks_count", "progress_talk_dates", "summary", "route_switch_exception", "change_reason",
)  # fmt: skip
# Copied into a new version from the current vastgestelde one (new voortgangsgesprekken are planned anew).
COPIED_FIELDS = (
    *(
        name
        for name in DRAFT_FIELDS
        if name not in ("progress_talks_count", "progress_talk_dates", "route_switch_exception", "change_reason")
    ),
    "ontzorgen_applies",
    "ontzorgen_start_on",
    "ontzorgen_end_on",
    "ontzorgen_items",
)
AGREEMENT_FIELDS = ("leefgebied", "goal", "action", "responsible", "due_on")
MAX_AGREEMENTS = 60
MAX_PROGRESS_TALKS = 24
TEXT_LIMIT = 10_000

# Every reason DUO refuses a PIP (rules.PipError), as a Dutch message and the field it belongs to.
PIP_ERROR_MESSAGES: dict[rules.PipError, tuple[str, str]] = {
    rules.PipError.A2_NOT_WITH_ONDERWIJS: (
        "level",
        "In de onderwijsroute kan het taalniveau niet A2 zijn. Kies B1 of laat het niveau op standaard staan.",
    ),
    rules.PipError.B1_NOT_WITH_Z: (
        "level",
        "In de Z-route hoort geen taalniveau B1. Kies A2 of laat het niveau op standaard staan.",
    ),
    rules.PipError.A2_NOT_ON_FIRST_B1_PIP: (
        "level",
        "In het eerste PIP van de B1-route kan het niveau niet A2 zijn. Afschalen naar A2 kan pas later "
        "(artikel 17 lid 3 Wet inburgering 2021).",
    ),
    rules.PipError.INTENSITY_ONLY_B1_ASIEL: (
        "estimated_b1_intensity",
        "Een geschatte intensiteit van de B1-route hoort alleen bij asielstatushouders in de B1-route "
        "(artikel 15 lid 2 Wet inburgering 2021). Maak dit veld leeg.",
    ),
    rules.PipError.DAGTEKENING_BEFORE_PLICHT: (
        "dagtekening",
        "De dagtekening van het PIP ligt voor het begin van de inburgeringsplicht. DUO neemt dit PIP niet aan. "
        "Controleer de datum van de kennisgeving in het dossier.",
    ),
    rules.PipError.DAGTEKENING_BEFORE_PREVIOUS: (
        "dagtekening",
        "De dagtekening ligt voor de dagtekening van het vorige PIP. DUO neemt dit PIP niet aan.",
    ),
    rules.PipError.DAGTEKENING_BEFORE_SETTLEMENT: (
        "dagtekening",
        "De dagtekening ligt voor de datum waarop de persoon in de gemeente is ingeschreven. DUO neemt dit PIP "
        "niet aan. Controleer de datum van inschrijving in het dossier.",
    ),
}

ONTZORGEN_LABELS: dict[str, str] = {
    rules.OntzorgenItem.HUUR: "de huur",
    rules.OntzorgenItem.GAS: "gas",
    rules.OntzorgenItem.WATER: "water",
    rules.OntzorgenItem.STROOM: "stroom",
    rules.OntzorgenItem.ZORGVERZEKERING: "de premie van de verplichte zorgverzekering",
}

SWITCH_EXCEPTION_LABELS = {
    "": "Geen uitzondering",
    rules.SwitchException.NON_EXEMPTING_EDUCATION: "Na een niet-vrijstellende opleiding (artikel 5.4 lid 2 Besluit)",
    rules.SwitchException.SPECIAL_CASE: "Bijzonder geval (artikel 5.4 lid 3 Besluit)",
}


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    return value


def _event(version: PipVersion, kind: str, actor: Actor, comment: str = "") -> PipEvent:
    return PipEvent.objects.create(
        version=version, kind=kind, comment=comment, occurred_at=timezone.now(), actor=actor.user
    )


def _audit(actor: Actor, event_type: str, client_file: ClientFile, subject: Any, via: str, **changes: Any) -> None:
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file, subject=subject,
        changes={key: _json(value) for key, value in changes.items()}, via=via,
    )  # fmt: skip


def _residence(client_file: ClientFile) -> rules.Residence:
    try:
        return rules.Residence(client_file.residence)
    except ValueError:
        return rules.Residence.OTHER


def _level(value: str) -> rules.Level | None:
    return rules.Level(value) if value else None


def effective_level_label(client_file: ClientFile, version: PipVersion) -> str:
    """The level DUO registers for this version (``pip_validation.effective_level``: B1 by default for the
    B1-route and the onderwijsroute, none for the Z-route), as the letter shows it."""
    try:
        doelgroep = rules.Doelgroep(client_file.doelgroep)
    except ValueError:
        doelgroep = rules.Doelgroep.OVERIG  # only the intensity check uses the doelgroep; not the level
    level = rules.pip_validation(
        leerroute=rules.Leerroute(version.leerroute), first_pip=False, doelgroep=doelgroep, level=_level(version.level)
    ).effective_level
    return str(level) if level is not None else "Geen vast taalniveau (Z-route)"


def _text(value: Any) -> str:
    return str(value or "").strip()


def ontzorgen_labels(items: list[str]) -> list[str]:
    """The Dutch names of the fixed costs the gemeente pays (Pw 56a lid 2)."""
    return [ONTZORGEN_LABELS.get(item, item) for item in items]


def termijn_of(client_file: ClientFile) -> rules.Termijn | None:
    """The W 11 termijn from the file's first dagtekening (None before the first vaststelling)."""
    if client_file.pip_dagtekening_on is None:
        return None
    return rules.termijn(pip_dagtekening_on=client_file.pip_dagtekening_on)


def record_pip_read(
    *, actor: Actor, client_file: ClientFile, subject: Any = None, event_type: str = "pip_viewed", via: str = "ui"
) -> None:
    """Logs a read of PIP data (doelbinding: casework). Call inside the request's transaction."""
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file,
        subject=subject if subject is not None else client_file, via=via,
    )  # fmt: skip


def ontzorgen_for(client_file: ClientFile, *, receives_bijstand: bool, bijstand_start_on: date | None) -> Any:
    """Pw 56a from the rules: a plichtige under the Wet inburgering 2021 (every file here is one)."""
    return rules.ontzorgen(
        plichtig_wi2021=True,
        residence=_residence(client_file),
        receives_bijstand=receives_bijstand,
        bijstand_start_on=bijstand_start_on if receives_bijstand else None,
    )


# ---------------------------------------------------------------------------------------------------------------
# The checks of a version (rules.pip_validation, rules.route_switch, W 8 lid 3, the procedure's own checks)


def check_version(
    client_file: ClientFile,
    version: PipVersion,
    *,
    for_submit: bool,
    dagtekening_on: date | None = None,
    current: PipVersion | None = None,
) -> FieldErrors:
    """Every problem of a version at once, as Dutch messages per field. ``current`` is the vastgestelde version
    this one replaces (None for the first). The dagtekening checked is ``dagtekening_on`` (approval) or today."""
    errors = FieldErrors()
    day = dagtekening_on or core_dates.today()
    if version.leerroute not in Leerroute.values:
        errors.add("leerroute", "Kies een leerroute.")
    if version.level not in PipLevel.values:
        errors.add("level", "Kies een taalniveau uit de lijst.")
    intensity = version.estimated_b1_intensity
    if intensity is not None and not 1 <= intensity <= 9999:
        errors.add("estimated_b1_intensity", "Vul een aantal uren in tussen 1 en 9999.")
        intensity = None
    if version.leerroute == Leerroute.ONDERWIJS and _text(version.map_intensity):
        errors.add(
            "map_intensity",
            "In de onderwijsroute hoort geen module arbeidsmarkt en participatie (MAP) (artikel 8 lid 3 Wet "
            "inburgering 2021). Maak dit veld leeg.",
        )
    if version.receives_bijstand and version.bijstand_start_on is None:
        errors.add("bijstand_start_on", "Vul in vanaf welke dag de persoon recht op bijstand heeft.")
    dates = list(version.progress_talk_dates or [])
    if len(dates) != version.progress_talks_count:
        errors.add(
            "progress_talk_dates",
            f"U plant {version.progress_talks_count} voortgangsgesprekken, maar u gaf {len(dates)} datums. "
            "Geef voor elk gesprek één datum.",
        )
    elif len(set(dates)) != len(dates):
        errors.add("progress_talk_dates", "Elke datum mag maar één keer voorkomen.")
    if version.route_switch_exception not in SWITCH_EXCEPTION_LABELS:
        errors.add("route_switch_exception", "Kies een uitzondering uit de lijst.")
    if version.number > 1 and not _text(version.change_reason):
        errors.add("change_reason", "Schrijf op waarom het PIP verandert. Dat is nodig voor een nieuwe versie.")
    if for_submit and not _text(version.summary):
        errors.add("summary", "Schrijf een korte samenvatting in eenvoudige taal. Die krijgt de persoon mee.")
    if for_submit and version.pk is not None:
        # A concept may hold an agreement whose action is still open (the intake prefills only the goal, #11);
        # the plan offered for approval says for each one what happens.
        actions = version.agreements.order_by("position", "id").values_list("action", flat=True)
        for index, action in enumerate(actions):
            if not _text(action):
                errors.add(f"agreements.{index}.action", f"Afspraak {index + 1}: schrijf op wat er gebeurt.")
    if not client_file.doelgroep:
        errors.add("doelgroep", "Vul eerst de doelgroep in bij het dossier (Datums en verblijf).")
    if errors.errors.get("leerroute") or errors.errors.get("doelgroep") or errors.errors.get("level"):
        return errors
    leerroute = rules.Leerroute(version.leerroute)
    result = rules.pip_validation(
        leerroute=leerroute,
        first_pip=client_file.pip_dagtekening_on is None,
        doelgroep=rules.Doelgroep(client_file.doelgroep),
        level=_level(version.level),
        estimated_b1_intensity=intensity,
        pip_dagtekening_on=day,
        plicht_start_on=client_file.kennisgeving_on or client_file.residence_from_on,
        previous_dagtekening_on=current.dagtekening_on if current is not None else None,
        settled_on=client_file.registered_on,
    )
    for error in result.errors:
        field, message = PIP_ERROR_MESSAGES[error]
        errors.add(field, message)
    termijn = termijn_of(client_file)
    if current is not None and termijn is not None and current.leerroute != version.leerroute:
        switch = rules.route_switch(
            termijn_start_on=termijn.termijn_start_on,
            decided_on=day,
            from_route=rules.Leerroute(current.leerroute),
            to_route=leerroute,
            exception=rules.SwitchException(version.route_switch_exception) if version.route_switch_exception else None,
        )
        if not switch.allowed:
            errors.add(
                "leerroute",
                f"De leerroute kan niet meer veranderen. Dat kon tot en met {switch.switch_until_on:%d-%m-%Y} "
                "(artikel 17 lid 2 Wet inburgering 2021, artikel 5.4 Besluit). Kies de huidige leerroute, of kies "
                "een uitzondering als die geldt.",
            )
    return errors


def _clean_dates(raw: Any, errors: FieldErrors) -> list[str]:
    out: list[str] = []
    for item in raw or []:
        if isinstance(item, date):
            out.append(item.isoformat())
            continue
        try:
            out.append(date.fromisoformat(str(item)).isoformat())
        except ValueError:
            errors.add("progress_talk_dates", f"'{item}' is geen geldige datum.")
    if len(out) > MAX_PROGRESS_TALKS:
        errors.add("progress_talk_dates", f"Plan hoogstens {MAX_PROGRESS_TALKS} voortgangsgesprekken.")
    return sorted(out)


def _clean_agreements(rows: list[dict[str, Any]], errors: FieldErrors) -> list[PipAgreement]:
    """The agreements of a concept. Errors are keyed ``agreements.<index>.<field>`` (index in ``rows``, from 0) so
    a form can put each on its own field. What happens may still be open in a concept: submit checks it."""
    agreements: list[PipAgreement] = []
    if len(rows) > MAX_AGREEMENTS:
        errors.add("agreements", f"Maak hoogstens {MAX_AGREEMENTS} afspraken.")
        return agreements
    for index, row in enumerate(rows):
        number = index + 1
        leefgebied = _text(row.get("leefgebied"))
        goal, action = _text(row.get("goal")), _text(row.get("action"))
        responsible = _text(row.get("responsible"))
        due_on = row.get("due_on")
        if leefgebied not in Leefgebied.values:
            errors.add(f"agreements.{index}.leefgebied", f"Afspraak {number}: kies een leefgebied.")
        if not goal:
            errors.add(f"agreements.{index}.goal", f"Afspraak {number}: schrijf het doel op.")
        if responsible not in Responsible.values:
            errors.add(f"agreements.{index}.responsible", f"Afspraak {number}: kies wie het doet.")
        if due_on is not None and not isinstance(due_on, date):
            errors.add(f"agreements.{index}.due_on", f"Afspraak {number}: vul een geldige datum in.")
        if len(goal) > TEXT_LIMIT:
            errors.add(f"agreements.{index}.goal", f"Afspraak {number}: de tekst is te lang.")
        if len(action) > TEXT_LIMIT:
            errors.add(f"agreements.{index}.action", f"Afspraak {number}: de tekst is te lang.")
        agreements.append(
            PipAgreement(
                leefgebied=leefgebied,
                goal=goal,
                action=action,
                responsible=responsible,
                due_on=due_on if isinstance(due_on, date) else None,
                position=number,
            )
        )
    return agreements


# ---------------------------------------------------------------------------------------------------------------
# Draft and edit


@transaction.atomic
def create_draft(*, actor: Actor, client_file: ClientFile, via: str = "ui") -> PipVersion:
    """Version 1 (prefilled from the brede intake when there is one), or a copy of the current vastgestelde
    version with its agreements. At most one open version per file (database constraint)."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    if not client_file.is_open:
        raise Conflict("Dit dossier is gesloten. Er kan geen nieuw PIP meer bij.")
    existing = PipVersion.objects.filter(client_file=client_file, status__in=OPEN_PIP_STATUSES).first()
    if existing is not None:
        raise Conflict(
            f"Er is al een PIP in bewerking (versie {existing.number}). Maak die eerst af voordat u een nieuwe "
            "versie begint."
        )
    number = (PipVersion.objects.filter(client_file=client_file).aggregate(top=Max("number"))["top"] or 0) + 1
    current = selectors.current_version(client_file)
    now = timezone.now()
    version = PipVersion(client_file=client_file, number=number, drafted_at=now, drafted_by=actor.user)
    agreements: list[PipAgreement] = []
    if current is not None:
        source = f"copy of version {current.number}"
        for name in COPIED_FIELDS:
            setattr(version, name, getattr(current, name))
        agreements = [
            PipAgreement(**{name: getattr(row, name) for name in AGREEMENT_FIELDS}, position=row.position)
            for row in current.agreements.order_by("position", "id")
        ]
    else:
        prefill = selectors.intake_prefill(client_file)
        source = "intake" if prefill.chosen_route or prefill.wishes else "empty"
        version.leerroute = prefill.chosen_route
        agreements = [
            PipAgreement(leefgebied=leefgebied, goal=wish, action="", responsible=Responsible.KLANT, position=position)
            for position, (leefgebied, wish) in enumerate(prefill.wishes, start=1)
        ]
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError as exc:  # a concurrent draft won (the file lock normally prevents this)
        raise Conflict("Er is net een andere PIP-versie begonnen. Open die versie.") from exc
    for row in agreements:
        row.version = version
    PipAgreement.objects.bulk_create(agreements)
    _event(version, PipEventKind.DRAFTED, actor, comment=f"Versie {number}")
    _audit(actor, "pip_drafted", client_file, version, via, number={"old": None, "new": number}, source=source)
    return version


@transaction.atomic
def update_draft(
    *,
    actor: Actor,
    client_file: ClientFile,
    version: PipVersion,
    data: dict[str, Any],
    agreements: list[dict[str, Any]] | None = None,
    via: str = "ui",
) -> PipVersion:
    """Change a concept: only the fields in ``data`` (and the agreements when given, replacing them all)."""
    if version.status != PipStatus.CONCEPT:
        raise Conflict("Dit PIP is geen concept meer en kan niet worden gewijzigd. Maak een nieuwe versie.")
    errors = FieldErrors()
    data = {key: value for key, value in data.items() if key in DRAFT_FIELDS}
    for key in ("pvt_intensity", "map_intensity", "begeleiding", "vve", "kinderopvang", "reiskosten", "lestijden",
                "duaal", "summary", "change_reason", "level", "leerroute", "route_switch_exception"):  # fmt: skip
        if key in data:
            data[key] = _text(data[key])
            if len(data[key]) > TEXT_LIMIT:
                errors.add(key, "Deze tekst is te lang. Gebruik hoogstens 10.000 tekens.")
    if "progress_talk_dates" in data:
        data["progress_talk_dates"] = _clean_dates(data["progress_talk_dates"], errors)
    if "receives_bijstand" in data:
        data["receives_bijstand"] = bool(data["receives_bijstand"])
    before = {name: _json(getattr(version, name)) for name in DRAFT_FIELDS}
    for key, value in data.items():
        setattr(version, key, value)
    if not version.receives_bijstand:
        version.bijstand_start_on = None
    new_agreements = _clean_agreements(agreements, errors) if agreements is not None else None
    kept_health: list[PipAgreement] = []
    if new_agreements is not None and not health_open(actor, client_file):
        # Without the person's consent the agreements on gezondheid are not shown to the actor, so they are not in
        # what was sent: keep them, and add none (#12 item 1).
        for index, row in enumerate(new_agreements):
            if row.leefgebied == Leefgebied.GEZONDHEID:
                errors.add(
                    f"agreements.{index}.leefgebied",
                    f"Afspraak {index + 1}: een afspraak over gezondheid kan alleen met toestemming van de persoon. "
                    "Kies een ander leefgebied.",
                )
        kept_health = list(version.agreements.filter(leefgebied=Leefgebied.GEZONDHEID).order_by("position", "id"))
    current = selectors.current_version(client_file)
    checked = check_version(client_file, version, for_submit=False, current=current)
    for field, messages in checked.errors.items():
        for message in messages:
            errors.add(field, message)
    errors.raise_if_any()
    outcome = ontzorgen_for(
        client_file, receives_bijstand=version.receives_bijstand, bijstand_start_on=version.bijstand_start_on
    )
    version.ontzorgen_applies = outcome.applies
    version.ontzorgen_start_on = outcome.start_on
    version.ontzorgen_end_on = outcome.end_on
    version.ontzorgen_items = [str(item) for item in outcome.items]
    version.save()
    changes: dict[str, Any] = {
        name: {"old": before[name], "new": _json(getattr(version, name))}
        for name in DRAFT_FIELDS
        if before[name] != _json(getattr(version, name))
    }
    if new_agreements is not None:
        old_count = version.agreements.count()
        version.agreements.all().delete()
        kept = [
            PipAgreement(**{name: getattr(row, name) for name in AGREEMENT_FIELDS}, position=position)
            for position, row in enumerate(kept_health, start=len(new_agreements) + 1)
        ]
        new_agreements = [*new_agreements, *kept]
        for row in new_agreements:
            row.version = version
        PipAgreement.objects.bulk_create(new_agreements)
        changes["agreements"] = {"old": old_count, "new": len(new_agreements)}
    _audit(actor, "pip_updated", client_file, version, via, **changes)
    return version


# ---------------------------------------------------------------------------------------------------------------
# Four eyes: submit, approve (vaststelling), reject


@transaction.atomic
def submit(*, actor: Actor, client_file: ClientFile, version: PipVersion, via: str = "ui") -> PipVersion:
    if version.status != PipStatus.CONCEPT:
        raise Conflict("Alleen een concept kan ter goedkeuring worden aangeboden.")
    check_version(client_file, version, for_submit=True, current=selectors.current_version(client_file)).raise_if_any()
    version.status = PipStatus.TER_GOEDKEURING
    version.submitted_at = timezone.now()
    version.submitted_by = actor.user
    version.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    _event(version, PipEventKind.SUBMITTED, actor)
    _audit(actor, "pip_submitted", client_file, version, via,
           status={"old": PipStatus.CONCEPT, "new": PipStatus.TER_GOEDKEURING})  # fmt: skip
    return version


def _check_approver(actor: Actor, version: PipVersion, verb: str) -> None:
    if not actor.can(Capability.APPROVE_PIP):
        raise NotFound()
    if version.status != PipStatus.TER_GOEDKEURING:
        raise Conflict(f"Dit PIP is niet ter goedkeuring aangeboden. U kunt het nu niet {verb}.")
    if actor.user.pk in (version.drafted_by_id, version.submitted_by_id):
        message = (
            f"U heeft dit PIP zelf opgesteld of aangeboden. Een andere teamleider moet het {verb} (vier ogen). "
            "Vraag een andere teamleider om dit PIP te beoordelen."
        )
        raise ApplicationError(message, field_errors={"approval": [message]})


@transaction.atomic
def reject(*, actor: Actor, client_file: ClientFile, version: PipVersion, comment: str, via: str = "ui") -> PipVersion:
    """Back to concept with the teamleider's comment (kept in the version's history)."""
    _check_approver(actor, version, "terugsturen")
    text = _text(comment)
    if not text:
        raise ApplicationError(
            "Schrijf op wat er moet veranderen.", field_errors={"comment": ["Schrijf op wat er moet veranderen."]}
        )
    if len(text) > TEXT_LIMIT:
        raise ApplicationError(
            "De opmerking is te lang.", field_errors={"comment": ["Gebruik hoogstens 10.000 tekens."]}
        )
    version.status = PipStatus.CONCEPT
    version.submitted_at = None
    version.submitted_by = None
    version.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    _event(version, PipEventKind.REJECTED, actor, comment=text)
    _audit(actor, "pip_rejected", client_file, version, via,
           status={"old": PipStatus.TER_GOEDKEURING, "new": PipStatus.CONCEPT})  # fmt: skip
    return version


@transaction.atomic
def approve(*, actor: Actor, client_file: ClientFile, version: PipVersion, via: str = "ui") -> PipVersion:
    """Vaststelling by a second person: dagtekening today, the termijn from the first dagtekening (it never
    moves), the previous version vervangen, voortgangsgesprekken planned, the file in traject and the
    beschikking as a PDF. The caller holds the file row lock (access_client_file for_write)."""
    _check_approver(actor, version, "goedkeuren")
    day = core_dates.today()
    current = (
        PipVersion.objects.select_for_update()
        .filter(client_file=client_file, status=PipStatus.VASTGESTELD)
        .exclude(pk=version.pk)
        .first()
    )
    check_version(client_file, version, for_submit=True, dagtekening_on=day, current=current).raise_if_any()
    first = client_file.pip_dagtekening_on is None
    termijn = rules.termijn(pip_dagtekening_on=client_file.pip_dagtekening_on or day)
    now = timezone.now()
    if current is not None:
        current.status = PipStatus.VERVANGEN
        current.save(update_fields=["status", "updated_at"])
        _event(current, PipEventKind.SUPERSEDED, actor, comment=f"Vervangen door versie {version.number}")
        _audit(actor, "pip_superseded", client_file, current, via,
               status={"old": PipStatus.VASTGESTELD, "new": PipStatus.VERVANGEN}, replaced_by=version.pk)  # fmt: skip
    version.status = PipStatus.VASTGESTELD
    version.approved_at = now
    version.approved_by = actor.user
    version.dagtekening_on = day
    version.termijn_start_on = termijn.termijn_start_on
    version.termijn_end_on = termijn.termijn_end_on
    version.save(
        update_fields=["status", "approved_at", "approved_by", "dagtekening_on", "termijn_start_on",
                       "termijn_end_on", "updated_at"]
    )  # fmt: skip
    _event(version, PipEventKind.APPROVED, actor, comment=f"Dagtekening {day:%d-%m-%Y}")
    _audit(actor, "pip_approved", client_file, version, via,
           status={"old": PipStatus.TER_GOEDKEURING, "new": PipStatus.VASTGESTELD},
           dagtekening_on={"old": None, "new": day},
           termijn_end_on={"old": None, "new": termijn.termijn_end_on})  # fmt: skip
    if first:
        # Through the clients service: locked row, audited as client_file_updated, next deadline recomputed.
        client_services.update_client_file(
            actor=actor, client_file=client_file, data={"pip_dagtekening_on": day}, via=via
        )
    talks = [
        ProgressTalk(client_file=client_file, version=version, planned_on=date.fromisoformat(planned), created_at=now)
        for planned in version.progress_talk_dates
    ]
    if talks:
        ProgressTalk.objects.bulk_create(talks)
        _audit(actor, "progress_talks_planned", client_file, version, via,
               planned_on=[talk.planned_on for talk in talks])  # fmt: skip
    # A vastgestelde PIP puts the file in traject; from aangemeld or intake (e.g. vroege start) through the
    # workflow's own steps, so the status history shows each one.
    # Only forward: a file already in `pip` goes straight on (the workflow also allows pip -> intake, a step back).
    forward = (FileStatus.AANGEMELD, FileStatus.INTAKE, FileStatus.PIP, FileStatus.IN_TRAJECT)
    ahead = forward[forward.index(client_file.status) + 1 :] if client_file.status in forward else ()
    for step in ahead:
        if can_transition(client_file.status, step):
            client_services.change_status(
                actor=actor, client_file=client_file, to_status=step,
                reason=f"PIP versie {version.number} vastgesteld", via=via,
            )  # fmt: skip
    letter = create_letter(
        actor=actor, client_file=client_file, kind=LetterKind.PIP_BESCHIKKING, template_name=LETTER_TEMPLATE,
        context=beschikking_context(client_file, version), subject=version, via=via,
    )  # fmt: skip
    version.beschikking_letter = letter
    version.save(update_fields=["beschikking_letter", "updated_at"])
    publish.beschikking(
        client_file, besluit="pip", subject_id=version.pk, letter=letter, datum=day,
        ingangsdatum=day, toelichting=f"Persoonlijk plan inburgering en participatie, versie "
        f"{version.number}",
    )  # fmt: skip
    client_services.refresh_file_deadline(client_file)  # the voortgangsgesprekken are now planned
    # DUO M2M (#17): the PIP is registered at DUO through the outbox, in this transaction (nothing without a link).
    enqueue_pip_registration(client_file=client_file, version=version)
    return version


def health_open(actor: Actor, client_file: ClientFile) -> bool:
    """Whether the actor may see the PIP's agreements on gezondheid: health data of the file's own person, shown
    only to a role with the gezondheid section while that person's consent stands (#12 item 1)."""
    return client_file.person_id in health_readable_persons(actor, client_file)


def beschikking_context(
    client_file: ClientFile, version: PipVersion, *, dagtekening_on: date | None = None
) -> dict[str, Any]:
    """What the beschikking says, from the version and the rules (termijn W 11, bezwaar Awb 6:7). A preview of
    a concept passes the ``dagtekening_on`` approval would give it (today)."""
    dagtekening_on = dagtekening_on or version.dagtekening_on
    if dagtekening_on is None:  # pragma: no cover - only called for a vastgestelde version or a preview
        raise ValueError("A beschikking needs a dagtekening")
    termijn = rules.termijn(pip_dagtekening_on=client_file.pip_dagtekening_on or dagtekening_on)
    groups: dict[str, list[PipAgreement]] = {}
    health_left_out = False
    for row in version.agreements.order_by("position", "id"):
        # Health data (AVG art. 9) never goes into the letter: it is stored with the file's documents and read by
        # more people than the gezondheid section allows (#12 item 1). The agreements stay in the PIP itself.
        if row.leefgebied == Leefgebied.GEZONDHEID:
            health_left_out = True
            continue
        groups.setdefault(row.get_leefgebied_display(), []).append(row)
    return {
        "title": LETTER_TITLE,
        "reference": f"PIP-{version.number}",
        "version": version,
        "first": version.number == 1,
        "leerroute_label": Leerroute(version.leerroute).label,
        "level_label": effective_level_label(client_file, version),
        "termijn": termijn,
        "bezwaar": rules.bezwaar_termijn(bekendgemaakt_on=dagtekening_on),
        "agreement_groups": sorted(groups.items()),
        "health_agreements_left_out": health_left_out,
        "ontzorgen_items": ontzorgen_labels(version.ontzorgen_items),
        "progress_dates": [date.fromisoformat(value) for value in version.progress_talk_dates],
    }


# ---------------------------------------------------------------------------------------------------------------
# After vaststelling


@transaction.atomic
def record_client_response(
    *,
    actor: Actor,
    client_file: ClientFile,
    version: PipVersion,
    agreement: str,
    comments: str = "",
    response_on: date | None = None,
    via: str = "ui",
) -> PipVersion:
    if version.status != PipStatus.VASTGESTELD:
        raise Conflict("U kunt de reactie van de persoon alleen vastleggen bij het geldende PIP.")
    errors = FieldErrors()
    if agreement not in (ClientAgreement.EENS, ClientAgreement.DEELS, ClientAgreement.ONEENS):
        errors.add("agreement", "Kies of de persoon het eens, deels eens of niet eens is met het plan.")
    if response_on is None:
        errors.add("response_on", "Vul de datum van de reactie in.")
    elif response_on > core_dates.today():
        errors.add("response_on", "De datum kan niet in de toekomst liggen.")
    elif version.dagtekening_on and response_on < version.dagtekening_on:
        errors.add("response_on", "De datum kan niet voor de dagtekening van het PIP liggen.")
    if len(_text(comments)) > TEXT_LIMIT:
        errors.add("comments", "Gebruik hoogstens 10.000 tekens.")
    errors.raise_if_any()
    old = version.client_agreement
    version.client_agreement = agreement
    version.client_comments = _text(comments)
    version.client_response_on = response_on
    version.save(update_fields=["client_agreement", "client_comments", "client_response_on", "updated_at"])
    _event(version, PipEventKind.CLIENT_RESPONSE, actor, comment=str(ClientAgreement(agreement).label))
    _audit(
        actor, "pip_client_response_recorded", client_file, version, via,
        client_agreement={"old": old, "new": agreement}, client_response_on={"old": None, "new": response_on},
    )  # fmt: skip
    return version


def clean_bezwaar(
    *, received_on: date | None, grounds: str, bekendgemaakt_on: date
) -> tuple[date, str, rules.BezwaarTermijn]:
    """Check a bezwaarschrift against any beschikking (a PIP version, a boete): received date not in the future,
    grounds written; whether it came in time is ``rules.bezwaar_termijn``'s answer (Awb 6:7-6:9)."""
    errors = FieldErrors()
    text = _text(grounds)
    if received_on is None:
        errors.add("received_on", "Vul in wanneer het bezwaar binnenkwam.")
    elif received_on > core_dates.today():
        errors.add("received_on", "De datum kan niet in de toekomst liggen.")
    if not text:
        errors.add("grounds", "Schrijf de gronden van het bezwaar op (waarom de persoon het niet eens is).")
    elif len(text) > TEXT_LIMIT:
        errors.add("grounds", "Gebruik hoogstens 10.000 tekens.")
    errors.raise_if_any()
    assert received_on is not None  # checked above
    return received_on, text, rules.bezwaar_termijn(bekendgemaakt_on=bekendgemaakt_on, received_on=received_on)


@transaction.atomic
def register_bezwaar(
    *,
    actor: Actor,
    client_file: ClientFile,
    version: PipVersion,
    received_on: date | None,
    grounds: str,
    via: str = "ui",
) -> Bezwaar:
    """A bezwaarschrift against one version; whether it came in time is the rules' answer (Awb 6:7-6:9)."""
    if version.dagtekening_on is None:
        raise Conflict("Bezwaar kan alleen tegen een vastgesteld PIP (een besluit met een dagtekening).")
    # The term runs from sending (Awb 6:8, 3:41): the letter's recorded send date, the dagtekening until then.
    bekendgemaakt = bekendgemaakt_on(version.beschikking_letter_id, fallback=version.dagtekening_on)
    received_on, text, term = clean_bezwaar(received_on=received_on, grounds=grounds, bekendgemaakt_on=bekendgemaakt)
    bezwaar = Bezwaar.objects.create(
        version=version, received_on=received_on, term_ends_on=term.term_ends_on, on_time=bool(term.on_time),
        grounds=text, registered_at=timezone.now(), registered_by=actor.user,
    )  # fmt: skip
    _audit(actor, "bezwaar_registered", client_file, bezwaar, via, version=version.pk, received_on=received_on,
           term_ends_on=term.term_ends_on, on_time=bezwaar.on_time)  # fmt: skip
    return bezwaar


@transaction.atomic
def update_bezwaar(
    *,
    actor: Actor,
    client_file: ClientFile,
    bezwaar: Bezwaar,
    status: str,
    decided_on: date | None,
    via: str = "ui",
) -> Bezwaar:
    errors = FieldErrors()
    if status not in BezwaarStatus.values:
        errors.add("status", "Kies een status uit de lijst.")
    elif status == BezwaarStatus.ONTVANGEN:
        decided_on = None
    elif decided_on is None:
        errors.add("decided_on", "Vul de datum van de beslissing in.")
    elif decided_on > core_dates.today():
        errors.add("decided_on", "De datum kan niet in de toekomst liggen.")
    elif decided_on < bezwaar.received_on:
        errors.add("decided_on", "De beslissing kan niet voor de ontvangst van het bezwaar liggen.")
    errors.raise_if_any()
    changes = {
        name: {"old": _json(getattr(bezwaar, name)), "new": _json(new)}
        for name, new in (("status", status), ("decided_on", decided_on))
        if getattr(bezwaar, name) != new
    }
    if changes:
        bezwaar.status = status
        bezwaar.decided_on = decided_on
        bezwaar.save(update_fields=["status", "decided_on"])
        _audit(actor, "bezwaar_updated", client_file, bezwaar, via, **changes)
    return bezwaar


@transaction.atomic
def record_progress_talk(
    *,
    actor: Actor,
    client_file: ClientFile,
    talk: ProgressTalk,
    held_on: date | None,
    summary: str,
    via: str = "ui",
) -> ProgressTalk:
    """A voortgangsgesprek held (W 17.1: the college keeps sight of the progress)."""
    errors = FieldErrors()
    text = _text(summary)
    if held_on is None:
        errors.add("held_on", "Vul in wanneer het gesprek was.")
    elif held_on > core_dates.today():
        errors.add("held_on", "Een gesprek in de toekomst kan nog niet gehouden zijn.")
    if not text:
        errors.add("summary", "Schrijf een kort verslag van het gesprek.")
    elif len(text) > TEXT_LIMIT:
        errors.add("summary", "Gebruik hoogstens 10.000 tekens.")
    errors.raise_if_any()
    changes = {"held_on": {"old": _json(talk.held_on), "new": _json(held_on)}}
    talk.held_on = held_on
    talk.summary = text
    talk.save(update_fields=["held_on", "summary"])
    _audit(actor, "progress_talk_recorded", client_file, talk, via, **changes)
    if held_on is not None:  # a contact moment in the gemeente's contact registry (#17, nothing without a link)
        register_contact_moment(
            client_file=client_file, kind="gesprek", key=f"gesprek:ProgressTalk:{talk.pk}",
            occurred_at=timezone.make_aware(datetime.combine(held_on, time(12))),
            onderwerp="Voortgangsgesprek gehouden",
        )  # fmt: skip
    client_services.refresh_file_deadline(client_file)  # the next voortgangsgesprek becomes the next step
    return talk
