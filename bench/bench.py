"""`make bench`: seeds 100,000 clients into a separate PostgreSQL database, serves the app with gunicorn
(production settings, DEBUG off) on loopback, and measures the main pages at 1 and 16 concurrent users, next
to the same worklist as one raw SQL query (the floor). Writes bench/results/<date>.json and .md and replaces
the README's benchmark section.

Steps (each printed with its time):
1. database `openinburgering_bench` (BENCH_DATABASE): reused when it already holds BENCH_CLIENTS seeded
   clients, otherwise dropped, recreated, migrated and seeded with `seed --clients N`;
2. bench users (volume klantregisseurs and teamleiders) get a password; API tokens are made with
   `accounts.tokens.create_api_token`;
3. gunicorn on 127.0.0.1:<free port>, 4 sync workers (BENCH_WORKERS), stopped at the end whatever happens;
4. each scenario: warm-up, then 1 user x BENCH_REQUESTS_1 requests and 16 users x BENCH_REQUESTS_16 requests
   in total (threads, one requests.Session each, one bench user each);
5. the floor: the worklist query as one SQL statement through psycopg, same concurrency;
6. EXPLAIN ANALYZE of the worklist and team-caseload queries, for the report.

A page that does not exist (URL name missing, or not 200 on the smoke request) is reported as missing and
the run exits non-zero: no number is made up.
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import monitoring_bench
import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")

ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DATABASE", "openinburgering_bench")
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "100000"))
GEMEENTE = os.environ.get("BENCH_GEMEENTE", "GM0392")
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
REQUESTS_1 = int(os.environ.get("BENCH_REQUESTS_1", "200"))
REQUESTS_16 = int(os.environ.get("BENCH_REQUESTS_16", "400"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "20"))
ONLY = os.environ.get("BENCH_ONLY", "")  # "monitoring": only the in-process upload and dashboard measurements
CONCURRENCY = (1, 16)
TARGET_P95_MS = 100.0
TARGET_FLOOR_RATIO = 2.0
PASSWORD = "Bench-" + secrets.token_urlsafe(12)
PIDFILE = ROOT / ".cache" / "bench-gunicorn.pid"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def log(message: str) -> None:
    # UTC: django.setup() switches the process to TIME_ZONE halfway through the run.
    print(f"[bench {datetime.now(UTC):%H:%M:%S}Z] {message}", flush=True)


def db_url(name: str) -> str:
    parsed = urlparse(ADMIN_URL)
    return parsed._replace(path="/" + name).geturl()


BENCH_URL = db_url(DB_NAME)
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "openinburgering.conf.production",
    "DATABASE_URL": BENCH_URL,
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
    "DEBUG": "false",
    "LOG_LEVEL": "WARNING",
    "PYTHONDONTWRITEBYTECODE": "1",
}


def manage(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PY, "-m", "django", *args], env=ENV, cwd=ROOT, check=True, text=True, capture_output=True)


# --- 1. database --------------------------------------------------------------------------------------------


def seeded_clients() -> int | None:
    try:
        with psycopg.connect(BENCH_URL, connect_timeout=5) as conn:
            row = conn.execute(
                "SELECT count(*) FROM clients_clientfile f JOIN accounts_gemeente g ON g.id = f.gemeente_id "
                "WHERE g.code = %s",
                [GEMEENTE],
            ).fetchone()
            return int(row[0]) if row else 0
    except psycopg.Error:
        return None


def prepare_database(report: dict[str, Any]) -> None:
    existing = seeded_clients()
    if existing == CLIENTS:
        log(f"reusing {DB_NAME}: it holds {existing} clients in {GEMEENTE}")
        started = time.perf_counter()
        manage("migrate", "--noinput", "-v0")
        manage("refresh_deadlines", "--gemeente", GEMEENTE)  # the daily job, as on a real server
        report["database"] = {"reused": True, "clients": existing, "seed_seconds": None}
        report["timings"]["migrate_refresh_s"] = round(time.perf_counter() - started, 1)
        return
    log(f"(re)creating {DB_NAME} (found {existing} clients, want {CLIENTS})")
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    started = time.perf_counter()
    manage("migrate", "--noinput", "-v0")
    report["timings"]["migrate_s"] = round(time.perf_counter() - started, 1)
    log(f"migrated in {report['timings']['migrate_s']} s; seeding {CLIENTS} clients")
    started = time.perf_counter()
    out = manage("seed", "--clients", str(CLIENTS), "--gemeente", GEMEENTE).stdout
    seconds = time.perf_counter() - started
    log(out.strip().replace("\n", " | "))
    report["database"] = {"reused": False, "clients": CLIENTS, "seed_seconds": round(seconds, 1), "seed_output": out}


def table_counts() -> dict[str, int]:
    tables = ("clients_person", "clients_clientfile", "households_household", "households_householdmember",
              "clients_statuschange", "clients_note", "audit_auditevent")  # fmt: skip
    with psycopg.connect(BENCH_URL) as conn:
        return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}  # type: ignore[index]  # fetchone() is typed Optional; these queries always return a row


# --- 2. users, tokens, URLs (Django in this process, on the bench database) -------------------------------


@dataclass
class BenchUser:
    username: str
    file_ids: list[int] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    token: str = ""


@dataclass
class Setup:
    caseworkers: list[BenchUser]
    teamleaders: list[BenchUser]
    urls: dict[str, str | None]
    floor_params: list[tuple[int, int]]  # (gemeente_id, user_id) per caseworker
    explain: dict[str, str]


def django_setup() -> Setup:
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.urls import NoReverseMatch, reverse

    from openinburgering.accounts.actor import Actor
    from openinburgering.accounts.models import LoginThrottle, Membership, User
    from openinburgering.accounts.tokens import create_api_token
    from openinburgering.clients.models import ClientFile
    from openinburgering.clients.selectors import CaseloadFilters, caseload_for
    from openinburgering.core.dates import today

    prefix = f"seed-{GEMEENTE.lower()}"
    count = max(CONCURRENCY)
    caseworkers = [BenchUser(f"{prefix}-kr-{i:03d}") for i in range(1, count + 1)]
    teamleaders = [BenchUser(f"{prefix}-tl-{i:02d}") for i in range(1, count + 1)]
    names = [u.username for u in caseworkers + teamleaders]
    password_hash = make_password(PASSWORD)  # one hash for every bench user: the login cost stays real
    User.objects.filter(username__in=names).update(password=password_hash, is_active=True)
    LoginThrottle.objects.all().delete()  # no waits left from an earlier run
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    missing_users = sorted(set(names) - set(users))
    if any(u.username not in users for u in caseworkers) or teamleaders[0].username not in users:
        raise SystemExit(f"bench users missing from the seeded database: {missing_users[:5]}...")
    # A small seed has fewer teams than 16: the teamleiders that exist are then shared by several threads.
    teamleaders = [t for t in teamleaders if t.username in users]
    teamleaders = [teamleaders[i % len(teamleaders)] for i in range(count)]
    floor_params: list[tuple[int, int]] = []
    explain: dict[str, str] = {}
    for bench_user in caseworkers:
        membership = Membership.objects.select_related("gemeente", "role", "team").get(
            user=users[bench_user.username], gemeente__code=GEMEENTE, role__code="klantregisseur"
        )
        files = list(
            ClientFile.objects.filter(assigned_to=membership.user, gemeente=membership.gemeente)
            .exclude(status__in=("verhuisd", "beeindigd"))
            .select_related("person")
            .order_by("pk")[:60]
        )
        bench_user.file_ids = [f.pk for f in files]
        bench_user.queries = []
        for index, client_file in enumerate(files[:30]):
            person = client_file.person
            kind = index % 3
            bench_user.queries.append(
                person.bsn if kind == 0 else person.surname if kind == 1 else f"{person.birth_on:%d-%m-%Y}"
            )
        bench_user.token = create_api_token(membership=membership, name="bench")[1]
        floor_params.append((membership.gemeente_id, membership.user_id))
        if not explain:
            actor = Actor(user=membership.user, membership=membership)
            mine = caseload_for(actor=actor, scope="mine", filters=CaseloadFilters(), as_of=today(), soon_days=14)
            explain["worklist (Django queryset, first page)"] = mine[:25].explain(analyze=True)
    leader = Membership.objects.select_related("gemeente", "role", "team").get(
        user=users[teamleaders[0].username], gemeente__code=GEMEENTE, role__code="teamleider"
    )
    team = caseload_for(actor=Actor(user=leader.user, membership=leader), scope="team", filters=CaseloadFilters(),
                        as_of=today(), soon_days=14)  # fmt: skip
    explain["team caseload (Django queryset, first page)"] = team[:25].explain(analyze=True)
    explain["team caseload count (paging)"] = _explain_count(team)

    urls: dict[str, str | None] = {}
    for key, name, kwargs in (
        ("login", "accounts:login", {}),
        ("caseload", "clients:caseload", {}),
        ("team", "clients:team-caseload", {}),
        ("search", "clients:search", {}),
        ("detail", "clients:detail", {"file_id": 0}),
        ("api_caseload", "api:caseload", {}),
        ("api_search", "api:person-search", {}),
    ):
        try:
            urls[key] = reverse(name, kwargs=kwargs) if kwargs else reverse(name)
        except NoReverseMatch:
            urls[key] = None
    return Setup(caseworkers, teamleaders, urls, floor_params, explain)


def _explain_count(queryset: Any) -> str:
    from django.db import connection

    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE SELECT count(*) FROM ({sql}) sub", params)
        return "\n".join(row[0] for row in cursor.fetchall())


# --- 3. gunicorn --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(port: int) -> subprocess.Popen[bytes]:
    manage("collectstatic", "--noinput", "-v0")
    process = subprocess.Popen(
        [GUNICORN, "openinburgering.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
         "--worker-class", "sync", "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
         "--error-logfile", str(ROOT / ".cache" / "bench-gunicorn.log"), "--timeout", "60",
         "--pid", str(PIDFILE)],
        env=ENV, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/", timeout=15, allow_redirects=False).status_code < 500:
                return process
        except requests.RequestException:
            pass
        if process.poll() is not None:
            raise SystemExit("gunicorn exited at start; see .cache/bench-gunicorn.log")
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 90 s")


def stop_gunicorn(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


# --- 4. load ------------------------------------------------------------------------------------------------


def login(base: str, login_path: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + login_path, timeout=30)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if page.status_code != 200 or not match:
        raise SystemExit(f"login page {login_path} answered {page.status_code} without a CSRF token")
    response = session.post(
        base + login_path,
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1)},
        headers={"Referer": base + login_path},
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 302:
        raise SystemExit(f"login of {username} failed: HTTP {response.status_code}")
    return session


def csrf_token(session: requests.Session, form_url: str) -> str:
    """The session's CSRF token: read from the `csrftoken` cookie, fetching the form once if it is not set yet."""
    token = session.cookies.get("csrftoken")
    if not token:
        session.get(form_url, timeout=60)
        token = session.cookies.get("csrftoken")
    if not token:
        raise SystemExit(f"{form_url} set no csrftoken cookie")
    return str(token)


