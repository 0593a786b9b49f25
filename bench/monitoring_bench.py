"""Two in-process measurements for `make bench` (issue #6): the provider CSV upload of 10,000 rows through
`providers.services.import_csv`, and the contract dashboard selector (`monitoring.selectors.contract_dashboard`)
on the volume dataset.

The volume seeder (`demo/volume/`) makes no providers, enrolments or reports, so `prepare()` adds them here,
bench-only (never in the app): one provider "Bench Taalaanbieder" with a per-hour contract and an aanbieder
user, one accepted enrolment for each of a sample of the gemeente's open files (BENCH_MONITORING_SAMPLE,
20,000: one in five clients), and eight weeks of weekly reports and a few exam results per enrolment,
bulk-created. Idempotent: a second run reuses what is there (and adds enrolments up to a larger sample).

The upload file has 10,000 rows (enrolments x weeks); a note carries the run id, so a rerun on a reused
database REPLACES the rows of the earlier run (old values to the history) instead of finding them unchanged —
the result says how many rows were created, replaced and unchanged, so the number is never misread.

Needs Django set up on the bench database (bench.py does that first).
"""

from __future__ import annotations

import math
import os
import secrets
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

UPLOAD_ROWS = int(os.environ.get("BENCH_UPLOAD_ROWS", "10000"))
SAMPLE = int(os.environ.get("BENCH_MONITORING_SAMPLE", "20000"))
DASHBOARD_RUNS = int(os.environ.get("BENCH_DASHBOARD_RUNS", "20"))
PROVIDER_NAME = "Bench Taalaanbieder"
HISTORY_WEEKS = 8


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def prepare(gemeente_code: str, today: date) -> dict[str, Any]:
    """The bench provider, contract, aanbieder user, enrolments and report history (bulk, bench-only)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from openinburgering.accounts.models import Gemeente, Membership, Role, User
    from openinburgering.clients.choices import OPEN_STATUSES
    from openinburgering.clients.models import ClientFile
    from openinburgering.providers.models import (
        Contract,
        Enrolment,
        ExamResult,
        Provider,
        ProviderMembership,
        WeeklyReport,
    )

    gemeente = Gemeente.objects.get(code=gemeente_code)
    weeks_needed = math.ceil(UPLOAD_ROWS / max(1, SAMPLE))
    start = today - timedelta(weeks=weeks_needed + HISTORY_WEEKS + 2, days=today.weekday())
    with transaction.atomic():
        provider, _ = Provider.objects.get_or_create(
            name=PROVIDER_NAME, gemeente=gemeente,
            defaults={"kinds": ["taalaanbieder"], "keurmerk": True, "keurmerk_expires_on": today + timedelta(days=60)},
        )  # fmt: skip
        contract, _ = Contract.objects.get_or_create(
            provider=provider, name="Bench B1-route",
            defaults={"gemeente": gemeente, "starts_on": start - timedelta(days=7),
                      "ends_on": today + timedelta(days=365), "price_model": "per_hour",
                      "price_per_hour": Decimal("14.50"), "capacity": SAMPLE,
                      "components": ["b1_lessen"], "reporting_frequency": "weekly"},
        )  # fmt: skip
        user, _ = User.objects.get_or_create(username="bench-aanbieder", defaults={"first_name": "Bench"})
        membership, _ = Membership.objects.get_or_create(
            user=user, gemeente=gemeente, role=Role.objects.get(code="aanbieder")
        )
        ProviderMembership.objects.get_or_create(membership=membership, defaults={"provider": provider})
        creator = User.objects.filter(memberships__gemeente=gemeente, memberships__role__code="klantregisseur").first()
        have = set(Enrolment.objects.filter(contract=contract).values_list("client_file_id", flat=True))
        missing = SAMPLE - len(have)
        if missing > 0:
            file_ids = list(
                ClientFile.objects.filter(gemeente=gemeente, status__in=OPEN_STATUSES)
                .exclude(pk__in=have)
                .order_by("pk")
                .values_list("pk", flat=True)[:missing]
            )
            now = timezone.now()
            created = Enrolment.objects.bulk_create(
                [
                    Enrolment(
                        client_file_id=pk,
                        provider=provider,
                        contract=contract,
                        component="b1_lessen",
                        status="geaccepteerd",
                        starts_on=start,
                        ends_on=today + timedelta(days=200),
                        hours_per_week=Decimal("8.0"),
                        created_at=now,
                        created_by=creator or user,
                    )
                    for pk in file_ids
                ],
                batch_size=2000,
            )
            reports = []
            exams = []
            for index, enrolment in enumerate(created):
                for week in range(HISTORY_WEEKS):
                    monday = start + timedelta(weeks=week)
                    year, number, _ = monday.isocalendar()
                    absent = Decimal(index % 3)
                    reports.append(
                        WeeklyReport(
                            enrolment=enrolment,
                            week=f"{year}-W{number:02d}",
                            week_starts_on=monday,
                            hours_offered=Decimal(8),
                            hours_attended=Decimal(8) - absent,
                            hours_absent_authorised=absent,
                            hours_absent_unauthorised=Decimal(0),
                            row_hash=f"bench-{enrolment.pk}-{week}",
                            source="api",
                            reported_at=now,
                            reported_by=user,
                        )
                    )
                if index % 4 == 0:
                    exams.append(ExamResult(enrolment=enrolment, part="lezen", level="B1", exam_on=today,
                                            passed=index % 8 == 0, recorded_at=now, recorded_by=user))  # fmt: skip
            WeeklyReport.objects.bulk_create(reports, batch_size=5000)
            ExamResult.objects.bulk_create(exams, batch_size=5000)
    if missing > 0 and connection.vendor == "postgresql":
        # Fresh statistics after the bulk load, as the volume seeder does (and autovacuum would, later): without
        # them the planner scans every weekly report for the caseload's attendance rates (bench: 25 ms vs 0.3 ms).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE providers_enrolment, providers_weeklyreport, providers_examresult")
    enrolments = Enrolment.objects.filter(contract=contract).count()
    return {"provider_id": provider.pk, "membership_id": membership.pk, "enrolments": enrolments,
            "csv_weeks_from": start + timedelta(weeks=HISTORY_WEEKS), "weeks": weeks_needed}  # fmt: skip


def csv_upload(prepared: dict[str, Any]) -> dict[str, Any]:
    """One upload of UPLOAD_ROWS rows through the import service (as the portal and API call it)."""
    from openinburgering.accounts.actor import Actor
    from openinburgering.accounts.models import Membership
    from openinburgering.providers.models import Enrolment, Provider
    from openinburgering.providers.services import CSV_COLUMNS, import_csv

    membership = Membership.objects.select_related("gemeente", "role", "team", "user").get(pk=prepared["membership_id"])
    actor = Actor(user=membership.user, membership=membership)
    provider = Provider.objects.get(pk=prepared["provider_id"])
    enrolment_ids = list(Enrolment.objects.filter(provider=provider).order_by("pk").values_list("pk", flat=True))
    run = secrets.token_hex(4)
    lines = [";".join(CSV_COLUMNS)]
    for week in range(prepared["weeks"]):
        monday = prepared["csv_weeks_from"] + timedelta(weeks=week)
        year, number, _ = monday.isocalendar()
        for pk in enrolment_ids:
            if len(lines) > UPLOAD_ROWS:
                break
            lines.append(f"{pk};{year}-W{number:02d};8;7;1;0;;bench {run}")
    raw = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    result = import_csv(actor=actor, provider=provider, raw=raw, filename=f"bench-{run}.csv", via="api")
    seconds = time.perf_counter() - started
    upload = result.upload
    return {
        "rows": upload.rows_total, "created": upload.rows_created, "replaced": upload.rows_replaced,
        "unchanged": upload.rows_unchanged, "failed": upload.rows_failed, "bytes": len(raw),
        "seconds": round(seconds, 2), "rows_per_s": round(upload.rows_total / seconds, 1) if seconds else None,
    }  # fmt: skip


def dashboard(gemeente_code: str, today: date) -> dict[str, Any]:
    """The contract dashboard selector for a contractmanager of the gemeente, DASHBOARD_RUNS times."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from openinburgering.accounts.actor import Actor
    from openinburgering.accounts.models import Membership
    from openinburgering.monitoring.selectors import Filters, contract_dashboard

    membership = (
        Membership.objects.select_related("gemeente", "role", "team", "user")
        .filter(gemeente__code=gemeente_code)
        .first()
    )
    if membership is None:
        raise SystemExit(f"no membership in {gemeente_code} to run the dashboard as")
    actor = Actor(user=membership.user, membership=membership)
    contract_dashboard(actor, Filters(), today=today)  # warm-up
    timings: list[float] = []
    with CaptureQueriesContext(connection) as queries:
        rows = contract_dashboard(actor, Filters(), today=today)
    for _ in range(DASHBOARD_RUNS):
        started = time.perf_counter()
        contract_dashboard(actor, Filters(), today=today)
        timings.append((time.perf_counter() - started) * 1000)
    bench_row = next((r for r in rows if r.provider.name == PROVIDER_NAME), None)
    return {
        "runs": DASHBOARD_RUNS, "queries": len(queries.captured_queries), "contracts": len(rows),
        "enrolments_counted": sum(r.enrolled for r in rows),
        "hours_offered_bench_contract": str(bench_row.hours_offered) if bench_row else None,
        "p50_ms": round(statistics.median(timings), 1), "p95_ms": round(_percentile(timings, 95), 1),
        "max_ms": round(max(timings), 1),
    }  # fmt: skip


