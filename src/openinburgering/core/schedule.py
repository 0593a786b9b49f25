"""The daily schedule: which jobs `python -m django schedule_jobs` enqueues, once per day (ADR 0009).

Each entry is the dotted path of a function ``start(*, as_of: date) -> list[JobRun]`` in an app's ``tasks.py`` that
calls `core.jobs.start_job` with a key from `daily_key` (per gemeente where the work is per gemeente, so workers
can run gemeenten side by side and each gemeente sees its own run), so a second call on the same day enqueues
nothing.
Core imports no domain app: the paths are resolved when the schedule runs. Append your app's daily job here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils.module_loading import import_string

from .models import JobRun

DAILY_JOBS: list[str] = [
    "openinburgering.clients.tasks.start_daily_refresh",
    "openinburgering.retention.tasks.start_daily_retention",
    "openinburgering.core.tasks.start_daily_prune",
    "openinburgering.monitoring.tasks.start_daily_monitoring",
    "openinburgering.netwerk.tasks.start_daily_escalation",
    "openinburgering.interop.tasks.start_daily_brp_check",
    "openinburgering.audit.tasks.start_daily_partitions",
]


def daily_key(kind: str, as_of: date, scope: str = "") -> str:
    return f"daily:{kind}:{scope + ':' if scope else ''}{as_of.isoformat()}"


def schedule_daily(*, as_of: date) -> list[JobRun]:
    """Enqueue every daily job for ``as_of`` that is not enqueued yet; returns the day's runs (new or existing)."""
    runs = []
    for path in DAILY_JOBS:
        start: Callable[..., Any] = import_string(path)
        runs.extend(start(as_of=as_of))
    return runs
