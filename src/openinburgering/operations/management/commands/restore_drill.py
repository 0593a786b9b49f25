"""``python -m django restore_drill --backup DIR``: restore into a fresh database and check it (#12 item 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openinburgering.operations.backup import BackupError, restore_drill


class Command(BaseCommand):
    help = "Hersteltest: zet een back-up terug in een nieuwe database en vergelijk die met het manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backup", required=True, type=Path, help="map van de back-up")
        parser.add_argument("--keep", action="store_true", help="laat de hersteldatabase staan om zelf te bekijken")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_drill(backup=options["backup"], keep=options["keep"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        for problem in report.problems:
            self.stdout.write(f"FOUT  {problem}")
        if report.problems:
            raise CommandError(f"Hersteltest mislukt: {len(report.problems)} verschil(len) met de back-up.")
        chains = ", ".join(f"{chain} tot #{head['seq']}" for chain, head in sorted(report.chains.items()))
        self.stdout.write(
            f"Hersteltest geslaagd: {report.tables_checked} tabellen, {report.rows_restored} rijen, "
            f"auditketens intact ({chains or 'geen'})."
        )
