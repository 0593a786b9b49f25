"""Weekly reports of hours and absence (form, API and the rows of a CSV upload)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.interop.duo_uren import report_hours

from ..choices import REPORTABLE_STATUSES, ReportSource
from ..models import CsvUpload, Enrolment, WeeklyReport, WeeklyReportHistory
from ._common import MAX_HOURS, _audit, _hours, _lock_provider, _text

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
HOUR_FIELDS = ("hours_offered", "hours_attended", "hours_absent_authorised", "hours_absent_unauthorised")
REPORT_FIELDS = (*HOUR_FIELDS, "absence_reason", "note")


@dataclass(frozen=True)
class UploadRule:
    """One rule a report (or a CSV file) must meet: ``text`` states it on the upload page (Dutch, B1), ``message``
    is the error when it is broken (empty when the check gives a more precise one). The checks below take their
    messages from these rules, and the upload page lists them, so the page and the checks cannot drift (#11)."""

    code: str
    text: str
    message: str = ""
    per_row: bool = True


REPORT_RULES = (
    UploadRule("week", "De week schrijft u als jaar-W-weeknummer, bijvoorbeeld 2026-W47.",
               "Schrijf de week als jaar-W-weeknummer, bijvoorbeeld 2026-W47."),
    UploadRule("week_started", "De week is al begonnen. U meldt niet vooruit.",
               "Deze week is nog niet begonnen. U kunt alleen over een week melden die al begonnen is."),
    UploadRule("week_in_placement", "De week ligt niet voor de start van de plaatsing.",
               "Deze week ligt voor de start van de plaatsing."),
    UploadRule("hours", f"De 4 kolommen met uren zijn ingevuld met een getal van 0 tot en met {MAX_HOURS}, met "
               "hoogstens 1 cijfer achter de komma, bijvoorbeeld 4 of 2,5."),
    UploadRule("hours_total", "Aanwezig, afwezig met geldige reden en afwezig zonder geldige reden zijn samen niet "
               "meer dan de aangeboden uren.",
               "Aanwezig en afwezig samen zijn meer dan de aangeboden uren. Controleer de uren."),
    UploadRule("reason", "Bij afwezig_ongeoorloofd meer dan 0 is de reden verplicht.",
               "Vul de reden in van de afwezigheid zonder geldige reden."),
    UploadRule("accepted", "De plaatsing is geaccepteerd. Voor een voorgestelde of geweigerde plaatsing meldt u "
               "geen uren.",
               "Voor deze plaatsing kunt u (nog) geen uren melden. Accepteer de plaatsing eerst."),
)  # fmt: skip
_RULE = {rule.code: rule for rule in REPORT_RULES}


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
    """Validates one weekly report (form, API or CSV row) against REPORT_RULES and returns it cleaned; raises
    ApplicationError. A new check here needs its rule in REPORT_RULES (the upload page lists them)."""
    errors = FieldErrors()
    monday = parse_week(data.get("week"))
    if monday is None:
        errors.add("week", _RULE["week"].message)
    elif monday > today:
        errors.add("week", _RULE["week_started"].message)
    elif monday + timedelta(days=6) < enrolment.starts_on:
        errors.add("week", _RULE["week_in_placement"].message)
    hours = {name: _hours(data.get(name), name, errors) for name in HOUR_FIELDS}  # rule "hours"
    if all(value is not None for value in hours.values()):
        offered = hours["hours_offered"]
        used = sum((hours[name] or Decimal(0) for name in HOUR_FIELDS[1:]), Decimal(0))
        if offered is not None and used > offered:
            errors.add("hours_attended", _RULE["hours_total"].message)
    reason = _text(data.get("absence_reason"), 500)
    if (hours.get("hours_absent_unauthorised") or 0) > 0 and not reason:
        errors.add("absence_reason", _RULE["reason"].message)
    if enrolment.status not in REPORTABLE_STATUSES:
        errors.add("enrolment", _RULE["accepted"].message)
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


@transaction.atomic
def save_weekly_report(
    *, actor: Actor, enrolment: Enrolment, data: dict[str, Any], source: str = ReportSource.FORM, via: str = "ui"
) -> tuple[WeeklyReport, str]:
    """Creates the report of a week, or replaces it when the values differ (old values go to the history).
    Returns the report and "created", "replaced" or "unchanged"."""
    cleaned = check_report(enrolment, data, core_dates.today())
    _lock_provider(enrolment.provider)
    existing = WeeklyReport.objects.filter(enrolment=enrolment, week=cleaned["week"]).first()
    report, outcome = _write_report(
        actor=actor, enrolment=enrolment, cleaned=cleaned, source=source, via=via, existing=existing
    )
    if outcome != UNCHANGED:
        report_hours(client_file_ids=[enrolment.client_file_id])  # #17: the new totals to DUO (outbox, when linked)
    return report, outcome
