"""The caseworkers and teams a teamleider picks from on the team caseload, kept per gemeente while unchanged (#18).

A large gemeente has hundreds of klantregisseurs (the bench: 667). The team caseload shows them twice, in the
"Klantregisseur" filter and in "Gekozen dossiers toewijzen", and the teams once. Reading them, building the form
choices and rendering ~1,400 escaped ``<option>``s on every request was about 70 % of the page's CPU. Here they are
read and rendered once per version of the list and kept in the process:

- the version is an MD5 over exactly the rows the page shows (``selectors.caseworkers_for`` and ``teams_for``: id,
  names, username), computed by PostgreSQL. So a new or ended membership, a role change, a deactivated user, a
  renamed person or team changes the version, whatever way it was written (form, service, admin, bulk update);
- one query both checks the version and, only when the kept version differs, returns the rows: the page keeps its
  one query for the lists, and reads 700 rows only after a change (tests/clients/test_assignment_choices.py);
- the ``<option>`` HTML is rendered once per version (escaped as Django's Select does, tests/core/test_widgets.py);
  a request only marks its chosen option (``core.widgets.PrerenderedSelect``).

On SQLite (the zero-setup demo) the rows are read every time and the version is computed in Python.
Validation of a reassignment still goes through the querysets (``clients.views.reassign``).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import CharField, Value
from django.utils.safestring import SafeString

from openinburgering.accounts.actor import Actor
from openinburgering.core.widgets import render_options

from .selectors import Choice, caseworkers_for, teams_for

KEPT_VERSIONS = 400  # one per gemeente in practice; cleared when full (a change leaves the old version unused)


@dataclass(frozen=True)
class AssignmentChoices:
    version: str
    caseworkers: tuple[Choice, ...]
    teams: tuple[Choice, ...]
    caseworker_ids: frozenset[int]
    team_ids: frozenset[int]
    caseworker_options: SafeString  # the caseworkers' <option>s, escaped, none selected
    team_options: SafeString
    filter_ids: frozenset[str] = frozenset()  # the values the team caseload's "Klantregisseur" filter accepts


_kept: dict[int, AssignmentChoices] = {}
_compiled: dict[int, tuple[str, tuple[Any, ...]]] = {}
_lock = threading.Lock()


def _rows_query(actor: Actor) -> tuple[str, tuple[Any, ...]]:
    """The SQL of the two lists as one UNION ALL (kind, pk, a, b, c), compiled once per gemeente: the querysets
    depend on nothing else."""
    compiled = _compiled.get(actor.gemeente_id)
    if compiled is None:
        text = CharField()
        people = (
            caseworkers_for(actor)
            .order_by()
            .values_list(Value("user", output_field=text), "pk", "first_name", "last_name", "username")
        )
        teams = (
            teams_for(actor)
            .order_by()
            .values_list(
                Value("team", output_field=text), "pk", "name", Value("", output_field=text),
                Value("", output_field=text),
            )
        )  # fmt: skip
        sql, params = people.union(teams, all=True).query.sql_with_params()
        compiled = _compiled[actor.gemeente_id] = (sql, tuple(params))
    return compiled


def _python_version(rows: list[tuple[Any, ...]]) -> str:
    text = "\x1e".join("\x1f".join(str(part) for part in row) for row in sorted(rows, key=lambda r: (r[0], r[1])))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _read(actor: Actor, known: str) -> tuple[str, list[tuple[Any, ...]] | None]:
    """(version, rows): rows is None when the version equals ``known``."""
    sql, params = _rows_query(actor)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            rows = [tuple(row) for row in cursor.fetchall()]
            version = _python_version(rows)
            return version, (None if version == known else rows)
        # One query: the version of the rows, and the rows themselves only when the version is not the kept one.
        query = (
            "WITH r (kind, pk, a, b, c) AS (" + sql + "), "  # noqa: S608 -- Django's compiled queryset; values are params
            "v AS (SELECT md5(coalesce(string_agg(concat_ws(chr(31), r.kind, r.pk, r.a, r.b, r.c), chr(30) "
            "ORDER BY r.kind, r.pk), '')) AS version FROM r) "
            "SELECT v.version, r.kind, r.pk, r.a, r.b, r.c FROM v LEFT JOIN r ON v.version <> %s"
        )
        cursor.execute(query, (*params, known))
        result = cursor.fetchall()
    if result[0][1] is None and result[0][0] == known:
        return known, None
    return result[0][0], [tuple(row[1:]) for row in result if row[1] is not None]


def _build(version: str, rows: list[tuple[Any, ...]]) -> AssignmentChoices:
    users: list[tuple[str, str, int, str]] = []
    team_rows: list[tuple[str, int]] = []
    for kind, pk, first, last, username in rows:
        if kind == "user":
            users.append((first, last, pk, f"{first} {last}".strip() or username))
        else:
            team_rows.append((first, pk))
    caseworkers = tuple(Choice(pk, name) for _first, _last, pk, name in sorted(users))
    teams = tuple(Choice(pk, name) for name, pk in sorted(team_rows))
    return AssignmentChoices(
        version=version,
        caseworkers=caseworkers,
        teams=teams,
        caseworker_ids=frozenset(c.pk for c in caseworkers),
        team_ids=frozenset(t.pk for t in teams),
        caseworker_options=render_options((c.pk, c.display_name) for c in caseworkers),
        team_options=render_options((t.pk, t.display_name) for t in teams),
        filter_ids=frozenset({"", "0", *(str(c.pk) for c in caseworkers)}),  # once per version, not per request
    )


def assignment_choices(actor: Actor) -> AssignmentChoices:
    """The caseworkers (as ``caseworkers_for``) and teams (as ``teams_for``) of the actor's gemeente, sorted by
    name, with their ``<option>`` HTML; one query."""
    kept = _kept.get(actor.gemeente_id)
    version, rows = _read(actor, kept.version if kept else "")
    if rows is None and kept is not None:
        return kept
    built = _build(version, rows or [])
    with _lock:
        if len(_kept) >= KEPT_VERSIONS:
            _kept.clear()
        _kept[actor.gemeente_id] = built
    return built


def clear() -> None:
    """Forget every kept list (tests that flush the database reuse ids)."""
    _kept.clear()
    _compiled.clear()
