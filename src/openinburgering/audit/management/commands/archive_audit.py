"""``python -m django archive_audit``: detach, export and drop the audit table's months older than
``AUDIT_ONLINE_MONTHS`` (PostgreSQL; `audit.archive` says exactly what happens to the data).

Run it as the owner of the audit table (like migrations), not as the application's role. ``--dry-run`` only lists
the months that are due. Idempotent: a second run archives nothing new; a run after a crash finishes the month it
stopped in. Exit status 1 when a month could not be archived."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from openinburgering.audit import archive, partitions
from openinburgering.core.dates import today


class Command(BaseCommand):
    help = "Archiveer maanden van het auditlogboek ouder dan AUDIT_ONLINE_MONTHS: loskoppelen, exporteren, verwijderen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Alleen tonen welke maanden aan de beurt zijn.")
        parser.add_argument("--folder", default="", help="Map voor de export (standaard AUDIT_ARCHIVE_DIR).")
        parser.add_argument("--as-of", default="", help="Peildatum JJJJ-MM-DD (standaard vandaag).")
        parser.add_argument(
            "--online-months", type=int, default=0, help="Maanden die in de database blijven (standaard de instelling)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not partitions.is_partitioned():
            self.stdout.write("Niets te doen: deze database (SQLite) deelt het auditlogboek niet op in maanden.")
            return
        online_months = options["online_months"] or settings.AUDIT_ONLINE_MONTHS
        if online_months < 1:
            raise CommandError("AUDIT_ONLINE_MONTHS moet minstens 1 zijn.")
        try:
            as_of = date.fromisoformat(options["as_of"]) if options["as_of"] else today()
        except ValueError as exc:
            raise CommandError("--as-of moet een datum zijn als 2034-01-31.") from exc
        folder_name = options["folder"] or settings.AUDIT_ARCHIVE_DIR
        if not folder_name and not options["dry_run"]:
            raise CommandError("Geef een map voor de export: --folder of de instelling AUDIT_ARCHIVE_DIR.")
        folder = Path(folder_name or ".").resolve()
        before = archive.cutoff(today=as_of, online_months=online_months)
        prefix = "PROEFDRAAI: er is niets gewijzigd. " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}Auditlogboek: maanden vóór {before:%m-%Y} gaan naar het archief ({folder}).")
        if not options["dry_run"]:
            adopted = archive.adopt_default_rows(before=before)
            if adopted:
                self.stdout.write(f"{adopted} oude maand(en) uit het restdeel een eigen deel gegeven.")
        failed = 0
        for partition in archive.due_partitions(today=as_of, online_months=online_months):
            try:
                outcome = archive.archive_due_one(partition, folder=folder, dry_run=options["dry_run"])
            except archive.ArchiveError as exc:
                failed += 1
                self.stdout.write(f"FOUT  {exc}")
                continue
            verb = "te archiveren" if not outcome.archived else "gearchiveerd naar " + outcome.folder
            self.stdout.write(f"{outcome.partition}: {outcome.event_count} gebeurtenissen {verb}")
        if not failed:
            self.stdout.write("Klaar.")
        else:
            raise CommandError(f"{failed} maand(en) niet gearchiveerd; zie de regels met FOUT.")
