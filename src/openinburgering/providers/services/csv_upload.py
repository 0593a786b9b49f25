"""CSV upload of weekly reports by a provider."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import EventSubject, record_events
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import ApplicationError
from openinburgering.interop.duo_uren import report_hours

from ..choices import ReportSource
from ..models import CsvUpload, Enrolment, Provider, WeeklyReport, WeeklyReportHistory
from ._common import PURPOSE, _audit, _lock_provider, _text
from .reports import (
    CREATED,
    REPLACED,
    REPORT_RULES,
    UNCHANGED,
    UploadRule,
    _next_report,
    _update_reports,
    check_report,
)

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
FILE_RULES = (
    UploadRule("utf8", "Het bestand is tekst in UTF-8. In Excel kiest u Opslaan als en dan CSV UTF-8.", per_row=False),
    UploadRule("header", "De eerste regel heeft precies deze kolomnamen, in deze volgorde: " + ";".join(CSV_COLUMNS)
               + ". Tussen de kolommen staat een puntkomma (;) of een komma (,).", per_row=False),
    UploadRule("size", f"Het bestand is hoogstens {MAX_CSV_BYTES // (1024 * 1024)} MB.", per_row=False),
    UploadRule("rows", f"Het bestand heeft hoogstens {MAX_CSV_ROWS:_} regels.".replace("_", "."), per_row=False),
)  # fmt: skip
COLUMNS_RULE = UploadRule(
    "columns", f"Elke regel heeft {len(CSV_COLUMNS)} kolommen. Laat een kolom leeg als er niets in hoeft, "
               "zoals reden of notitie.", f"deze regel heeft niet {len(CSV_COLUMNS)} kolommen"
)  # fmt: skip
ENROLMENT_RULE = UploadRule(
    "enrolment", "plaatsing_id is het nummer van een plaatsing bij uw organisatie. U ziet het bij de cursist in dit "
    "portaal.", "plaatsing onbekend"
)  # fmt: skip
ONCE_RULE = UploadRule("once", "Per plaatsing en week staat er 1 regel in het bestand.")
EXAMPLE_NOTE = "Voorbeeld: vervang door uw eigen regels"


def csv_rules() -> tuple[UploadRule, ...]:
    """Every rule the upload checks, in the order the page lists them: the file, then each row (the rules of
    ``check_report`` included, so a new check there shows up on the page)."""
    return (*FILE_RULES, COLUMNS_RULE, ENROLMENT_RULE, *REPORT_RULES, ONCE_RULE)


def csv_template() -> str:
    """The template file: the header and one example row. Placement 0 never exists, so the file as it is
    writes nothing (its one row comes back as 'plaatsing onbekend'); the week is last week."""
    year, week, _ = (core_dates.today() - timedelta(days=7)).isocalendar()
    example = ("0", f"{year}-W{week:02d}", "8", "6", "1", "1", "Ziek zonder bericht", EXAMPLE_NOTE)
    return ";".join(CSV_COLUMNS) + "\n" + ";".join(example) + "\n"


@dataclass
class CsvResult:
    upload: CsvUpload
    duplicate: bool = False
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows_processed(self) -> int:
        """Rows kept: new, replaced or already known."""
        return self.upload.rows_total - self.upload.rows_failed

    @property
    def rows_rejected(self) -> int:
        return self.upload.rows_failed


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
        e.pk: e
        for e in Enrolment.objects.select_related("client_file").filter(
            provider=provider, client_file__gemeente_id=actor.gemeente_id, pk__in=ids
        )
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
            errors.append({"line": line, "message": f"regel {line}: {ENROLMENT_RULE.message}"})
            continue
        if row["_columns"] != str(len(CSV_COLUMNS)):
            errors.append({"line": line, "message": f"regel {line}: {COLUMNS_RULE.message}"})
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
    report_hours(client_file_ids={enrolment.client_file_id for enrolment, _, _ in changed})  # #17: totals to DUO
    upload.rows_created, upload.rows_replaced = counts[CREATED], counts[REPLACED]
    upload.rows_unchanged, upload.rows_failed, upload.errors = counts[UNCHANGED], len(errors), errors
    upload.save()
    record_events(
        event_type="weekly_report_saved",
        purpose=PURPOSE,
        actor=actor,
        via=via,
        subjects=(
            EventSubject(
                enrolment.client_file.gemeente_id,
                enrolment.client_file_id,
                "weeklyreport",
                str(report.pk),
                {"week": report.week, "outcome": outcome, "upload": upload.pk},
            )
            for enrolment, report, outcome in changed
        ),
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
