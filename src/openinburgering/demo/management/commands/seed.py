"""`seed --clients N --gemeente GMxxxx`: synthetic volume for benchmarks and load tests.

Adds N client files to the gemeente, each with a person (valid synthetic BSN), often a household with a
partner and children, a status history along the workflow, notes and about ten audit events, assigned across
klantregisseurs made for the purpose (`seed-<gm>-kr-NNN`, 150 files each, in teams with a teamleider).

Runs are ADDITIVE (never idempotent by design): a second run adds N more clients with fresh BSNs that continue
after the highest one already present, so runs never collide. Check the count first if you want a fixed size
(`bench/run.sh` does).

For speed this command BYPASSES the services and writes rows with COPY; it is meant for benchmark and test
databases, never for a production database. `openinburgering.demo.volume` explains what it guarantees.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openinburgering.accounts.models import Gemeente
from openinburgering.core.dates import today
from openinburgering.demo.volume import seed_volume


class Command(BaseCommand):
    help = "Adds N synthetic clients (households, history, notes, audit events) to a gemeente, for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, default=1000, help="number of client files to add (default 1000)")
        parser.add_argument("--gemeente", default="GM0392", help="CBS code of the gemeente (default GM0392)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument("--caseworkers", type=int, default=None, help="klantregisseurs (default N/150, min 3)")

    def handle(self, *args: Any, **options: Any) -> None:
        clients = options["clients"]
        code = str(options["gemeente"]).upper()
        if clients < 1 or clients > 2_000_000:
            raise CommandError("--clients must be between 1 and 2,000,000.")
        if not Gemeente.objects.filter(code=code).exists():
            raise CommandError(f"Unknown gemeente {code!r} (expected a CBS code such as GM0392).")
        result = seed_volume(
            gemeente_code=code, clients=clients, seed=options["seed"], as_of=today(), caseworkers=options["caseworkers"]
        )
        timings = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
        self.stdout.write(
            f"Added {result.clients} clients to {code}: {result.persons} persons, {result.households} households "
            f"({result.members} members), {result.status_changes} status changes, {result.notes} notes, "
            f"{result.audit_events} audit events ({result.status_and_audit_rows} status/audit rows), "
            f"{result.caseworkers} klantregisseurs; BSNs {result.first_bsn}..{result.last_bsn}."
        )
        self.stdout.write(f"Time: {timings}")
