"""`seed_monitoring_history`: two years of SIMULATED cohorts in both demo gemeenten for the monitoring figures
(#16), and the demo of the quarterly CBS file (`demo.cbs`). Idempotent. See `openinburgering.demo.monitoring_history`
and `openinburgering.demo.cbs`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from openinburgering.core.dates import today
from openinburgering.demo.cbs import ensure_cbs_demo
from openinburgering.demo.monitoring_history import ensure_history


class Command(BaseCommand):
    help = "Adds two years of simulated cohorts for the monitoring figures (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        made = ensure_history(today=today())
        self.stdout.write(f"Monitoring history: {made} simulated files added.")
        files = ensure_cbs_demo(today=today())  # #16 item 5: a client missing data, earlier quarters delivered
        self.stdout.write(f"CBS demo: {files} quarterly files made.")
