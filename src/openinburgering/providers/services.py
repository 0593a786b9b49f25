"""Every change of the providers app: providers and contracts (contractmanager), enrolments (klantregisseur),
accept/decline, weekly reports, exam results and CSV uploads (provider). Keyword-only, atomic, audited in the same
transaction; bad input raises ApplicationError with Dutch B1 messages and writes nothing.

Concurrency: an enrolment locks its contract row (capacity is counted under the lock, so two klantregisseurs
cannot take the last place twice); a provider's reports lock the provider row (a week is written by one request at
a time); a CSV file is stored with its hash under a unique constraint (the same file twice changes nothing).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.audit.catalogue import EVENT_CODES
from openinburgering.audit.models import AuditEvent
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile
from openinburgering.clients.services import PURPOSE_CASEWORK
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.context import current_request_id
from openinburgering.core.errors import ApplicationError, Conflict

from .choices import (
    ACTIVE_STATUSES,
    MILESTONE_COMPONENTS,
    REPORTABLE_STATUSES,
    TRANSITIONS,
    Component,
    EnrolmentStatus,
    ExamLevel,
    MapTheme,
    MilestoneKind,
    PriceModel,
    ProviderKind,
    ReportingFrequency,
    ReportSource,
)
from .models import (
    EXAM_PART_CHOICES,
    Contract,
    CsvUpload,
    Enrolment,
    EnrolmentEvent,
    ExamResult,
    ModuleMilestone,
    Provider,
    WeeklyReport,
    WeeklyReportHistory,
)

PURPOSE = PURPOSE_CASEWORK
PURPOSE_CONTRACTS = "contractbeheer"
SCOPE_GEMEENTE = "gemeente"
SCOPE_REGIO = "regio"
MAX_HOURS = Decimal("168")
MAX_HOURS_PER_WEEK = Decimal("60")
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CSV_ROWS = 20_000
CSV_COLUMNS = (
    "plaatsing_id",
    "week",
    "uren_aangeboden",
    "uren_aanwezig",
    "afwezig_geoorloofd",
    "afwezig_ongeoorloofd",
    "reden",
    "notitie",
)
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
HOUR_FIELDS = ("hours_offered", "hours_attended", "hours_absent_authorised", "hours_absent_unauthorised")
REPORT_FIELDS = (*HOUR_FIELDS, "absence_reason", "note")


# ---------------------------------------------------------------------------------------------------------------
# Audit helpers


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value


def _audit(
    actor: Actor,
    event_type: str,
    *,
    subject: Any,
    via: str,
    client_file: ClientFile | None = None,
    purpose: str = PURPOSE,
    extra: dict[str, Any] | None = None,
    **changes: Any,
) -> None:
    record_event(
        actor=actor,
        event_type=event_type,
        purpose=purpose,
        client_file=client_file,
        subject=subject,
        via=via,
        gemeente=client_file.gemeente if client_file is not None else None,
        changes={key: _json(value) for key, value in changes.items()} | (extra or {}),
    )


def record_enrolment_reads(actor: Actor, enrolments: list[Enrolment], *, event_type: str, via: str) -> None:
    """One read event per enrolment shown (with its client file), written in ONE insert so a list page keeps a
    constant number of queries. The same fields as audit.services.record_event; call inside the transaction."""
    if event_type not in EVENT_CODES:
        raise ValueError(f"Unknown audit event type {event_type!r}: add it to audit/catalogue.py first.")
    now = timezone.now()
    request_id = current_request_id()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                occurred_at=now,
                actor=actor.user,
                actor_role=actor.role_code,
                gemeente_id=enrolment.client_file.gemeente_id,
                client_file_id=enrolment.client_file_id,
                event_type=event_type,
                subject_type="enrolment",
                subject_id=str(enrolment.pk),
                purpose=PURPOSE,
                changes={},
                request_id=request_id,
                via=via,
            )
            for enrolment in enrolments
        ]
    )


def record_enrolment_read(actor: Actor, enrolment: Enrolment, *, event_type: str, via: str = "ui") -> None:
    _audit(actor, event_type, subject=enrolment, via=via, client_file=enrolment.client_file)


# ---------------------------------------------------------------------------------------------------------------
# Providers and contracts (contractmanager)


def _text(value: Any, limit: int = 200) -> str:
    return str(value or "").strip()[:limit]


def _owner(actor: Actor, scope: str, errors: FieldErrors) -> dict[str, Any]:
    if scope == SCOPE_REGIO:
        return {"gemeente": None, "region_id": actor.gemeente.region_id}
    if scope == SCOPE_GEMEENTE:
        return {"gemeente_id": actor.gemeente_id, "region": None}
    errors.add("scope", "Kies of dit alleen voor uw gemeente is of voor de hele arbeidsmarktregio.")
    return {}


def _check_provider(actor: Actor, data: dict[str, Any], today: date) -> dict[str, Any]:
    errors = FieldErrors()
    name = _text(data.get("name"))
    if not name:
        errors.add("name", "Vul de naam van de aanbieder in.")
    kinds = [str(kind) for kind in data.get("kinds") or []]
    if not kinds:
        errors.add("kinds", "Kies minstens 1 soort aanbieder.")
    elif any(kind not in ProviderKind.values for kind in kinds):
        errors.add("kinds", "Deze soort aanbieder kennen we niet.")
    keurmerk = bool(data.get("keurmerk"))
    expires_on: date | None = data.get("keurmerk_expires_on")
    if keurmerk and expires_on is None:
        errors.add("keurmerk_expires_on", "Vul in tot wanneer het keurmerk geldig is.")
    elif keurmerk and expires_on is not None and expires_on < today:
        errors.add(
            "keurmerk_expires_on",
            "Het keurmerk is verlopen. Vul de nieuwe einddatum in, of zet het keurmerk op nee.",
        )
    kvk = _text(data.get("kvk_number"), 20).replace(" ", "")
    if kvk and not re.fullmatch(r"\d{8}", kvk):
        errors.add("kvk_number", "Een KvK-nummer heeft 8 cijfers.")
    owner = _owner(actor, str(data.get("scope") or ""), errors)
    errors.raise_if_any()
    return {
        "name": name,
        "kinds": sorted(set(kinds)),
        "keurmerk": keurmerk,
        "keurmerk_expires_on": expires_on if keurmerk else None,
        "kvk_number": kvk,
        "contact_name": _text(data.get("contact_name")),
        "contact_email": _text(data.get("contact_email"), 254),
        "contact_phone": _text(data.get("contact_phone"), 30),
        **owner,
    }


@transaction.atomic
def save_provider(*, actor: Actor, data: dict[str, Any], provider: Provider | None = None, via: str = "ui") -> Provider:
    """Creates a provider, or changes one (the caller reached it with access_provider(..., for_write=True))."""
    cleaned = _check_provider(actor, data, core_dates.today())
    if provider is None:
        provider = Provider.objects.create(**cleaned)
        _audit(actor, "provider_created", subject=provider, via=via, purpose=PURPOSE_CONTRACTS, name=provider.name)
        return provider
    if not cleaned.get("region_id") and provider.region_id and provider.contracts.filter(region__isnull=False).exists():
        raise ApplicationError(
            "Deze aanbieder heeft een contract voor de regio. Hij blijft daarom gedeeld in de regio.",
            field_errors={"scope": ["De aanbieder heeft een contract voor de regio. Kies de regio."]},
        )
    changed = {
        key: {"old": _json(getattr(provider, key)), "new": _json(value)}
        for key, value in cleaned.items()
        if getattr(provider, key) != value
    }
    for key, value in cleaned.items():
        setattr(provider, key, value)
    provider.save()
    _audit(actor, "provider_updated", subject=provider, via=via, purpose=PURPOSE_CONTRACTS, extra=changed)
    return provider


def _amount(data: dict[str, Any], name: str, errors: FieldErrors) -> Decimal | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        errors.add(name, "Vul een bedrag in, bijvoorbeeld 12,50.")
        return None
    if not amount.is_finite() or amount < 0:
        errors.add(name, "Een bedrag kan niet negatief zijn.")
        return None
    if amount > Decimal("99999999.99"):
        errors.add(name, "Dit bedrag is te hoog.")
        return None
    return amount.quantize(Decimal("0.01"))


PRICE_FIELDS = {
    PriceModel.PER_ROUTE: ("price_per_route",),
    PriceModel.PER_HOUR: ("price_per_hour",),
    PriceModel.PER_RESULT: ("price_per_result",),
}
PRICE_LABELS = {
    "price_per_route": "prijs per route",
    "price_per_hour": "prijs per uur",
    "price_per_result": "prijs per resultaat",
}


def _check_contract(actor: Actor, provider: Provider, data: dict[str, Any]) -> dict[str, Any]:
    errors = FieldErrors()
    name = _text(data.get("name"))
    if not name:
        errors.add("name", "Vul een naam of kenmerk van het contract in.")
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on is None:
        errors.add("starts_on", "Vul de begindatum in.")
    if ends_on is None:
        errors.add("ends_on", "Vul de einddatum in.")
    if starts_on and ends_on and ends_on < starts_on:
        errors.add("ends_on", "De einddatum moet na de begindatum liggen.")
    price_model = str(data.get("price_model") or "")
    amounts = {name: _amount(data, name, errors) for name in PRICE_LABELS}
    if price_model not in PriceModel.values:
        errors.add("price_model", "Kies een prijsmodel.")
    elif price_model == PriceModel.MIXED:
        if sum(1 for value in amounts.values() if value is not None) < 2:
            errors.add("price_model", "Bij een gemengd prijsmodel vult u minstens 2 bedragen in.")
    else:
        for needed in PRICE_FIELDS[PriceModel(price_model)]:
            if amounts[needed] is None and needed not in errors.errors:
                errors.add(needed, f"Vul de {PRICE_LABELS[needed]} in. Die hoort bij dit prijsmodel.")
    capacity = data.get("capacity")
    if capacity is None or int(capacity) < 1:
        errors.add("capacity", "Vul het aantal plaatsen in (minstens 1).")
    components = [str(value) for value in data.get("components") or []]
    if not components:
        errors.add("components", "Kies minstens 1 onderdeel dat het contract dekt.")
    elif any(value not in Component.values for value in components):
        errors.add("components", "Dit onderdeel kennen we niet.")
    if str(data.get("reporting_frequency") or "") not in ReportingFrequency.values:
        errors.add("reporting_frequency", "Kies hoe vaak de aanbieder rapporteert.")
    owner = _owner(actor, str(data.get("scope") or ""), errors)
    if owner.get("region_id") and provider.region_id != owner["region_id"]:
        errors.add(
            "scope",
            "Een contract voor de regio kan alleen met een aanbieder die in de regio gedeeld is.",
        )
    errors.raise_if_any()
    return {
        "name": name,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "price_model": price_model,
        **amounts,
        "capacity": int(capacity or 0),
        "components": sorted(set(components)),
        "reporting_frequency": str(data["reporting_frequency"]),
        **owner,
    }


@transaction.atomic
def save_contract(
    *, actor: Actor, provider: Provider, data: dict[str, Any], contract: Contract | None = None, via: str = "ui"
) -> Contract:
    """Creates a contract for a provider, or changes one (locked by access_contract(..., for_write=True))."""
    cleaned = _check_contract(actor, provider, data)
    if contract is None:
        contract = Contract.objects.create(provider=provider, **cleaned)
        _audit(actor, "contract_created", subject=contract, via=via, purpose=PURPOSE_CONTRACTS, name=contract.name)
        return contract
    taken = contract.enrolments.filter(status__in=ACTIVE_STATUSES).count()
    if cleaned["capacity"] < taken:
        raise ApplicationError(
            "Er zijn meer lopende plaatsingen dan plaatsen.",
            field_errors={"capacity": [f"Er zijn nu {taken} lopende plaatsingen. Kies minstens {taken} plaatsen."]},
        )
    changed = {
        key: {"old": _json(getattr(contract, key)), "new": _json(value)}
        for key, value in cleaned.items()
        if getattr(contract, key) != value
    }
    for key, value in cleaned.items():
        setattr(contract, key, value)
    contract.save()
    _audit(actor, "contract_updated", subject=contract, via=via, purpose=PURPOSE_CONTRACTS, extra=changed)
    return contract


# ---------------------------------------------------------------------------------------------------------------
# Enrolments (klantregisseur) and their status (provider accepts or declines)


def contract_covers_file(contract: Contract, client_file: ClientFile) -> bool:
    return contract.gemeente_id == client_file.gemeente_id or (
        contract.region_id is not None and contract.region_id == client_file.gemeente.region_id
    )


def _event(enrolment: Enrolment, actor: Actor, from_status: str, to_status: str, reason: str, via: str) -> None:
    EnrolmentEvent.objects.create(
        enrolment=enrolment,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        occurred_at=timezone.now(),
        actor=actor.user,
        via=via,
    )


def _hours(value: Any, name: str, errors: FieldErrors, *, maximum: Decimal = MAX_HOURS) -> Decimal | None:
    if value is None or value == "":
        errors.add(name, "Vul het aantal uren in.")
        return None
    try:
        hours = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        errors.add(name, "Vul een getal in, bijvoorbeeld 4 of 2,5.")
        return None
    if not hours.is_finite():
        errors.add(name, "Vul een getal in, bijvoorbeeld 4 of 2,5.")
        return None
    if hours < 0:
        errors.add(name, "Het aantal uren kan niet negatief zijn.")
        return None
    if hours > maximum:
        errors.add(name, f"Dat zijn te veel uren. Het kan hoogstens {maximum} zijn.")
        return None
    if hours != hours.quantize(Decimal("0.1")):
        errors.add(name, "Gebruik hoogstens 1 cijfer achter de komma.")
        return None
    return hours.quantize(Decimal("0.1"))


@transaction.atomic
def create_enrolment(*, actor: Actor, client_file: ClientFile, data: dict[str, Any], via: str = "ui") -> Enrolment:
    """Places the person with a provider under a contract. The caller locked the file
    (access_client_file(..., for_write=True)); the contract row is locked here, so its capacity holds."""
    errors = FieldErrors()
    component = str(data.get("component") or "")
    if component not in Component.values:
        errors.add("component", "Kies een onderdeel.")
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("provider")
        .filter(pk=data.get("contract_id") or 0)
        .first()
    )
    if contract is None or not contract_covers_file(contract, client_file):
        errors.add("contract", "Kies een contract van uw gemeente of uw arbeidsmarktregio.")
        contract = None
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on is None:
        errors.add("starts_on", "Vul de startdatum in.")
    if ends_on is None:
        errors.add("ends_on", "Vul de einddatum in.")
    if starts_on and ends_on and ends_on < starts_on:
        errors.add("ends_on", "De einddatum moet na de startdatum liggen.")
    hours = _hours(data.get("hours_per_week"), "hours_per_week", errors, maximum=MAX_HOURS_PER_WEEK)
    if hours is not None and hours <= 0:
        errors.add("hours_per_week", "Vul in hoeveel uren per week de persoon meedoet (meer dan 0).")
    if contract is not None:
        if component and component not in contract.components:
            errors.add("contract", "Dit contract dekt dit onderdeel niet. Kies een ander contract of onderdeel.")
        if starts_on and not (contract.starts_on <= starts_on <= contract.ends_on):
            errors.add(
                "starts_on",
                f"Het contract loopt van {contract.starts_on:%d-%m-%Y} tot en met {contract.ends_on:%d-%m-%Y}. "
                "Kies een startdatum in die periode.",
            )
        if ends_on and ends_on > contract.ends_on:
            errors.add(
                "ends_on", f"Het contract loopt tot en met {contract.ends_on:%d-%m-%Y}. Kies een eerdere einddatum."
            )
    errors.raise_if_any()
    assert contract is not None
    assert starts_on is not None
    assert ends_on is not None
    assert hours is not None
    if Enrolment.objects.filter(client_file=client_file, component=component, status__in=ACTIVE_STATUSES).exists():
        raise Conflict(
            "Deze persoon heeft al een lopende plaatsing voor dit onderdeel.",
            field_errors={"component": ["Er is al een lopende plaatsing voor dit onderdeel."]},
        )
    taken = Enrolment.objects.filter(contract=contract, status__in=ACTIVE_STATUSES).count()
    if taken >= contract.capacity:
        raise Conflict(
            "Het contract is vol.",
            field_errors={
                "contract": [f"Alle {contract.capacity} plaatsen van dit contract zijn bezet. Kies een ander contract."]
            },
        )
    enrolment = Enrolment.objects.create(
        client_file=client_file,
        provider=contract.provider,
        contract=contract,
        component=component,
        starts_on=starts_on,
        ends_on=ends_on,
        hours_per_week=hours,
        created_at=timezone.now(),
        created_by=actor.user,
    )
    _event(enrolment, actor, "", EnrolmentStatus.VOORGESTELD, "", via)
    _audit(
        actor,
        "enrolment_created",
        subject=enrolment,
        via=via,
        client_file=client_file,
        provider=contract.provider.name,
        contract=contract.pk,
        component=component,
        starts_on=starts_on,
        ends_on=ends_on,
        hours_per_week=hours,
    )
    return enrolment


NEEDS_REASON = (EnrolmentStatus.GEWEIGERD, EnrolmentStatus.GESTOPT)


@transaction.atomic
def change_status(
    *, actor: Actor, enrolment: Enrolment, to_status: str, reason: str = "", via: str = "ui"
) -> Enrolment:
    """voorgesteld → geaccepteerd / geweigerd (reason) / gestopt; geaccepteerd → gestopt (reason) / afgerond.
    The caller locked the enrolment; every change is an EnrolmentEvent and an audit event."""
    reason = _text(reason, 2000)
    if to_status not in TRANSITIONS.get(enrolment.status, ()):
        raise Conflict(
            f"Een plaatsing met status {enrolment.get_status_display().lower()} kan niet meer naar "
            f"{EnrolmentStatus(to_status).label.lower() if to_status in EnrolmentStatus.values else to_status}."
        )
    if to_status in NEEDS_REASON and not reason:
        raise ApplicationError("Vul een reden in.", field_errors={"reason": ["Vul een reden in."]})
    from_status = enrolment.status
    enrolment.status = to_status
    enrolment.status_reason = reason
    enrolment.save(update_fields=["status", "status_reason", "updated_at"])
    _event(enrolment, actor, from_status, to_status, reason, via)
    _audit(
        actor,
        "enrolment_status_changed",
        subject=enrolment,
        via=via,
        client_file=enrolment.client_file,
        status={"old": from_status, "new": to_status},
    )
    return enrolment


def accept(*, actor: Actor, enrolment: Enrolment, via: str = "ui") -> Enrolment:
    return change_status(actor=actor, enrolment=enrolment, to_status=EnrolmentStatus.GEACCEPTEERD, via=via)


def decline(*, actor: Actor, enrolment: Enrolment, reason: str, via: str = "ui") -> Enrolment:
    return change_status(actor=actor, enrolment=enrolment, to_status=EnrolmentStatus.GEWEIGERD, reason=reason, via=via)


# ---------------------------------------------------------------------------------------------------------------
# Weekly reports


def parse_week(value: Any) -> date | None:
    """The Monday of an ISO week written as 2026-W47, or None when it is not one."""
    match = WEEK_RE.fullmatch(str(value or "").strip())
    if match is None:
        return None
    try:
        return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        return None


def _normalise_week(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def check_report(enrolment: Enrolment, data: dict[str, Any], today: date) -> dict[str, Any]:
    """Validates one weekly report (form, API or CSV row) and returns it cleaned; raises ApplicationError."""
    errors = FieldErrors()
    monday = parse_week(data.get("week"))
    if monday is None:
        errors.add("week", "Schrijf de week als jaar-W-weeknummer, bijvoorbeeld 2026-W47.")
    elif monday > today:
        errors.add("week", "Deze week is nog niet begonnen. U kunt alleen over een week melden die al begonnen is.")
    elif monday + timedelta(days=6) < enrolment.starts_on:
        errors.add("week", "Deze week ligt voor de start van de plaatsing.")
    hours = {name: _hours(data.get(name), name, errors) for name in HOUR_FIELDS}
    if all(value is not None for value in hours.values()):
        offered = hours["hours_offered"]
        used = sum((hours[name] or Decimal(0) for name in HOUR_FIELDS[1:]), Decimal(0))
        if offered is not None and used > offered:
            errors.add(
                "hours_attended",
                "Aanwezig en afwezig samen zijn meer dan de aangeboden uren. Controleer de uren.",
            )
    reason = _text(data.get("absence_reason"), 500)
    if (hours.get("hours_absent_unauthorised") or 0) > 0 and not reason:
        errors.add("absence_reason", "Vul de reden in van de afwezigheid zonder geldige reden.")
    if enrolment.status not in REPORTABLE_STATUSES:
        errors.add("enrolment", "Voor deze plaatsing kunt u (nog) geen uren melden. Accepteer de plaatsing eerst.")
    errors.raise_if_any()
    assert monday is not None
    return {
        "week": _normalise_week(monday),
        "week_starts_on": monday,
        **hours,
        "absence_reason": reason,
        "note": _text(data.get("note"), 2000),
    }


def row_hash(enrolment_id: int, cleaned: dict[str, Any]) -> str:
    parts = [
        str(enrolment_id),
        cleaned["week"],
        *(f"{cleaned[name]:.1f}" for name in HOUR_FIELDS),
        cleaned["absence_reason"],
        cleaned["note"],
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


CREATED, REPLACED, UNCHANGED = "created", "replaced", "unchanged"


def _next_report(
    *,
    actor: Actor,
    enrolment: Enrolment,
    cleaned: dict[str, Any],
    source: str,
    existing: WeeklyReport | None,
    upload: CsvUpload | None,
    now: Any,
) -> tuple[WeeklyReport, str, WeeklyReportHistory | None]:
    """The week's report after these values, nothing saved: unchanged (same hash), replaced (the old values in a
    history row, the report updated in memory) or created (a new, unsaved report)."""
    digest = row_hash(enrolment.pk, cleaned)
    if existing is not None and existing.row_hash == digest:
        return existing, UNCHANGED, None
    if existing is not None:
        history = WeeklyReportHistory(
            report=existing,
            **{name: getattr(existing, name) for name in REPORT_FIELDS},
            row_hash=existing.row_hash,
            source=existing.source,
            reported_at=existing.reported_at,
            reported_by_id=existing.reported_by_id,
            replaced_at=now,
        )
        for name in REPORT_FIELDS:
            setattr(existing, name, cleaned[name])
        existing.row_hash, existing.source, existing.upload = digest, source, upload
        existing.reported_at, existing.reported_by = now, actor.user
        return existing, REPLACED, history
    report = WeeklyReport(
        enrolment=enrolment, row_hash=digest, source=source, upload=upload, reported_at=now, reported_by=actor.user,
        **cleaned,
    )  # fmt: skip
    return report, CREATED, None


def _write_report(
    *,
    actor: Actor,
    enrolment: Enrolment,
    cleaned: dict[str, Any],
    source: str,
    via: str,
    existing: WeeklyReport | None,
    upload: CsvUpload | None = None,
    audit: bool = True,
) -> tuple[WeeklyReport, str]:
    report, outcome, history = _next_report(
        actor=actor, enrolment=enrolment, cleaned=cleaned, source=source, existing=existing, upload=upload,
        now=timezone.now(),
    )  # fmt: skip
    if history is not None:
        history.save()
        report.save()
    elif outcome == CREATED:
        report.save()
    if audit:
        _audit(
            actor,
            "weekly_report_saved",
            subject=report,
            via=via,
            client_file=enrolment.client_file,
            week=report.week,
            outcome=outcome,
            **{name: cleaned[name] for name in HOUR_FIELDS},
        )
    return report, outcome


REPLACED_FIELDS = (*REPORT_FIELDS, "row_hash", "source", "upload", "reported_at", "reported_by")


def _update_reports(reports: list[WeeklyReport]) -> None:
    """One UPDATE per report, sent together (psycopg pipelines executemany). Django's bulk_update builds a CASE
    per field and row, which took 30 s for 10,000 rows in the bench; this takes well under one."""
    if not reports:
        return
    fields = [field for field in WeeklyReport._meta.concrete_fields if field.name in REPLACED_FIELDS]
    assert len(fields) == len(REPLACED_FIELDS)  # every name is a concrete field of the model
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in fields)
    # Names from the model's metadata, every value a parameter.
    sql = f"UPDATE {quote(WeeklyReport._meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608 -- see above
    params = [
        [field.get_db_prep_save(getattr(report, field.attname), connection) for field in fields] + [report.pk]
        for report in reports
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _lock_provider(provider: Provider) -> None:
    Provider.objects.select_for_update().filter(pk=provider.pk).first()


@transaction.atomic
def save_weekly_report(
    *, actor: Actor, enrolment: Enrolment, data: dict[str, Any], source: str = ReportSource.FORM, via: str = "ui"
) -> tuple[WeeklyReport, str]:
    """Creates the report of a week, or replaces it when the values differ (old values go to the history).
    Returns the report and "created", "replaced" or "unchanged"."""
    cleaned = check_report(enrolment, data, core_dates.today())
    _lock_provider(enrolment.provider)
    existing = WeeklyReport.objects.filter(enrolment=enrolment, week=cleaned["week"]).first()
    return _write_report(actor=actor, enrolment=enrolment, cleaned=cleaned, source=source, via=via, existing=existing)


# ---------------------------------------------------------------------------------------------------------------
# Exam results


@transaction.atomic
def record_exam_result(*, actor: Actor, enrolment: Enrolment, data: dict[str, Any], via: str = "ui") -> ExamResult:
    errors = FieldErrors()
    part = str(data.get("part") or "")
    if part not in dict(EXAM_PART_CHOICES):
        errors.add("part", "Kies het onderdeel van het examen.")
    level = str(data.get("level") or "")
    if level not in ExamLevel.values:
        errors.add("level", "Kies het niveau: A2 of B1.")
    exam_on: date | None = data.get("exam_on")
    if exam_on is None:
        errors.add("exam_on", "Vul de datum van het examen in.")
    elif exam_on > core_dates.today():
        errors.add("exam_on", "De datum van het examen ligt in de toekomst. Meld een uitslag pas na het examen.")
    passed = data.get("passed")
    if passed is None:
        errors.add("passed", "Kies of het examen gehaald is.")
    if enrolment.status not in REPORTABLE_STATUSES:
        errors.add("enrolment", "Voor deze plaatsing kunt u (nog) geen uitslag melden. Accepteer de plaatsing eerst.")
    errors.raise_if_any()
    assert exam_on is not None
    result = ExamResult.objects.create(
        enrolment=enrolment,
        part=part,
        level=level,
        exam_on=exam_on,
        passed=bool(passed),
        recorded_at=timezone.now(),
        recorded_by=actor.user,
        via=via,
    )
    _audit(
        actor,
        "exam_result_recorded",
        subject=result,
        via=via,
        client_file=enrolment.client_file,
        part=part,
        level=level,
        exam_on=exam_on,
        passed=bool(passed),
    )
    return result


# ---------------------------------------------------------------------------------------------------------------
# Module milestones: progress report, PVT signed, MAP theme, MAP ready for the eindgesprek

MILESTONE_NOTE_LIMIT = 2_000


@transaction.atomic
def record_milestone(*, actor: Actor, enrolment: Enrolment, data: dict[str, Any], via: str = "ui") -> ModuleMilestone:
    """A provider's report about the module (insert-only). A progress report needs its text; a PVT signing, a MAP
    theme and MAP-ready are reported once per enrolment and only for a PVT or MAP placement."""
    errors = FieldErrors()
    kind = str(data.get("kind") or "")
    theme = str(data.get("theme") or "")
    note = str(data.get("note") or "").strip()
    happened_on: date | None = data.get("happened_on")
    if kind not in MilestoneKind.values:
        errors.add("kind", "Kies wat u meldt.")
    elif enrolment.component not in MILESTONE_COMPONENTS[kind]:
        errors.add(
            "kind",
            f"'{MilestoneKind(kind).label}' kunt u niet melden voor een plaatsing voor "
            f"'{enrolment.get_component_display()}'.",
        )
    if kind == MilestoneKind.MAP_THEMA and theme not in MapTheme.values:
        errors.add("theme", "Kies het MAP-thema dat de persoon heeft afgerond.")
    if kind != MilestoneKind.MAP_THEMA:
        theme = ""
    if kind == MilestoneKind.VOORTGANGSVERSLAG and not note:
        errors.add("note", "Schrijf het voortgangsverslag.")
    if len(note) > MILESTONE_NOTE_LIMIT:
        errors.add("note", "Gebruik maximaal 2.000 tekens.")
    if happened_on is None:
        errors.add("happened_on", "Vul de datum in.")
    elif happened_on > core_dates.today():
        errors.add("happened_on", "De datum ligt in de toekomst. Meld het pas als het gebeurd is.")
    if enrolment.status not in REPORTABLE_STATUSES:
        errors.add("enrolment", "Voor deze plaatsing kunt u (nog) niets melden. Accepteer de plaatsing eerst.")
    errors.raise_if_any()
    assert happened_on is not None
    if kind != MilestoneKind.VOORTGANGSVERSLAG:
        earlier = ModuleMilestone.objects.filter(enrolment=enrolment, kind=kind, theme=theme).first()
        if earlier is not None:
            raise ApplicationError(
                "Dit is al gemeld.",
                field_errors={"kind": [f"Dit is al gemeld op {earlier.happened_on:%d-%m-%Y}. Het hoeft niet opnieuw."]},
            )
    milestone = ModuleMilestone.objects.create(
        enrolment=enrolment, kind=kind, theme=theme, happened_on=happened_on, note=note,
        recorded_at=timezone.now(), recorded_by=actor.user, via=via,
    )  # fmt: skip
    _audit(
        actor, "module_milestone_recorded", subject=milestone, via=via, client_file=enrolment.client_file,
        kind=kind, theme=theme, happened_on=happened_on,
    )  # fmt: skip
    return milestone


# ---------------------------------------------------------------------------------------------------------------
# CSV upload


@dataclass
class CsvResult:
    upload: CsvUpload
    duplicate: bool = False
    errors: list[dict[str, Any]] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(
            "Het bestand is geen UTF-8-tekst. Sla het op als CSV (UTF-8) en probeer het opnieuw.",
            field_errors={"file": ["Het bestand is geen UTF-8-tekst. Sla het op als CSV (UTF-8)."]},
        ) from None


def _file_error(message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={"file": [message]})


ROW_FIELD_NAMES = {
    "uren_aangeboden": "hours_offered",
    "uren_aanwezig": "hours_attended",
    "afwezig_geoorloofd": "hours_absent_authorised",
    "afwezig_ongeoorloofd": "hours_absent_unauthorised",
    "reden": "absence_reason",
    "notitie": "note",
    "week": "week",
}


def _parse_csv(raw: bytes) -> list[tuple[int, dict[str, str]]]:
    if len(raw) > MAX_CSV_BYTES:
        raise _file_error(f"Het bestand is te groot. Het mag hoogstens {MAX_CSV_BYTES // (1024 * 1024)} MB zijn.")
    text = _decode(raw)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise _file_error("Het bestand is leeg. De eerste regel moet de kolomnamen hebben.")
    delimiter = ";" if ";" in lines[0] else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [column.strip().lower() for column in next(reader)]
    if tuple(header) != CSV_COLUMNS:
        raise _file_error("De kolommen kloppen niet. De eerste regel moet zijn: " + ";".join(CSV_COLUMNS) + ".")
    rows: list[tuple[int, dict[str, str]]] = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= MAX_CSV_ROWS:
            raise _file_error(f"Het bestand heeft te veel regels. Het mag hoogstens {MAX_CSV_ROWS} regels hebben.")
        rows.append(
            (
                reader.line_num,
                dict(zip(CSV_COLUMNS, [value.strip() for value in values], strict=False))
                | {"_columns": str(len(values))},
            )
        )
    return rows


def _first_error(error: ApplicationError) -> str:
    messages = [message for messages in error.field_errors.values() for message in messages]
    return " ".join(messages) if messages else error.message


@transaction.atomic
def import_csv(*, actor: Actor, provider: Provider, raw: bytes, filename: str = "", via: str = "ui") -> CsvResult:
    """Reads a CSV of weekly reports. Good rows are kept, bad rows are reported with their line number and a Dutch
    reason. The same file again (same hash) changes nothing; an unchanged row changes nothing either; a changed
    row for the same week keeps the old values in the history."""
    file_hash = hashlib.sha256(raw).hexdigest()
    rows = _parse_csv(raw)
    _lock_provider(provider)
    previous = CsvUpload.objects.filter(provider=provider, file_hash=file_hash).first()
    if previous is not None:
        return CsvResult(upload=previous, duplicate=True, errors=list(previous.errors))
    upload = CsvUpload.objects.create(
        provider=provider,
        file_hash=file_hash,
        filename=_text(filename),
        uploaded_at=timezone.now(),
        uploaded_by=actor.user,
        via=via,
        rows_total=len(rows),
    )
    ids = {int(row["plaatsing_id"]) for _, row in rows if row.get("plaatsing_id", "").isdigit()}
    enrolments = {
        e.pk: e for e in Enrolment.objects.select_related("client_file").filter(provider=provider, pk__in=ids)
    }
    today = core_dates.today()
    now = timezone.now()
    errors: list[dict[str, Any]] = []
    counts = {CREATED: 0, REPLACED: 0, UNCHANGED: 0}
    changed: list[tuple[Enrolment, WeeklyReport, str]] = []
    seen: dict[tuple[int, str], int] = {}
    good: list[tuple[Enrolment, dict[str, Any]]] = []
    new_reports: list[WeeklyReport] = []
    histories: list[WeeklyReportHistory] = []
    # 1. Every row checked on its own (the line and a Dutch reason for each bad one).
    for line, row in rows:
        enrolment_id = row.get("plaatsing_id", "")
        enrolment = enrolments.get(int(enrolment_id)) if enrolment_id.isdigit() else None
        if enrolment is None:
            errors.append({"line": line, "message": f"regel {line}: plaatsing onbekend"})
            continue
        if row["_columns"] != str(len(CSV_COLUMNS)):
            errors.append({"line": line, "message": f"regel {line}: deze regel heeft niet {len(CSV_COLUMNS)} kolommen"})
            continue
        try:
            cleaned = check_report(
                enrolment, {ROW_FIELD_NAMES[k]: v for k, v in row.items() if k in ROW_FIELD_NAMES}, today
            )
        except ApplicationError as error:
            errors.append({"line": line, "message": f"regel {line}: {_first_error(error)}"})
            continue
        key = (enrolment.pk, cleaned["week"])
        if key in seen:
            errors.append({"line": line, "message": (
                f"regel {line}: plaatsing {enrolment.pk} week {cleaned['week']} staat ook op regel {seen[key]}; "
                "geef één regel per plaatsing en week"
            )})  # fmt: skip
            continue
        seen[key] = line
        good.append((enrolment, cleaned))
    # 2. The reports of the weeks in the file, locked; then created, replaced (history kept) or left unchanged.
    existing = {
        (r.enrolment_id, r.week): r
        for r in WeeklyReport.objects.select_for_update().filter(
            enrolment_id__in=list(enrolments), week__in={cleaned["week"] for _, cleaned in good}
        )
    }
    for enrolment, cleaned in good:
        report, outcome, history = _next_report(
            actor=actor, enrolment=enrolment, cleaned=cleaned, source=ReportSource.CSV,
            existing=existing.get((enrolment.pk, cleaned["week"])), upload=upload, now=now,
        )  # fmt: skip
        counts[outcome] += 1
        if outcome == CREATED:
            new_reports.append(report)
        elif history is not None:
            histories.append(history)
        if outcome != UNCHANGED:
            changed.append((enrolment, report, outcome))
    # In bulk: a few statements for the whole file instead of one or two per row (bench: 10,000 rows).
    WeeklyReport.objects.bulk_create(new_reports, batch_size=1000)
    WeeklyReportHistory.objects.bulk_create(histories, batch_size=1000)
    _update_reports([history.report for history in histories])
    upload.rows_created, upload.rows_replaced = counts[CREATED], counts[REPLACED]
    upload.rows_unchanged, upload.rows_failed, upload.errors = counts[UNCHANGED], len(errors), errors
    upload.save()
    now = timezone.now()
    request_id = current_request_id()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                occurred_at=now,
                actor=actor.user,
                actor_role=actor.role_code,
                gemeente_id=enrolment.client_file.gemeente_id,
                client_file_id=enrolment.client_file_id,
                event_type="weekly_report_saved",
                subject_type="weeklyreport",
                subject_id=str(report.pk),
                purpose=PURPOSE,
                changes={"week": report.week, "outcome": outcome, "upload": upload.pk},
                request_id=request_id,
                via=via,
            )
            for enrolment, report, outcome in changed
        ]
    )
    _audit(
        actor,
        "provider_csv_uploaded",
        subject=upload,
        via=via,
        rows_total=upload.rows_total,
        rows_created=upload.rows_created,
        rows_replaced=upload.rows_replaced,
        rows_unchanged=upload.rows_unchanged,
        rows_failed=upload.rows_failed,
    )
    return CsvResult(upload=upload, errors=errors)
