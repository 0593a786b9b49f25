"""The council report (#16 item 6): the one door to a report, the services that change it, and the PDF.

Who: the roles with VIEW_MONITORING (beleidsmedewerker, teamleider) of the report's gemeente; anyone else gets
404 (``access_council_report``). Every read, change and download is audited in the same transaction.

The life of a report: ``create_report`` takes the figures (``council.build_snapshot``, small numbers
suppressed) and fills every theme with a draft text; staff edit the texts (``update_texts``) and may take the
figures again while it is a concept (``refresh_figures``); ``start_generation`` queues the job
(``council_tasks``) that renders the PDF from the stored snapshot and texts and stores it (status ``ready``).
From then on nothing changes: a second run of the job renders the PDF again from what is stored and records
whether it is the same (it is, byte for byte, while the template and WeasyPrint are the same).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import record_event
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.core.jobs import start_job
from openinburgering.core.models import FINISHED, JobStatus
from openinburgering.letters.services import render_pdf

from . import charts
from .charts import Group, bar_chart
from .council import TEXT_MAX_LENGTH, THEME_KEYS, build_snapshot
from .council_models import CouncilReport, CouncilReportStatus
from .figures import Filters

PURPOSE = "monitoring en sturing"
PDF_TEMPLATE = "monitoring/council_report_pdf.html"
MAX_MONTHS = 60
FIRST_MONTH = date(2021, 1, 1)
MISSING = "niet getoond (klein aantal)"
SAME = "De PDF is opnieuw gemaakt uit de bewaarde cijfers en teksten: hij is precies gelijk."
DIFFERENT = (
    "De PDF is opnieuw gemaakt uit de bewaarde cijfers en teksten, maar hij is anders dan de bewaarde PDF (de opmaak "
    "is veranderd). De bewaarde PDF blijft het rapport."
)


def access_council_report(actor: Actor, report_id: int) -> CouncilReport:
    """The only door to a report: VIEW_MONITORING in the report's gemeente; otherwise 404 (missing and
    forbidden look the same). The PDF bytes are not loaded here."""
    if not actor.can(Capability.VIEW_MONITORING):
        raise NotFound()
    report = CouncilReport.objects.defer("content").select_related("job").filter(
        pk=report_id, gemeente_id=actor.gemeente_id
    ).first()  # fmt: skip
    if report is None:
        raise NotFound()
    return report


def reports_of(actor: Actor) -> QuerySet[CouncilReport]:
    """The gemeente's reports, newest first, without their PDF bytes (1 query)."""
    if not actor.can(Capability.VIEW_MONITORING):
        raise NotFound()
    return CouncilReport.objects.defer("content", "snapshot").select_related("job").filter(
        gemeente_id=actor.gemeente_id
    )  # fmt: skip


def _record(actor: Actor | None, event_type: str, report: CouncilReport, *, via: str,
            changes: dict[str, Any] | None = None) -> None:  # fmt: skip
    record_event(
        actor=actor, gemeente=report.gemeente if actor is None else None, event_type=event_type, purpose=PURPOSE,
        subject=report, changes=changes, via=via,
    )  # fmt: skip


def record_view(*, actor: Actor, report: CouncilReport, via: str = "ui") -> None:
    _record(actor, "council_report_viewed", report, via=via)


def record_list(*, actor: Actor, count: int, via: str = "ui") -> None:
    record_event(
        actor=actor, event_type="council_reports_listed", purpose=PURPOSE, subject_type="councilreport",
        changes={"result_count": count}, via=via,
    )  # fmt: skip


def _field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def _period(month_from: date, month_to: date) -> Filters:
    start, end = month_from.replace(day=1), month_to.replace(day=1)
    if start < FIRST_MONTH:
        raise _field_error("van", "Kies een periode vanaf januari 2021: toen begon de Wet inburgering 2021.")
    if end < start:
        raise _field_error("tot", "De laatste maand ligt voor de eerste maand.")
    if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
        raise _field_error("tot", "Kies een periode van hoogstens 5 jaar.")
    if end > today().replace(day=1):
        raise _field_error("tot", "Kies als laatste maand deze maand of een maand die al voorbij is.")
    return Filters(month_from=start, month_to=end)


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise _field_error("titel", "Geef het rapport een titel.")
    if len(title) > 200:
        raise _field_error("titel", "De titel is te lang (hoogstens 200 tekens).")
    return title


