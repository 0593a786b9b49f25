"""``python -m django backup --folder DIR``: pg_dump (custom format), the document store and a manifest (#12 item 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from openinburgering.operations.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Maak een back-up: database (pg_dump), documenten en een manifest met rijtellingen en auditketens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folder", required=True, type=Path, help="map waarin de back-up komt")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            target = make_backup(folder=options["folder"], now=timezone.localtime())
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Back-up gemaakt in {target}")
