"""``python -m django database_census``: row counts per table and audit chain heads as JSON (used by the drill)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from openinburgering.operations.backup import census


class Command(BaseCommand):
    help = "Tel de rijen per tabel en geef de kop van elke auditketen, als JSON."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(census(), sort_keys=True))
