"""The timeline of a client file: every step, with who and when, built from the records themselves (issue #11
item 5).

Each *source* reads one kind of record of the file in one query (with its users joined) and turns its rows into
:class:`TimelineEntry` items; :func:`timeline_for` runs every source the actor may see and merges them, newest
first. So the timeline costs one query per source, however long the file's history (:data:`SOURCE_COUNT`).

With a ``limit`` every source reads at most ``limit`` rows and the merged list is cut to ``limit``: the newest
``limit`` entries (a row that gives two entries, such as an oproep planned and its outcome, is ordered by its
first moment). Without a limit the whole history is read ("toon alles").

Records without an actor of their own (a voortgangsgesprek, a household member) take the who from the audit
event their service wrote; what was written before there was an audit event says "niet vastgelegd".
"""

from __future__ import annotations

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.clients.models import ClientFile

from .before_pip import changes, intakes, leefgebieden, notes, oproepen, routes, status_changes, toetsen
from .entries import SYSTEM_ACTOR, TIMELINE_KINDS, UNKNOWN_ACTOR, Source, TimelineEntry
from .execution import (
    achievements,
    afschalen,
    exam_confirmations,
    exams,
    fine_bezwaren,
    fine_decisions,
    fine_proposals,
    milestones,
    plaatsingen,
    vervolg,
)
from .plans import letters, pip_bezwaren, pip_events, signals, talks

__all__ = [
    "SOURCES",
    "SOURCE_COUNT",
    "SYSTEM_ACTOR",
    "TIMELINE_KINDS",
    "UNKNOWN_ACTOR",
    "Source",
    "TimelineEntry",
    "timeline_for",
]

SOURCES: tuple[Source, ...] = (
    Source("status", "Statuswijzigingen", status_changes),
    Source("note", "Notities", notes),
    Source("change", "Gewijzigde gegevens en het huishouden", changes),
    Source("oproep", "Oproepen en hun uitkomst", oproepen),
    Source("intake", "Brede intake", intakes),
    Source("intake_step", "Stappen van de brede intake (leefgebieden)", leefgebieden),
    Source("toets", "Leerbaarheidstoets", toetsen),
    Source("route", "Gekozen leerroute", routes),
    Source("pip", "PIP-versies: concept, goedkeuring, reactie", pip_events),
    Source("bezwaar", "Bezwaar tegen een PIP", pip_bezwaren),
    Source("voortgang", "Voortgangsgesprekken", talks),
    Source("letter", "Brieven", letters),
    Source("signal", "Signalen van DUO en COA", signals, capability=Capability.VIEW_SIGNALS),
    Source("plaatsing", "Plaatsingen bij aanbieders", plaatsingen),
    Source("milestone", "Voortgang van de aanbieder", milestones),
    Source("exam", "Examens", exams),
    Source("exam_confirmation", "Examens bevestigd door de gemeente", exam_confirmations),
    Source("achievement", "Behaalde onderdelen", achievements),
    Source("fine_proposal", "Boetevoorstellen", fine_proposals),
    Source("fine_decision", "Boetebesluiten", fine_decisions),
    Source("fine_bezwaar", "Bezwaar tegen een boete", fine_bezwaren),
    Source("afschalen", "Afschalen", afschalen),
    Source("vervolg", "Vervolg na de inburgering", vervolg),
)
SOURCE_COUNT = len(SOURCES)
"""One query per source: the timeline of a file costs at most this many queries, however long its history."""


def timeline_for(*, actor: Actor, client_file: ClientFile, limit: int | None = None) -> list[TimelineEntry]:
    """Everything that happened in the file that the actor may see, newest first (at most ``limit`` entries).
    The caller has opened the file through ``access_client_file`` and audits the read."""
    entries: list[TimelineEntry] = []
    for source in SOURCES:
        if source.capability is None or actor.can(source.capability):
            entries.extend(source.read(client_file, limit))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries if limit is None else entries[:limit]