@transaction.atomic
def create_report(*, actor: Actor, title: str, month_from: date, month_to: date, via: str = "ui") -> CouncilReport:
    """A new concept report: the figures of the period now (suppressed) and a draft text per theme."""
    if not actor.can(Capability.VIEW_MONITORING):
        raise NotFound()
    filters = _period(month_from, month_to)
    title = _check_title(title)
    day = today()
    snapshot = build_snapshot(actor.gemeente_id, actor.gemeente.name, filters, taken_on=day)
    now = timezone.now()
    report = CouncilReport.objects.create(
        gemeente_id=actor.gemeente_id, title=title, month_from=filters.month_from, month_to=filters.month_to,
        snapshot=snapshot, snapshot_version=snapshot["version"], figures_on=day,
        texts={theme["key"]: theme["draft"] for theme in snapshot["themes"]},
        created_at=now, created_by=actor.user, updated_at=now, updated_by=actor.user,
    )  # fmt: skip
    _record(actor, "council_report_created", report, via=via,
            changes={"van": snapshot["van"], "tot": snapshot["tot"], "figures_on": day.isoformat()})  # fmt: skip
    return report


def _locked_concept(report: CouncilReport) -> CouncilReport:
    current = CouncilReport.objects.defer("content").select_for_update().get(pk=report.pk)
    if current.status != CouncilReportStatus.CONCEPT:
        raise Conflict(
            "Dit rapport is al gemaakt. De teksten en cijfers blijven zoals ze in de PDF staan. Maak een nieuw "
            "rapport als u iets wilt veranderen."
        )
    return current


@transaction.atomic
def update_texts(*, actor: Actor, report: CouncilReport, texts: dict[str, str], via: str = "ui") -> CouncilReport:
    """Changes the texts of the themes given (a concept only); returns the report as stored."""
    unknown = sorted(set(texts) - set(THEME_KEYS))
    if unknown:
        message = f"Onbekend thema: {', '.join(unknown)}."
        raise ApplicationError(message, field_errors={"teksten": [message]})
    errors = {key: [f"Deze tekst is te lang (hoogstens {TEXT_MAX_LENGTH} tekens)."]
              for key, text in texts.items() if len(text) > TEXT_MAX_LENGTH}  # fmt: skip
    if errors:
        raise ApplicationError("Een tekst is te lang.", field_errors=errors)
    current = _locked_concept(report)
    changed = sorted(key for key, text in texts.items() if current.texts.get(key, "") != text.strip())
    if changed:
        current.texts = {**current.texts, **{key: texts[key].strip() for key in changed}}
        current.updated_at, current.updated_by = timezone.now(), actor.user
        current.save(update_fields=["texts", "updated_at", "updated_by"])
        _record(actor, "council_report_changed", current, via=via, changes={"themes": changed})
    return current


@transaction.atomic
def refresh_figures(*, actor: Actor, report: CouncilReport, via: str = "ui") -> CouncilReport:
    """Takes the figures of the period again (a concept only); the texts stay as staff wrote them."""
    current = _locked_concept(report)
    day = today()
    filters = Filters(month_from=current.month_from, month_to=current.month_to)
    current.snapshot = build_snapshot(current.gemeente_id, actor.gemeente.name, filters, taken_on=day)
    current.snapshot_version, current.figures_on = current.snapshot["version"], day
    current.updated_at, current.updated_by = timezone.now(), actor.user
    current.save(update_fields=["snapshot", "snapshot_version", "figures_on", "updated_at", "updated_by"])
    _record(actor, "council_report_changed", current, via=via, changes={"figures_on": day.isoformat()})
    return current


def generation_running(report: CouncilReport) -> bool:
    return report.job is not None and report.job.status not in FINISHED