def post_search(session: requests.Session, url: str, query: str) -> requests.Response:
    """The search form posts its term (never in the URL), with the CSRF token as a browser would send it."""
    token = csrf_token(session, url)
    return session.post(url, data={"q": query, "csrfmiddlewaretoken": token},
                        headers={"X-CSRFToken": token, "Referer": url}, timeout=60)  # fmt: skip


@dataclass
class Scenario:
    key: str
    title: str
    persona: str  # "caseworker", "teamleader" or "api" (a caseworker's token, no cookies)
    make_request: Callable[[requests.Session, BenchUser, int], requests.Response]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summarise(latencies: list[float], errors: int, wall: float) -> dict[str, Any]:
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
        "throughput_rps": round(len(latencies) / wall, 1) if wall > 0 else None,
    }


def run_load(
    users: list[tuple[Any, BenchUser]], concurrency: int, total: int, call: Callable[[Any, BenchUser, int], Any]
) -> dict[str, Any]:
    """`concurrency` threads, each with its own session/connection and bench user, `total` calls in all."""
    per_thread = [total // concurrency + (1 if i < total % concurrency else 0) for i in range(concurrency)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(concurrency + 1)

    def worker(index: int) -> None:
        client, bench_user = users[index]
        local: list[float] = []
        local_errors: list[str] = []
        barrier.wait()
        for n in range(per_thread[index]):
            started = time.perf_counter()
            try:
                outcome = call(client, bench_user, n)
                ok = outcome is None or getattr(outcome, "status_code", 200) == 200
                if not ok:
                    local_errors.append(f"HTTP {outcome.status_code}")
            except Exception as exc:  # counted and reported, never hidden
                local_errors.append(repr(exc)[:200])
                continue
            local.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(local)
            errors.extend(local_errors)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    result = summarise(latencies, len(errors), wall)
    if errors:
        result["error_samples"] = sorted(set(errors))[:5]
    return result


# --- 5. the floor -------------------------------------------------------------------------------------------

FLOOR_SQL = """
SELECT f.id, f.status, f.doelgroep, f.next_deadline_on, f.next_deadline_kind, f.opened_on,
       p.given_names, p.surname_prefix, p.surname, p.birth_on, u.first_name, u.last_name, t.name
FROM clients_clientfile f
JOIN clients_person p ON p.id = f.person_id
LEFT JOIN accounts_user u ON u.id = f.assigned_to_id
LEFT JOIN accounts_team t ON t.id = f.team_id
WHERE f.gemeente_id = %s AND f.assigned_to_id = %s AND f.status NOT IN ('verhuisd', 'beeindigd')
ORDER BY f.next_deadline_on ASC, f.id ASC
LIMIT 25
"""


# --- 6. report ----------------------------------------------------------------------------------------------


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Measured {report['date']} on {report['machine']} — PostgreSQL {report['postgres']}, "
        f"gunicorn {WORKERS} sync workers, production settings (DEBUG off), loopback only.",
        f"Data: {report['counts']['clients_clientfile']:,} clients, {report['counts']['clients_person']:,} persons, "
        f"{report['counts']['clients_statuschange'] + report['counts']['audit_auditevent']:,} status/audit rows "
        f"(audit events grow with every run: each page view is audited).",
    ]
    seed = report["database"].get("seed_seconds")
    lines.append(
        f"Seed time for {report['database']['clients']:,} clients: {seed} s."
        if seed is not None
        else "Database reused from an earlier run (seed time in that run's results)."
    )
    lines += [
        "",
        "| scenario | users | requests | errors | p50 ms | p95 ms | p99 ms | req/s | p95 vs floor p95 | p95 ≤ 100 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for row in report["rows"]:
        if row.get("missing"):
            lines.append(f"| {row['title']} | {row['users']} | — | — | missing | — | — | — | — | ✗ |")
            continue
        ratio = row.get("floor_ratio")
        target = "—" if row["key"] == "floor" else ("✓" if row["p95_ms"] <= TARGET_P95_MS else "✗")
        lines.append(
            f"| {row['title']} | {row['users']} | {row['requests']} | {row['errors']} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {row['p99_ms']} | {row['throughput_rps']} | "
            f"{'—' if ratio is None else f'{ratio}×'} | {target} |"
        )
    return "\n".join(lines) + "\n"


def update_readme(table: str, report_name: str) -> None:
    text = README.read_text(encoding="utf-8") if README.exists() else ""
    section = (
        f"{START}\n## Benchmark\n\n`make bench` (see `bench/bench.py`); latest results: "
        f"`bench/results/{report_name}.md`.\n\n{table}{END}"
    )
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    README.write_text(text, encoding="utf-8")


def main() -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (ROOT / ".cache").mkdir(exist_ok=True)
    report: dict[str, Any] = {"date": date.today().isoformat(), "timings": {}, "rows": [], "missing": []}
    started = time.perf_counter()
    prepare_database(report)
    report["counts"] = table_counts()
    if ONLY == "monitoring":
        return monitoring_only()
    setup = django_setup()
    log("monitoring: provider CSV upload and contract dashboard selector (in process)")
    report["monitoring"] = monitoring_bench.run(GEMEENTE)
    log(f"monitoring: {report['monitoring']}")
    report["explain"] = setup.explain
    with psycopg.connect(BENCH_URL) as conn:
        report["postgres"] = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]  # fetchone() is typed Optional; these queries always return a row
    report["machine"] = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    log(f"setup done in {time.perf_counter() - started:.0f} s; URLs: {setup.urls}")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = None
    try:
        process = start_gunicorn(port)
        log(f"gunicorn ({WORKERS} workers) on {base}")
        login_path = setup.urls["login"]
        if login_path is None:
            raise SystemExit("the login page (accounts:login) is missing")
        usernames = sorted({u.username for u in setup.caseworkers + setup.teamleaders})
        sessions = {name: login(base, login_path, name) for name in usernames}
        log(f"{len(sessions)} bench users logged in")
        api_sessions = {u.username: requests.Session() for u in setup.caseworkers}

        def page(key: str) -> str | None:
            return setup.urls.get(key)

        def detail_path(user: BenchUser, n: int) -> str:
            return str(page("detail")).replace("/0/", f"/{user.file_ids[n % len(user.file_ids)]}/")

        scenarios = [
            Scenario("caseload", "Mijn caseload (worklist page)", "caseworker",
                     lambda s, u, n: s.get(base + str(page("caseload")), timeout=60)),
            Scenario("team", "Team caseload page (teamleider)", "teamleader",
                     lambda s, u, n: s.get(base + str(page("team")), timeout=60)),
            Scenario("detail", "Client file page", "caseworker",
                     lambda s, u, n: s.get(base + detail_path(u, n), timeout=60)),
            Scenario("search", "Search page (BSN, name, birth date; POST)", "caseworker",
                     lambda s, u, n: post_search(s, base + str(page("search")), u.queries[n % len(u.queries)])),
            Scenario("api_caseload", "API caseload list (scope=mine)", "api",
                     lambda s, u, n: s.get(base + str(page("api_caseload")), params={"scope": "mine"},
                                           headers={"Authorization": f"Token {u.token}"}, timeout=60)),
            Scenario("api_search", "API person search (POST, JSON body)", "api",
                     lambda s, u, n: s.post(base + str(page("api_search")), json={"q": u.queries[n % len(u.queries)]},
                                            headers={"Authorization": f"Token {u.token}"}, timeout=60)),
        ]  # fmt: skip
        floor_rows: dict[int, dict[str, Any]] = {}

        def floor_call(conn: Any, user: BenchUser, n: int) -> None:
            conn.execute(FLOOR_SQL, setup.floor_params[setup.caseworkers.index(user)]).fetchall()

        for concurrency in CONCURRENCY:
            connections = [psycopg.connect(BENCH_URL) for _ in range(concurrency)]
            try:
                pairs = [(connections[i], setup.caseworkers[i]) for i in range(concurrency)]
                run_load(pairs, concurrency, max(WARMUP, 2 * concurrency), floor_call)
                total = REQUESTS_1 if concurrency == 1 else REQUESTS_16
                floor_rows[concurrency] = run_load(pairs, concurrency, total, floor_call)
            finally:
                for conn in connections:
                    conn.close()
            row = {"key": "floor", "title": "Floor: worklist as one raw SQL query (psycopg)", "users": concurrency,
                   **floor_rows[concurrency]}  # fmt: skip
            report["rows"].append(row)
            log(f"floor x{concurrency}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms")
        for scenario in scenarios:
            path = page(scenario.key)
            people = setup.teamleaders if scenario.persona == "teamleader" else setup.caseworkers
            clients = api_sessions if scenario.persona == "api" else sessions
            smoke = None
            if path is not None:
                smoke = scenario.make_request(clients[people[0].username], people[0], 0)
            if path is None or smoke is None or smoke.status_code != 200:
                status = "no URL" if path is None else f"HTTP {smoke.status_code if smoke is not None else '?'}"
                log(f"MISSING: {scenario.title} ({scenario.key}): {status}")
                report["missing"].append({"scenario": scenario.key, "reason": status})
                for concurrency in CONCURRENCY:
                    report["rows"].append({"key": scenario.key, "title": scenario.title, "users": concurrency,
                                           "missing": True})  # fmt: skip
                continue
            for concurrency in CONCURRENCY:
                pairs = [(clients[people[i].username], people[i]) for i in range(concurrency)]
                run_load(pairs, concurrency, max(WARMUP, 2 * concurrency), scenario.make_request)
                total = REQUESTS_1 if concurrency == 1 else REQUESTS_16
                result = run_load(pairs, concurrency, total, scenario.make_request)
                floor_p95 = floor_rows[concurrency]["p95_ms"]
                row = {"key": scenario.key, "title": scenario.title, "users": concurrency, **result,
                       "floor_ratio": round(result["p95_ms"] / floor_p95, 1) if floor_p95 else None}  # fmt: skip
                report["rows"].append(row)
                log(f"{scenario.key} x{concurrency}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, "
                    f"{row['throughput_rps']} req/s, errors {row['errors']}")  # fmt: skip
    finally:
        stop_gunicorn(process)
        log("gunicorn stopped")
    report["counts_after"] = table_counts()
    report["timings"]["total_s"] = round(time.perf_counter() - started, 1)

    table = markdown(report) + monitoring_bench.markdown(report["monitoring"])
    name = report["date"]
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    explain = "\n".join(f"### {title}\n\n```\n{plan}\n```\n" for title, plan in report["explain"].items())
    (RESULTS / f"{name}.md").write_text(
        f"# Benchmark {name}\n\n{table}\n## Query plans (EXPLAIN ANALYZE on the bench database)\n\n{explain}",
        encoding="utf-8",
    )
    update_readme(table, name)
    print()
    print(table)
    failed_rows = [r for r in report["rows"] if not r.get("missing") and r.get("errors")]
    if report["missing"]:
        log(f"FAILED: missing pages: {report['missing']}")
        return 1
    if failed_rows:
        log(f"FAILED: errors in {[(r['key'], r['users']) for r in failed_rows]}")
        return 1
    return 0


def monitoring_only() -> int:
    """BENCH_ONLY=monitoring: only the two in-process measurements (no gunicorn, no README or results files),
    e.g. to check them on a small dataset: BENCH_CLIENTS=3000 BENCH_DATABASE=... BENCH_ONLY=monitoring."""
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    result = monitoring_bench.run(GEMEENTE)
    log(f"monitoring: {json.dumps(result, default=str)}")
    print(monitoring_bench.markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
