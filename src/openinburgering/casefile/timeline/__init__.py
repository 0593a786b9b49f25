"""The timeline of a client file: every step, with who and when, built from the records themselves (issue #11
item 5).

Each *source* is one kind of record of the file; each of its *branches* gives one kind of moment of it (an oproep
planned, its outcome) as rows of the same columns (:func:`.entries.shape`). :func:`timeline_for` puts the branches
of every source the actor may see into one ``UNION ALL``, newest first, the limit applied in SQL, and turns the rows
into :class:`TimelineEntry` items. So the timeline costs one query, however long the file's history and however
many sources it has (#18; it was one query per source).

With a ``limit`` the newest ``limit`` entries are read; without, the whole history ("toon alles").

Records without an actor of their own (a voortgangsgesprek, a household member) take the who from the audit
event their service wrote; what was written before there was an audit event says "niet vastgelegd".
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from django.db import connection
from django.utils.dateparse import parse_datetime

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.clients.access import visible_sections
from openinburgering.clients.models import ClientFile

from .before_pip import CHANGES, INTAKES, LEEFGEBIEDEN, NOTES, OPROEPEN, ROUTES, STATUS_CHANGES, TOETSEN
from .entries import COLUMNS, SYSTEM_ACTOR, TIMELINE_KINDS, UNKNOWN_ACTOR, Branch, Row, Source, TimelineEntry
from .execution import (
    ACHIEVEMENTS,
    AFSCHALEN,
    EXAM_CONFIRMATIONS,
    EXAMS,
    FINE_BEZWAREN,
    FINE_DECISIONS,
    FINE_PROPOSALS,
    MILESTONES,
    PLAATSINGEN,
    VERVOLG,
)
from .plans import LETTERS, PIP_BEZWAREN, PIP_EVENTS, SIGNALS, TALKS

__all__ = [
    "SOURCES",
    "SOURCE_COUNT",
    "SYSTEM_ACTOR",
    "TIMELINE_KINDS",
    "TIMELINE_QUERIES",
    "UNKNOWN_ACTOR",
    "Source",
    "TimelineEntry",
    "timeline_for",
]

SOURCES: tuple[Source, ...] = (
    Source("status", "Statuswijzigingen", STATUS_CHANGES, Section.BASIS),
    Source("note", "Notities", NOTES, Section.NOTITIES),
    Source("change", "Gewijzigde gegevens en het huishouden", CHANGES, Section.BASIS),
    Source("oproep", "Oproepen en hun uitkomst", OPROEPEN, Section.INTAKE),
    Source("intake", "Brede intake", INTAKES, Section.INTAKE),
    Source("intake_step", "Stappen van de brede intake (leefgebieden)", LEEFGEBIEDEN, Section.INTAKE),
    Source("toets", "Leerbaarheidstoets", TOETSEN, Section.INTAKE),
    Source("route", "Gekozen leerroute", ROUTES, Section.INTAKE),
    Source("pip", "PIP-versies: concept, goedkeuring, reactie", PIP_EVENTS, Section.PIP),
    Source("bezwaar", "Bezwaar tegen een PIP", PIP_BEZWAREN, Section.PIP),
    Source("voortgang", "Voortgangsgesprekken", TALKS, Section.PIP),
    Source("letter", "Brieven", LETTERS, Section.DOCUMENTEN),
    Source("signal", "Signalen van DUO en COA", SIGNALS, Section.BASIS, capability=Capability.VIEW_SIGNALS),
    Source("plaatsing", "Plaatsingen bij aanbieders", PLAATSINGEN, Section.VOORTGANG),
    Source("milestone", "Voortgang van de aanbieder", MILESTONES, Section.VOORTGANG),
    Source("exam", "Examens", EXAMS, Section.VOORTGANG),
    Source("exam_confirmation", "Examens bevestigd door de gemeente", EXAM_CONFIRMATIONS, Section.HANDHAVING),
    Source("achievement", "Behaalde onderdelen", ACHIEVEMENTS, Section.HANDHAVING),
    Source("fine_proposal", "Boetevoorstellen", FINE_PROPOSALS, Section.HANDHAVING),
    Source("fine_decision", "Boetebesluiten", FINE_DECISIONS, Section.HANDHAVING),
    Source("fine_bezwaar", "Bezwaar tegen een boete", FINE_BEZWAREN, Section.HANDHAVING),
    Source("afschalen", "Afschalen", AFSCHALEN, Section.VOORTGANG),
    Source("vervolg", "Vervolg na de inburgering", VERVOLG, Section.BEGELEIDING),
)
SOURCE_COUNT = len(SOURCES)
TIMELINE_QUERIES = 1
"""The timeline of a file costs one query (the union of its sources), however long its history."""

_TALK_AT = {
    "postgresql": "CAST(CAST({column} AS jsonb) ->> 'at' AS timestamptz)",
    "sqlite": "json_extract({column}, '$.at')",
}


# The SQL below is put together from Django's compiled SQL of each branch and fixed column names; every value is a
# parameter.


def _branch_sql(branch: Branch, client_file: ClientFile, src: int) -> tuple[str, list[Any]]:
    sql, params = branch.rows(client_file, src).query.sql_with_params()
    if branch.at_in_json is None:
        return f"SELECT * FROM ({sql}) AS b{src}", list(params)  # noqa: S608 -- see above
    # The moment is in a JSON column (one subquery on the audit table instead of two): take it, else "at".
    moment = _TALK_AT[connection.vendor].format(column=branch.at_in_json)
    columns = ", ".join(f"COALESCE({moment}, at) AS at" if column == "at" else column for column in COLUMNS)
    return f"SELECT {columns} FROM ({sql}) AS b{src}", list(params)  # noqa: S608 -- see above


def _moment(value: Any) -> Any:
    """A moment as the database gives it: aware on PostgreSQL, text in UTC on SQLite."""
    if isinstance(value, str):
        moment = parse_datetime(value) or datetime.fromisoformat(value)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return value


def _row(values: tuple[Any, ...]) -> Row:
    row = dict(zip(COLUMNS, values, strict=True))
    row["at"], row["moment"] = _moment(row["at"]), _moment(row["moment"])
    if isinstance(row["d"], str):
        row["d"] = date.fromisoformat(row["d"])
    return Row(**row)


_FILE = -7_240_917_313
"""A file id no file has: the union is compiled once for it, and each request puts its file's id in its place."""