def run(gemeente_code: str) -> dict[str, Any]:
    from openinburgering.core.dates import today as app_today

    today = app_today()
    started = time.perf_counter()
    prepared = prepare(gemeente_code, today)
    setup_seconds = round(time.perf_counter() - started, 1)
    upload = csv_upload(prepared)
    return {
        "setup_s": setup_seconds, "enrolments": prepared["enrolments"], "upload": upload,
        "dashboard": dashboard(gemeente_code, today),
    }  # fmt: skip


def markdown(result: dict[str, Any]) -> str:
    upload, board = result["upload"], result["dashboard"]
    return (
        "\n| measurement | data | result |\n|---|---|---|\n"
        f"| Provider CSV upload (`providers.services.import_csv`, one file) | {upload['rows']:,} rows, "
        f"{upload['bytes']:,} bytes | {upload['seconds']} s ({upload['rows_per_s']} rows/s; created "
        f"{upload['created']}, replaced {upload['replaced']}, unchanged {upload['unchanged']}, "
        f"failed {upload['failed']}) |\n"
        f"| Contract dashboard selector (`monitoring.selectors.contract_dashboard`, in process) | "
        f"{board['contracts']} contracts, {board['enrolments_counted']:,} enrolments | p50 {board['p50_ms']} ms, "
        f"p95 {board['p95_ms']} ms over {board['runs']} runs, {board['queries']} queries |\n"
    )
