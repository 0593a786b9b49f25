"""The floor for `make bench`: a bare WSGI app (no framework) doing the physical minimum of the caseload page.

Served by the same gunicorn configuration as the real app (same workers, worker class, loopback), measured in the
same run with the same load generator. Per request it:

1. reads the session row named by the `floorsession` cookie (one indexed SELECT on its own table
   `bench_floor_session`, filled by bench.py: the app's own session store may not be a table at all);
2. runs the worklist query (the caseload's first page: 25 open files of this klantregisseur by next deadline);
3. inserts one audit row (`bench_floor_audit`, a plain table without the hash chain) and commits, in the same
   transaction as the read, as the app does;
4. renders the 25 rows as an HTML table (escaped) and answers 200.

No session write, no CSRF, no template engine, no ORM: what is left is the database round trips, the commit and
the bytes. The app can never be faster than this on the same machine; the bench reports each page as a ratio to it.
The database connection is opened once per worker process (the real app keeps its connection too: CONN_MAX_AGE).
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterable
from http.cookies import SimpleCookie
from typing import Any

import psycopg

DATABASE_URL = os.environ["DATABASE_URL"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS bench_floor_session (
    session_key varchar(40) PRIMARY KEY,
    user_id bigint NOT NULL,
    gemeente_id bigint NOT NULL,
    expire_date timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS bench_floor_audit (
    id bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor_id bigint NOT NULL,
    gemeente_id bigint NOT NULL,
    event_type varchar(64) NOT NULL,
    changes jsonb NOT NULL
);
"""

SESSION_SQL = "SELECT user_id, gemeente_id FROM bench_floor_session WHERE session_key = %s AND expire_date > now()"
WORKLIST_SQL = """
SELECT f.id, f.status, f.next_deadline_on, f.next_deadline_kind, f.opened_on,
       p.given_names, p.surname_prefix, p.surname, p.birth_on
FROM clients_clientfile f
JOIN clients_person p ON p.id = f.person_id
WHERE f.gemeente_id = %s AND f.assigned_to_id = %s AND f.status NOT IN ('verhuisd', 'beeindigd')
ORDER BY f.next_deadline_on ASC NULLS LAST, f.id ASC
LIMIT 25
"""
AUDIT_SQL = (
    "INSERT INTO bench_floor_audit (actor_id, gemeente_id, event_type, changes) "
    'VALUES (%s, %s, \'caseload_viewed\', \'{"list": "caseload", "page": 1}\')'
)

_connection: psycopg.Connection[Any] | None = None


def connection() -> psycopg.Connection[Any]:
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(DATABASE_URL, autocommit=True)  # transactions are explicit
    return _connection


def render(rows: list[tuple[Any, ...]]) -> bytes:
    esc = html.escape
    out = [
        "<!DOCTYPE html><html lang=nl><head><meta charset=utf-8><title>Mijn caseload</title></head><body>",
        "<main><h1>Mijn caseload</h1><table><thead><tr><th>Naam</th><th>Geboren</th><th>Status</th>",
        "<th>Volgende termijn</th><th>Aangemeld op</th></tr></thead><tbody>",
    ]
    for pk, status, deadline_on, deadline_kind, opened_on, given, prefix, surname, birth_on in rows:
        name = " ".join(part for part in (given, prefix, surname) if part)
        out.append(
            f'<tr><td><a href="/dossiers/{pk}/">{esc(name)}</a></td><td>{birth_on:%d-%m-%Y}</td>'
            f"<td>{esc(status)}</td><td>{'' if deadline_on is None else f'{deadline_on:%d-%m-%Y}'} "
            f"{esc(deadline_kind or '')}</td><td>{opened_on:%d-%m-%Y}</td></tr>"
        )
    out.append("</tbody></table></main></body></html>")
    return "".join(out).encode()


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    key = cookie["floorsession"].value if "floorsession" in cookie else ""
    conn = connection()
    with conn.transaction():
        session = conn.execute(SESSION_SQL, [key]).fetchone()
        if session is None:
            start_response("302 Found", [("Location", "/login/"), ("Content-Length", "0")])
            return [b""]
        user_id, gemeente_id = session
        rows = conn.execute(WORKLIST_SQL, [gemeente_id, user_id]).fetchall()
        conn.execute(AUDIT_SQL, [user_id, gemeente_id])
    body = render(rows)
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
