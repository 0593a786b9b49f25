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
from openinburgering.accounts.sections import Section
from openinburgering.clients.access import visible_sections
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
    Source("status", "Statuswijzigingen", status_changes, Section.BASIS),
    Source("note", "Notities", notes, Section.NOTITIES),
    Source("change", "Gewijzigde gegevens en het huishouden", changes, Section.BASIS),
    Source("oproep", "Oproepen en hun uitkomst", oproepen, Section.INTAKE),
    Source("intake", "Brede intake", intakes, Section.INTAKE),
    Source("intake_step", "Stappen van de brede intake (leefgebieden)", leefgebieden, Section.INTAKE),
    Source("toets", "Leerbaarheidstoets", toetsen, Section.INTAKE),
    Source("route", "Gekozen leerroute", routes, Section.INTAKE),
    Source("pip", "PIP-versies: concept, goedkeuring, reactie", pip_events, Section.PIP),
    Source("bezwaar", "Bezwaar tegen een PIP", pip_bezwaren, Section.PIP),
    Source("voortgang", "Voortgangsgesprekken", talks, Section.PIP),
    Source("letter", "Brieven", letters, Section.DOCUMENTEN),
    Source("signal", "Signalen van DUO en COA", signals, Section.BASIS, capability=Capability.VIEW_SIGNALS),
    Source("plaatsing", "Plaatsingen bij aanbieders", plaatsingen, Section.VOORTGANG),
    Source("milestone", "Voortgang van de aanbieder", milestones, Section.VOORTGANG),
    Source("exam", "Examens", exams, Section.VOORTGANG),
    Source("exam_confirmation", "Examens bevestigd door de gemeente", exam_confirmations, Section.HANDHAVING),
    Source("achievement", "Behaalde onderdelen", achievements, Section.HANDHAVING),
    Source("fine_proposal", "Boetevoorstellen", fine_proposals, Section.HANDHAVING),
    Source("fine_decision", "Boetebesluiten", fine_decisions, Section.HANDHAVING),
    Source("fine_bezwaar", "Bezwaar tegen een boete", fine_bezwaren, Section.HANDHAVING),
    Source("afschalen", "Afschalen", afschalen, Section.VOORTGANG),
    Source("vervolg", "Vervolg na de inburgering", vervolg, Section.BEGELEIDING),
)
SOURCE_COUNT = len(SOURCES)
"""One query per source: the timeline of a file costs at most this many queries, however long its history."""


def timeline_for(*, actor: Actor, client_file: ClientFile, limit: int | None = None) -> list[TimelineEntry]:
    """Everything that happened in the file that the actor may see, newest first (at most ``limit`` entries):
    only the sources of the sections the actor may read (need to know). The caller has opened the file through
    ``access_client_file`` and audits the read."""
    sections = visible_sections(actor, client_file)
    entries: list[TimelineEntry] = []
    for source in SOURCES:
        if source.section in sections and (source.capability is None or actor.can(source.capability)):
            entries.extend(source.read(client_file, limit))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries if limit is None else entries[:limit]