@lru_cache(maxsize=64)
def _union_sql(shown: tuple[int, ...], vendor: str) -> tuple[str, tuple[Any, ...]]:
    """The union of the branches of the sources ``shown`` (their places in SOURCES), with :data:`_FILE` for the
    file's id among its parameters. Compiled once per set of sources (a role sees one set): compiling its ~27
    querysets was the largest part of the file page's CPU (#18). ``vendor`` keys the cache on the SQL dialect."""
    placeholder = ClientFile(pk=_FILE)
    branches = [branch for index in shown for branch in SOURCES[index].branches]
    parts = [_branch_sql(branch, placeholder, src) for src, branch in enumerate(branches)]
    if any(_FILE not in part_params for _, part_params in parts):
        raise AssertionError("every branch of the timeline filters on the file")
    columns = ", ".join(COLUMNS)
    union = " UNION ALL ".join(sql for sql, _ in parts)
    # Newest first; at the same moment in the order of SOURCES, then the newest record (as the sources read them).
    sql = f"SELECT {columns} FROM ({union}) AS timeline ORDER BY at DESC, src ASC, rid DESC"  # noqa: S608 -- see above
    return sql, tuple(param for _, part_params in parts for param in part_params)


def timeline_for(
    *,
    actor: Actor,
    client_file: ClientFile,
    limit: int | None = None,
    sections: frozenset[Section] | None = None,
) -> list[TimelineEntry]:
    """Everything that happened in the file that the actor may see, newest first (at most ``limit`` entries):
    only the sources of the sections the actor may read (need to know). One query: the union of the branches of
    the visible sources, ordered and cut in SQL. The caller has opened the file through ``access_client_file``
    and audits the read; a caller that has the actor's ``visible_sections`` of the file already passes them (the
    health consent is read once per page, #18)."""
    if sections is None:
        sections = visible_sections(actor, client_file)
    shown = tuple(
        index
        for index, source in enumerate(SOURCES)
        if source.section in sections and (source.capability is None or actor.can(source.capability))
    )
    if not shown:
        return []
    branches = [branch for index in shown for branch in SOURCES[index].branches]
    sql, template = _union_sql(shown, connection.vendor)
    params = [client_file.pk if param == _FILE else param for param in template]
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [_row(values) for values in cursor.fetchall()]
    return [branches[row.src].entry(row) for row in rows]