@transaction.atomic
def start_generation(*, actor: Actor, report: CouncilReport, via: str = "ui") -> CouncilReport:
    """Queues the job that makes the PDF (a concept, or a queued report whose job failed) or makes it again
    from what is stored to check it (a ready report). Twice while a job runs: nothing new is queued."""
    from .council_tasks import KIND, generate_council_report_job

    current = CouncilReport.objects.defer("content").select_related("job").select_for_update(of=("self",)).get(
        pk=report.pk
    )  # fmt: skip
    if generation_running(current):
        return current
    again = current.status == CouncilReportStatus.READY
    current.job = start_job(
        task=generate_council_report_job, kind=KIND, actor=actor, payload={"report_id": current.pk},
        label="Raadsrapport opnieuw maken ter controle" if again else "Raadsrapport maken (PDF)",
    )  # fmt: skip
    if not again:
        current.status = CouncilReportStatus.QUEUED
    current.updated_at, current.updated_by = timezone.now(), actor.user
    current.save(update_fields=["job", "status", "updated_at", "updated_by"])
    _record(actor, "council_report_generation_started", current, via=via,
            changes={"job": current.job.pk, "again": again})  # fmt: skip
    return current


def render_report(report: CouncilReport) -> bytes:
    """The PDF from the stored snapshot and texts only (the same input gives the same bytes). Always in Dutch,
    whatever language the thread has active (the month names in dates)."""
    with translation.override("nl"):
        return render_pdf(PDF_TEMPLATE, report_context(report, for_pdf=True))


def report_context(report: CouncilReport, *, for_pdf: bool = False) -> dict[str, Any]:
    """What the PDF and the page show: per theme its text and its tables, each with its chart."""
    snapshot = report.snapshot
    themes = []
    for theme in snapshot["themes"]:
        tables = [(table, snapshot_chart(table, for_pdf=for_pdf)) for table in theme["tables"]]
        themes.append({"key": theme["key"], "title": theme["title"], "text": report.texts.get(theme["key"], ""),
                       "tables": tables})  # fmt: skip
    return {"report": report, "snapshot": snapshot, "themes": themes, "figures_on": date.fromisoformat(
        snapshot["taken_on"])}  # fmt: skip


def snapshot_chart(table: dict[str, Any], *, for_pdf: bool = False) -> SafeString | None:
    spec = table.get("chart")
    if not spec or not spec["groups"]:
        return None
    series = [charts.FIGURE_SERIES[key] for key in spec["series"]]
    groups = [Group(label, values[: len(series)]) for label, values in spec["groups"]]
    return bar_chart(
        chart_id=f"{'pdf' if for_pdf else 'chart'}-{table['key']}", title=table["title"],
        description="De cijfers staan ook in de tabel bij de grafiek. Kleine aantallen staan er niet in.",
        series=series, groups=groups, missing=MISSING,
    )  # fmt: skip


def generate(report_id: int) -> tuple[str, dict[str, Any]]:
    """The job's work: makes the PDF of a queued report and stores it, or makes a ready report's PDF again and
    says whether it is the same. Returns the Dutch outcome and its counts. Idempotent."""
    with transaction.atomic():
        report = CouncilReport.objects.select_related("gemeente").select_for_update(of=("self",)).get(pk=report_id)
        pdf = render_report(report)
        digest = hashlib.sha256(pdf).hexdigest()
        if report.status == CouncilReportStatus.READY:
            same = digest == report.sha256
            _record(None, "council_report_regenerated", report, via="job", changes={"same": same})
            if same:
                return SAME, {"same": True}
            return DIFFERENT, {"same": False}
        report.content, report.sha256, report.size = pdf, digest, len(pdf)
        report.status, report.generated_at = CouncilReportStatus.READY, timezone.now()
        report.save(update_fields=["content", "sha256", "size", "status", "generated_at"])
        _record(None, "council_report_generated", report, via="job", changes={"sha256": digest, "size": len(pdf)})
    return f"Het raadsrapport is gemaakt ({len(pdf) // 1024} kB).", {"same": None}


def pdf_of(*, actor: Actor, report: CouncilReport, via: str = "ui") -> bytes:
    """The stored PDF, audited as a download (inside the caller's transaction)."""
    if report.status != CouncilReportStatus.READY:
        raise NotFound()
    content = CouncilReport.objects.values_list("content", flat=True).get(pk=report.pk)
    _record(actor, "council_report_downloaded", report, via=via, changes={"sha256": report.sha256})
    return bytes(content)


def job_failed(report: CouncilReport) -> bool:
    return report.job is not None and report.job.status == JobStatus.FAILED
