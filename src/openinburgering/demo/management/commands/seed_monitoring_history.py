"""`seed_monitoring_history`: two years of SIMULATED cohorts in both demo gemeenten for the monitoring figures
(#16). Idempotent. See `openinburgering.demo.monitoring_history`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from openinburgering.core.dates import today
from openinburgering.demo.monitoring_history import ensure_history


class Command(BaseCommand):
    help = "Adds two years of simulated cohorts for the monitoring figures (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        made = ensure_history(today=today())
        self.stdout.write(f"Monitoring history: {made} simulated files added.")
