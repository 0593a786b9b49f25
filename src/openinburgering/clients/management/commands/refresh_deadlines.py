"""`refresh_deadlines`: the daily job that recomputes every open file's next deadline from the rules.

Run it once a day (cron, systemd timer or the platform's scheduler). It is idempotent and safe to run twice:
files whose deadline did not change are not written, so a second run the same day reports 0. Each run writes
one audit event `deadlines_refreshed` (no actor, via "job") with the number of files that changed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openinburgering.accounts.models import Gemeente
from openinburgering.audit.services import record_event
from openinburgering.clients.services import refresh_deadlines
from openinburgering.core.dates import today

PURPOSE_DEADLINES = "termijnbewaking Wet inburgering 2021"


class Command(BaseCommand):
    help = "Recomputes the next deadline of every open client file from the rules (daily job; idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--gemeente", default="", help="only this gemeente (CBS code, e.g. GM0392)")

    def handle(self, *args: Any, **options: Any) -> None:
        gemeente = None
        code = str(options["gemeente"] or "").upper()
        if code:
            gemeente = Gemeente.objects.filter(code=code).first()
            if gemeente is None:
                raise CommandError(f"Unknown gemeente {code!r} (expected a CBS code such as GM0392).")
        as_of = today()
        changed = refresh_deadlines(as_of=as_of, gemeente_id=gemeente.pk if gemeente else None)
        record_event(
            event_type="deadlines_refreshed", purpose=PURPOSE_DEADLINES, gemeente=gemeente,
            changes={"count": changed, "as_of": as_of.isoformat()}, via="job",
        )  # fmt: skip
        self.stdout.write(f"{changed} client files got a new next deadline (as of {as_of.isoformat()}).")
