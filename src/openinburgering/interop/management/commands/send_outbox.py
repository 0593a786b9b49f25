"""``manage.py send_outbox``: delivers every due outbox message (stragglers whose job was lost, or whose worker died
while sending). Safe to run from cron every few minutes next to the worker: claiming is atomic."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from openinburgering.interop import outbox


class Command(BaseCommand):
    help = "Verstuurt alle uitgaande berichten die aan de beurt zijn (ook achterblijvers na een storing)."

    def handle(self, *args: Any, **options: Any) -> None:
        attempted = outbox.sweep()
        self.stdout.write(f"{attempted} bericht(en) geprobeerd.")
