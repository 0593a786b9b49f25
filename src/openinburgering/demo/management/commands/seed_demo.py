"""`seed_demo`: the demo personas (every role, Haarlem and Zandvoort) and about 30 households through the
services. Idempotent: a second run changes nothing. See `openinburgering.demo.loader`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from openinburgering.core.dates import today
from openinburgering.demo.loader import load_demo


class Command(BaseCommand):
    help = "Loads the demo staff personas and households (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo(today=today())
        self.stdout.write(
            f"Demo households: {result.created} created, {result.skipped} already there; "
            f"{result.refreshed} deadlines refreshed."
        )
