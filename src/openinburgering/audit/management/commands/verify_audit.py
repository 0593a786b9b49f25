"""``python -m django verify_audit``: check the hash chain of every gemeente and report the first broken link.

Read-only. Prints one line per chain with its head (sequence number and hash) to keep outside the database, and
exits with status 1 when any chain is broken or an event was never sealed (#12 item 7)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openinburgering.audit.chain import verify_chains


class Command(BaseCommand):
    help = "Controleer de hashketen van het auditlogboek per gemeente; meldt de eerste breuk."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = 0
        for report in verify_chains():
            if report.first_break is None:
                archived = f" (waarvan {report.archived} in het archief)" if report.archived else ""
                self.stdout.write(
                    f"OK    keten {report.chain}: {report.length} gebeurtenissen{archived}, "
                    f"kop #{report.head_seq} {report.head_hash}"
                )
            else:
                broken += 1
                self.stdout.write(
                    f"BREUK keten {report.chain}: {report.first_break} "
                    f"(laatste goede schakel #{report.head_seq} {report.head_hash or '-'})"
                )
        if broken:
            raise CommandError(f"{broken} keten(s) gebroken: het auditlogboek is gewijzigd buiten de applicatie om.")
