"""Draft and edit a PIP version, with the checks of a version (``rules.pip_validation``, ``rules.route_switch``,
W 8 lid 3 and the procedure's own checks). Keyword-only, atomic, audited in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.clients.deadlines import termijn_of
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import Conflict, NotFound
from openinburgering.intakes.choices import Leefgebied, Leerroute

from .. import selectors
from ..choices import OPEN_PIP_STATUSES, PipEventKind, PipStatus, Responsible
from ..models import PipAgreement, PipLevel, PipVersion
from .common import (
    AGREEMENT_FIELDS,
    COPIED_FIELDS,
    DRAFT_FIELDS,
    MAX_AGREEMENTS,
    MAX_PROGRESS_TALKS,
    PIP_ERROR_MESSAGES,
    SWITCH_EXCEPTION_LABELS,
    TEXT_LIMIT,
    _audit,
    _event,
    _json,
    _level,
    _text,
    health_open,
    ontzorgen_for,
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
