"""Erase the payload of quarantined signal messages (privacy: data outside the gemeente's remit).

    python -m django purge_quarantined_signals [--days N] [--gemeente GM0392]

``--days`` (default 0, or the setting SIGNALS_QUARANTINE_PURGE_DAYS when it exists) purges only messages
received at least N days ago, so a scheduler can run it daily and leave time to review. Every purge writes a
``signal_purged`` audit event; the row stays as the record that a message came in and was purged. Safe to run
twice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from openinburgering.accounts.models import Gemeente
from openinburgering.signals.services import purge_quarantined_signals


class Command(BaseCommand):
    help = "Erase the payload of quarantined signal messages older than N days (default 0: all)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Only messages received at least N days ago")
        parser.add_argument("--gemeente", default="", help="Only this gemeente (CBS code), default all")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is None:
            days = int(getattr(settings, "SIGNALS_QUARANTINE_PURGE_DAYS", 0))
        if days < 0:
            raise CommandError("Het aantal dagen kan niet negatief zijn.")
        gemeente_id = None
        if options["gemeente"]:
            gemeente = Gemeente.objects.filter(code=str(options["gemeente"]).upper()).first()
            if gemeente is None:
                raise CommandError("Onbekende gemeente.")
            gemeente_id = gemeente.pk
        count = purge_quarantined_signals(gemeente_id=gemeente_id, older_than_days=days, via="command")
        self.stdout.write(f"{count} bericht(en) in quarantaine gewist.")
