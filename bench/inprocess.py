"""In process: queries and CPU ms per request of a page, and a cProfile summary (part of `make bench`, and on its
own with `BENCH_ONLY=inprocess`: no gunicorn and no wrk, for profiling on a small seeded database).

Every request goes through Django's test client: the same handler, middleware and settings as under gunicorn,
without HTTP. The CPU is the Python process's only (time.process_time), not PostgreSQL's. The template share is
the cumulative CPU time under the template backends' render() in the profiled run (cProfile with a CPU clock),
divided by the number of requests; cProfile slows everything it measures, so the share is the figure to read, not
the milliseconds. Work that a template triggers (a lazy query, a form widget) counts as template time."""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

TEMPLATE_RENDER = (
    ("django/template/backends/django.py", "render"),
    ("django/template/backends/jinja2.py", "render"),
)


class Req(Protocol):
    method: str
    path: str
    headers: dict[str, str]
    body: str


class Page(Protocol):
    key: str
    title: str
    persona: str
    build: Callable[[Any, int], Any]


def logged_in_clients(usernames: Sequence[str], login_path: str, password: str) -> dict[str, Any]:
    """One logged-in Django test client per bench user (the real login form, as in the browser)."""
    from django.test import Client

    clients: dict[str, Any] = {}
    for name in usernames:
        client = Client()
        response = client.post(login_path, {"username": name, "password": password})
        if response.status_code != 302:
            raise SystemExit(f"in-process login of {name} failed: HTTP {response.status_code}")
        clients[name] = client
    return clients


def portal_sessions(bsns: Sequence[str]) -> list[str]:
    """A logged-in portal session per BSN, as the DigiD login leaves it (mijn.signals.portal_login): the same
    backend maps the BSN to the client's portal user; the session is written to the configured session store, so
    the gunicorn workers and the test client both find it by its cookie."""
    import time as clock

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import SessionBase
    from django.utils.module_loading import import_string

    from openinburgering.mijn.backends import portal_user_for_bsn
    from openinburgering.mijn.languages import SESSION_KEY as LANGUAGE_KEY
    from openinburgering.mijn.middleware import ACCOUNT_SESSION_KEY, ACTIVITY_SESSION_KEY
    from openinburgering.mijn.models import PortalAccount

    store: type[SessionBase] = import_string(settings.SESSION_ENGINE + ".SessionStore")
    keys = []
    for bsn in bsns:
        user = portal_user_for_bsn(bsn)
        if user is None:
            raise SystemExit(f"no portal user for the bench file with BSN ending {bsn[-3:]}")
        account = PortalAccount.objects.get(user=user)
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "openinburgering.mijn.backends.PortalDigidBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[ACCOUNT_SESSION_KEY] = account.pk
        session[ACTIVITY_SESSION_KEY] = clock.time()
        session[LANGUAGE_KEY] = account.language
        session.create()
        assert session.session_key is not None
        keys.append(session.session_key)
    return keys


def template_ms(profiler: cProfile.Profile, requests: int) -> float:
    """Cumulative ms under the template backends' render() per request, from the profile."""
    stats = pstats.Stats(profiler)
    total = 0.0
    for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]  # pstats keeps its table untyped
        if any(filename.endswith(path) and name == func for path, func in TEMPLATE_RENDER):
            total += cumulative
    return round(total * 1000 / requests, 2)


def measure(page: Page, people: Sequence[Any], clients: dict[str, Any], profile_dir: Path, count: int) -> dict:
    """Queries and CPU ms per request of one page (median of `count` requests after a warm-up), the SQL of one
    request and a cProfile of `count` more. The floor is called as a WSGI app."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous = Client()

    def call(n: int) -> int:
        user = people[n % len(people)]
        req: Req = page.build(user, n)
        if page.persona == "floor":
            import floor

            status: list[str] = []
            environ = {"REQUEST_METHOD": "GET", "PATH_INFO": req.path, "HTTP_COOKIE": req.headers["Cookie"]}
            b"".join(floor.app(environ, lambda s, h: status.append(s)))
            return int(status[0].split()[0])
        # An API call carries only its token and a portal client its own session cookie (as under wrk): neither
        # sends the staff session of the logged-in test client.
        client = anonymous if page.persona in ("api", "portal") else clients[user.username]
        extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in req.headers.items() if k != "Content-Type"}
        if req.method == "GET":
            return int(client.get(req.path, **extra).status_code)
        content_type = req.headers.get("Content-Type", "application/x-www-form-urlencoded")
        return int(client.generic("POST", req.path, req.body, content_type=content_type, **extra).status_code)

    for n in range(5):  # warm-up: imports, template loading, connections
        status = call(n)
        if status != 200:
            return {"error": f"HTTP {status}"}
    queries: list[int] = []
    if page.persona != "floor":
        for n in range(3):
            with CaptureQueriesContext(connection) as captured:
                call(n)
            queries.append(len(captured.captured_queries))
        (profile_dir / f"{page.key}-queries.txt").write_text(
            "\n\n".join(q["sql"] for q in captured.captured_queries) + "\n", encoding="utf-8"
        )
    cpu: list[float] = []
    wall: list[float] = []
    for n in range(count):
        c0, w0 = time.process_time(), time.perf_counter()
        call(n)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    profiler = cProfile.Profile(time.process_time)  # CPU time, like the figures: not waits for PostgreSQL
    profiler.enable()
    p0 = time.process_time()
    for n in range(count):
        call(n)
    profiled_ms = (time.process_time() - p0) * 1000 / count
    profiler.disable()
    rendering = template_ms(profiler, count)
    out = io.StringIO()
    out.write(
        f"# {page.title}: {count} requests in process under cProfile\n\n"
        f"Template rendering: {rendering} ms of {profiled_ms:.2f} ms CPU per request under the profiler "
        f"({100 * rendering / profiled_ms:.0f} %).\n\n## by cumulative time\n"
    )
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(45)
    out.write("\n## by own time\n")
    stats.sort_stats("tottime").print_stats(30)
    (profile_dir / f"{page.key}.txt").write_text(out.getvalue(), encoding="utf-8")
    return {
        "queries": max(queries) if queries else 3,  # the floor: session, worklist, audit insert
        "cpu_ms": round(statistics.median(cpu), 2),
        "wall_ms": round(statistics.median(wall), 2),
        "template_share": round(rendering / profiled_ms, 2) if profiled_ms else None,
    }


def summary(title: str, measured: dict[str, dict], titles: dict[str, str]) -> str:
    """The in-process table of a BENCH_ONLY=inprocess run (Markdown)."""
    lines = [
        f"# {title}",
        "",
        "| page | queries | CPU ms (median) | wall ms (median) | template share of CPU (profiled) |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, row in measured.items():
        if "error" in row:
            lines.append(f"| {titles[key]} | — | — | — | {row['error']} |")
            continue
        share = "—" if row.get("template_share") is None else f"{100 * row['template_share']:.0f} %"
        lines.append(f"| {titles[key]} | {row['queries']} | {row['cpu_ms']} | {row['wall_ms']} | {share} |")
    return "\n".join(lines) + "\n"
