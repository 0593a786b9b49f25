"""Reads of the voortgang with a constant number of queries. Callers reach the file through access_client_file
first; ``low_attendance_files`` filters on the gemeente itself.

Attendance rate: hours attended / hours offered over the last 4 *complete* ISO weeks before ``as_of`` (the week
that contains ``as_of`` is not complete yet and is left out), all enrolments of the file together. A rate is only
known when hours were offered; the signal shows when attended × 100 < threshold × offered (exact decimals). The
voortgang page, the signal list, the caseload worklists and their API share one aggregate (``_window_hours``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import DecimalField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from openinburgering.accounts.models import Gemeente
from openinburgering.clients.models import ClientFile
from openinburgering.core import sql
from openinburgering.handhaving.models import Achievement
from openinburgering.handhaving.selectors import achievements_of
from openinburgering.plans.choices import OPEN_PIP_STATUSES, PipStatus
from openinburgering.plans.models import PipVersion, ProgressTalk
from openinburgering.providers.models import Enrolment, WeeklyReport

from .models import DEFAULT_THRESHOLD_PERCENT, AfschalenJudgement, ProgressSettings

RATE_WEEKS = 4
# WeeklyReport rows grouped per file (``values`` + ``annotate``): the stubs cannot follow the annotated names.
HourRows = QuerySet[Any, Any]
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=9, decimal_places=1))


@dataclass(frozen=True)
class Window:
    """The last ``RATE_WEEKS`` complete ISO weeks before ``as_of``: Monday of the first to Sunday of the last."""

    starts_on: date
    ends_on: date


def rate_window(as_of: date) -> Window:
    this_monday = as_of - timedelta(days=as_of.weekday())
    return Window(starts_on=this_monday - timedelta(weeks=RATE_WEEKS), ends_on=this_monday - timedelta(days=1))


# The threshold is read by every caseload page and changes a few times a year: it is cached per gemeente (#18).
# services.update_settings deletes the entry when its transaction commits; with a cache per process (no REDIS_URL)
# other processes see a change after at most THRESHOLD_CACHE_SECONDS.
THRESHOLD_CACHE_SECONDS = 60


def threshold_cache_key(gemeente_id: int) -> str:
    return f"progress:threshold:{gemeente_id}"


def threshold_percent(gemeente_id: int) -> int:
    """The gemeente's threshold (from the cache, else 1 query); the default when the functioneel beheerder never
    set one."""
    key = threshold_cache_key(gemeente_id)
    cached = cache.get(key)
    if isinstance(cached, int):
        return cached
    value = (
        ProgressSettings.objects.filter(gemeente_id=gemeente_id)
        .values_list("attendance_threshold_percent", flat=True)
        .first()
    )
    result = DEFAULT_THRESHOLD_PERCENT if value is None else value
    cache.set(key, result, THRESHOLD_CACHE_SECONDS)
    return result


def _sum(field: str, window: Window | None = None) -> Coalesce:
    condition = Q(weekly_reports__isnull=False)
    if window is not None:
        condition &= Q(weekly_reports__week_starts_on__range=(window.starts_on, window.ends_on))
    return Coalesce(Sum(f"weekly_reports__{field}", filter=condition), ZERO)


def enrolments_with_hours(client_file: ClientFile, as_of: date) -> list[Enrolment]:
    """Every enrolment of the file with its reported hours, all weeks and the rate window (1 query)."""
    window = rate_window(as_of)
    return list(
        Enrolment.objects.filter(client_file=client_file)
        .select_related("provider")
        .annotate(
            total_offered=_sum("hours_offered"),
            total_attended=_sum("hours_attended"),
            total_absent_authorised=_sum("hours_absent_authorised"),
            total_absent_unauthorised=_sum("hours_absent_unauthorised"),
            window_offered=_sum("hours_offered", window),
            window_attended=_sum("hours_attended", window),
        )
        .order_by("-starts_on", "-id")
    )


def achievements(client_file: ClientFile) -> list[Achievement]:
    return list(achievements_of(client_file))


def pip_versions(client_file: ClientFile) -> tuple[PipVersion | None, PipVersion | None]:
    """The current vastgestelde version and the open one (concept or ter goedkeuring), in 1 query."""
    rows = list(
        PipVersion.objects.filter(
            client_file=client_file, status__in=(PipStatus.VASTGESTELD, *OPEN_PIP_STATUSES)
        ).order_by("-number")
    )
    current = next((row for row in rows if row.status == PipStatus.VASTGESTELD), None)
    open_version = next((row for row in rows if row.status in OPEN_PIP_STATUSES), None)
    return current, open_version


def progress_talks(client_file: ClientFile) -> list[ProgressTalk]:
    return list(ProgressTalk.objects.filter(client_file=client_file).order_by("planned_on", "id"))


def latest_judgement(client_file: ClientFile) -> AfschalenJudgement | None:
    return (
        AfschalenJudgement.objects.filter(client_file=client_file)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class Rate:
    """One file's hours in the rate window, against the gemeente's threshold."""

    attended: Decimal
    offered: Decimal
    threshold_percent: int

    @property
    def percent(self) -> int | None:
        """Whole percent, rounded down: a rate under the threshold never reads as the threshold itself."""
        if self.offered <= 0:
            return None
        return int(self.attended * 100 // self.offered)

    @property
    def is_low(self) -> bool:
        return under_threshold(self.attended, self.offered, self.threshold_percent)


def under_threshold(attended: Decimal, offered: Decimal, threshold: int) -> bool:
    """A signal when attended / offered < threshold % (exact; nothing offered → no signal)."""
    return offered > 0 and attended * 100 < offered * threshold


def _window_hours(window: Window, **where: Any) -> HourRows:
    """Per file (``enrolment__client_file_id``): ``attended`` and ``offered`` hours of every enrolment together in
    the window. ``where`` narrows the reports before they are grouped (gemeente, files, one outer file)."""
    return (
        WeeklyReport.objects.filter(week_starts_on__range=(window.starts_on, window.ends_on), **where)
        .values("enrolment__client_file_id")
        .annotate(attended=Sum("hours_attended"), offered=Sum("hours_offered"))
    )


def _under(rows: HourRows, threshold: int) -> HourRows:
    """Only the files under ``threshold``, in SQL exactly as ``under_threshold`` says it."""
    under: HourRows = rows.annotate(
        scaled=ExpressionWrapper(F("attended") * 100, output_field=DecimalField(max_digits=12, decimal_places=1))
    ).filter(offered__gt=0, scaled__lt=F("offered") * threshold)
    return under


def low_attendance_rows(gemeente: Gemeente, as_of: date, threshold: int) -> list[dict[str, Any]]:
    """Per file of the gemeente: attended and offered hours in the rate window, only files under ``threshold``
    (attended × 100 < threshold × offered, exact decimals; no hours offered means no signal)."""
    rows = _under(_window_hours(rate_window(as_of), enrolment__client_file__gemeente=gemeente), threshold)
    return [dict(row) for row in rows.order_by("enrolment__client_file_id")]


def attendance_rates(*, gemeente_id: int, file_ids: list[int], as_of: date, threshold: int) -> dict[int, Rate]:
    """The rate of each listed file of the gemeente that had reports in the window (1 query, none without ids).
    A file without reports in the window is left out: no rate, no signal."""
    if not file_ids:
        return {}
    rows = _window_hours(
        rate_window(as_of), enrolment__client_file__gemeente_id=gemeente_id, enrolment__client_file_id__in=file_ids
    )
    return {row["enrolment__client_file_id"]: Rate(row["attended"], row["offered"], threshold) for row in rows}


def attendance_annotations(as_of: date) -> dict[str, Any]:
    """``window_attended`` and ``window_offered`` of the outer ClientFile as correlated subqueries, the same
    aggregate as ``attendance_rates`` (``_window_hours``; tests/clients/test_worklist_facts.py compares them), so a
    worklist reads its rates in its own query (#18): both NULL for a file without reports in the window. Written
    as SQL (core.sql) because compiling subqueries per request cost more CPU than running them. Read them back
    with ``rate_of``."""
    window = rate_window(as_of)
    names = {
        "reports": sql.table(WeeklyReport), "enrolments": sql.table(Enrolment), "id": sql.column(Enrolment, "id"),
        "enrolment": sql.column(WeeklyReport, "enrolment"), "file": sql.column(Enrolment, "client_file"),
        "outer": sql.outer(ClientFile), "week": sql.column(WeeklyReport, "week_starts_on"),
    }  # fmt: skip

    def total(field: str) -> Any:
        return sql.raw(
            "SELECT SUM(oi_w.{hours}) FROM {reports} oi_w JOIN {enrolments} oi_e ON oi_e.{id} = oi_w.{enrolment} "
            "WHERE oi_e.{file} = {outer} AND oi_w.{week} BETWEEN %s AND %s",
            {**names, "hours": sql.column(WeeklyReport, field)},
            [window.starts_on, window.ends_on],
            DecimalField(max_digits=9, decimal_places=1),
        )

    return {"window_attended": total("hours_attended"), "window_offered": total("hours_offered")}


def rate_of(row: dict[str, Any], threshold: int) -> Rate | None:
    """The rate of a row read with ``attendance_annotations``; None without reports in the window."""
    if row["window_offered"] is None:
        return None
    return Rate(Decimal(row["window_attended"]), Decimal(row["window_offered"]), threshold)


def is_low_attendance(as_of: date, threshold: int, file_ref: str = "pk") -> Exists:
    """For a ClientFile queryset (``file_ref`` names the file's id there): its rate is under ``threshold``. Filters
    in the database, so paging and counts stay right; served by the index on (enrolment, week_starts_on)."""
    return Exists(_under(_window_hours(rate_window(as_of), enrolment__client_file_id=OuterRef(file_ref)), threshold))


def low_attendance_files(gemeente: Gemeente, as_of: date) -> list[int]:
    """The ids of the gemeente's files whose attendance rate (all enrolments together, last 4 complete ISO weeks)
    is under the gemeente's threshold (2 queries: the threshold and the aggregate)."""
    threshold = threshold_percent(gemeente.pk)
    return [row["enrolment__client_file_id"] for row in low_attendance_rows(gemeente, as_of, threshold)]


def files_by_id(gemeente: Gemeente, ids: list[int]) -> list[ClientFile]:
    """The listed files with their person, for the signal list (1 query)."""
    return list(ClientFile.objects.filter(gemeente=gemeente, pk__in=ids).select_related("person").order_by("pk"))
