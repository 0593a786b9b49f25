"""Import DUO events from a JSON file (for gemeenten without the live DUO M2M connection in `interop.duo`).

    python -m django import_duo_events events.json --gemeente GM0392 [--user kim]

Prints one line per message (applied / duplicate / quarantined / rejected, with the Dutch reason) and a total.
Running it twice on the same file changes nothing: the second run reports every message as a duplicate.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Gemeente, Membership
from openinburgering.accounts.roles import Capability
from openinburgering.contrib.duo import EventSourceError, JsonFileEventSource
from openinburgering.signals.services import import_duo_events
from openinburgering.signals.system import system_actor


class Command(BaseCommand):
    help = "Import DUO events (JSON file) for one gemeente, with a result per message."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help='JSON file: one event, a list of events, or {"events": [...]}')
        parser.add_argument("--gemeente", required=True, help="CBS code of the receiving gemeente, e.g. GM0392")
        parser.add_argument("--user", default="", help="Act as this staff user (default: the koppeling-duo account)")

    def handle(self, *args: Any, **options: Any) -> None:
        gemeente = Gemeente.objects.filter(code=str(options["gemeente"]).upper(), is_active=True).first()
        if gemeente is None:
            raise CommandError("Onbekende of niet-actieve gemeente.")
        actor = self._actor(gemeente, options["user"])
        try:
            events = list(JsonFileEventSource(options["path"]).events())
        except EventSourceError as exc:
            raise CommandError(exc.message) from None
        report = import_duo_events(actor=actor, events=events, via="command")
        for result in report.results:
            ident = result.external_id or "(geen berichtId)"
            self.stdout.write(f"{result.index + 1:>4} {ident}: {result.result} - {result.reason}")
        counts = ", ".join(f"{code} {count}" for code, count in report.counts.items())
        self.stdout.write(f"Totaal {report.total}: {counts}")

    def _actor(self, gemeente: Gemeente, username: str) -> Actor:
        if not username:
            return system_actor(gemeente)
        membership = (
            Membership.objects.select_related("user", "gemeente", "role", "team")
            .filter(user__username=username, user__is_active=True, gemeente=gemeente, is_active=True)
            .first()
        )
        if membership is None:
            raise CommandError("Deze gebruiker werkt niet (actief) voor deze gemeente.")
        actor = Actor(user=membership.user, membership=membership)
        if not actor.can(Capability.RECEIVE_SIGNALS):
            raise CommandError("Deze gebruiker mag geen signalen inlezen.")
        return actor
