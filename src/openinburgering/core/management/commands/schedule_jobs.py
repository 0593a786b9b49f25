"""``python -m django schedule_jobs [--loop SECONDS]``: enqueue the daily jobs (core.schedule), once per day.

Run it from cron or a systemd timer shortly after midnight (docs/jobs.md); a second call on the same day
enqueues nothing. ``--loop 300`` keeps running and checks every 300 seconds (what ``make run`` does beside the
worker, so the demo needs no cron). The jobs themselves run in ``python -m django db_worker``."""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, transaction

from openinburgering.core.dates import today
from openinburgering.core.schedule import schedule_daily


class Command(BaseCommand):
    help = "Enqueues the daily background jobs once per day (idempotent); --loop SECONDS keeps checking."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=int, default=0, help="check again every SECONDS (0: once, the default)")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = int(options["loop"])
        if interval < 0:
            raise CommandError("--loop moet 0 of meer seconden zijn.")
        self._running = True
        self._seen: set[int] = set()
        if interval:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        while True:
            if interval:  # a long-running process: drop a connection the database closed, like the worker does
                close_old_connections()
            self._schedule_once(verbose=int(options.get("verbosity", 1)) >= 1)
            if not interval:
                return
            slept = 0
            while self._running and slept < interval:
                time.sleep(1)
                slept += 1
            if not self._running:
                return

    def _schedule_once(self, *, verbose: bool) -> None:
        as_of = today()
        with transaction.atomic():
            runs = schedule_daily(as_of=as_of)
        for run in runs:
            if verbose and run.pk not in self._seen:
                self._seen.add(run.pk)
                self.stdout.write(f"{as_of.isoformat()} {run.kind}: {run.get_status_display()} (taak #{run.pk})")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._running = False
