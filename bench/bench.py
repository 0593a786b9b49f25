"""`make bench`: seeds clients into a separate PostgreSQL database, serves the app with gunicorn (production
settings, DEBUG off) on loopback beside a floor app served by the same gunicorn configuration, loads both with wrk,
and measures every main page in process too. Writes bench/results/<date>.json and .md, cProfile output per page in
bench/results/<date>-profiles/, and replaces the README's benchmark section.

Steps (each printed with its time):
1. database `openinburgering_bench` (BENCH_DATABASE): reused when it already holds BENCH_CLIENTS seeded
   clients, otherwise dropped, recreated, migrated and seeded with `seed --clients N`;
2. bench users (volume klantregisseurs and teamleiders) get a password; API tokens are made with
   `accounts.tokens.create_api_token`; the floor's session rows are written for the same users;
3. two gunicorns on 127.0.0.1, same command line (BENCH_WORKERS sync workers): the app and bench/floor.py, a bare
   WSGI app doing the physical minimum of the caseload page (session row, worklist query, one audit row inserted
   and committed, 25 rows of HTML); both stopped at the end whatever happens;
4. in process (Django's test client on the bench database, same settings): per page the number of queries and the
   CPU ms per request (median of BENCH_INPROCESS requests after a warm-up), and a cProfile of the same requests;
5. under load: wrk (the Debian package; installed with apt-get when missing) with bench/wrk.lua, per page and for
   the floor at 1 and 16 connections (each a different bench user): BENCH_WARMUP seconds of warm-up, then
   BENCH_SECONDS measured; p50/p95/p99 from wrk's own histogram, every non-200 answer counted as an error;
6. EXPLAIN ANALYZE of the worklist and team-caseload queries, for the report.

A page that does not exist (URL name missing, or not 200 on the smoke request) is reported as missing and
the run exits non-zero: no number is made up. The bench is not part of `make test` or CI.
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import inprocess
import monitoring_bench
import monitoring_figures
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
# The second gemeente of the regional view (#16 item 7: "across 2 gemeenten"), seeded with this many clients once.
REGION_GEMEENTE = os.environ.get("BENCH_REGION_GEMEENTE", "GM0473")
REGION_CLIENTS = int(os.environ.get("BENCH_REGION_CLIENTS", "5000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))  # measured per page and concurrency
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))  # seconds of warm-up per page and concurrency, not counted
INPROCESS = int(os.environ.get("BENCH_INPROCESS", "30"))  # in-process requests per page for queries and CPU ms
SCENARIOS = [k for k in os.environ.get("BENCH_PAGES", "").split(",") if k]  # empty: every page
# "monitoring": only the in-process monitoring measurements (the #16 figures, then the upload and the contract
# dashboard); "figures": only the #16 figures (aggregate refresh, gemeente dashboard, region, CBS file);
# "inprocess": only the pages' queries, CPU ms and profiles (no gunicorn, no wrk, README untouched), e.g. on a small
# database to profile a change.
ONLY = os.environ.get("BENCH_ONLY", "")
CONCURRENCY = (1, 16)
# Targets of issue #18, measured here and reported, never asserted in tests.
TARGET_CPU_MS = 10.0
TARGET_P50_1_MS = 12.0
TARGET_P95_16_MS = 100.0
TARGET_QUERIES = 8
TARGET_FLOOR_RATIO_16 = 5.0
WRK = os.environ.get("BENCH_WRK", "wrk")
LABEL = os.environ.get("BENCH_LABEL", "")  # e.g. "before": results go to bench/results/<date>-<label>.*
PASSWORD = "Bench-" + secrets.token_urlsafe(12)
PIDFILE = ROOT / ".cache" / "bench-gunicorn.pid"
FLOOR_PIDFILE = ROOT / ".cache" / "bench-floor.pid"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def log(message: str) -> None:
    # UTC: django.setup() switches the process to TIME_ZONE halfway through the run.
    print(f"[bench {datetime.now(UTC):%H:%M:%S}Z] {message}", flush=True)


def db_url(name: str) -> str:
    parsed = urlparse(ADMIN_URL)
    return parsed._replace(path="/" + name).geturl()


BENCH_URL = db_url(DB_NAME)


def bench_redis() -> str:
    """The Redis the app uses for its cache and sessions (REDIS_URL), as a production deployment with more than one
    app process does (docs/scaling.md): BENCH_REDIS_URL, default database 9 of the local Redis; empty, or no Redis
    answering, measures with each process's local memory cache and database sessions instead. The database is
    emptied first so that nothing of an earlier run (sessions, cached figures) is reused."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    if not url:
        return ""
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except Exception as exc:  # any failure to reach Redis means: measure without it, and say so
        print(f"[bench] no Redis at {url} ({exc}): local memory cache and database sessions", flush=True)
        return ""
    return url


REDIS_URL = bench_redis()
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "openinburgering.conf.production",
    "DATABASE_URL": BENCH_URL,
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
    "DEBUG": "false",
    "LOG_LEVEL": "WARNING",
    "PYTHONDONTWRITEBYTECODE": "1",
    "REDIS_URL": REDIS_URL,
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


def prepare_region(report: dict[str, Any]) -> None:
    """Seeds REGION_CLIENTS clients into REGION_GEMEENTE (once: skipped when it has clients), for the regional view."""
    with psycopg.connect(BENCH_URL) as conn:
        row = conn.execute(
            "SELECT count(*) FROM clients_clientfile f JOIN accounts_gemeente g ON g.id = f.gemeente_id "
            "WHERE g.code = %s",
            [REGION_GEMEENTE],
        ).fetchone()
    if row and int(row[0]) > 0:
        report["region_seed"] = {"gemeente": REGION_GEMEENTE, "reused": True, "clients": int(row[0])}
        return
    log(f"seeding {REGION_CLIENTS} clients into {REGION_GEMEENTE} for the regional view")
    started = time.perf_counter()
    manage("seed", "--clients", str(REGION_CLIENTS), "--gemeente", REGION_GEMEENTE)
    report["region_seed"] = {"gemeente": REGION_GEMEENTE, "reused": False, "clients": REGION_CLIENTS,
                             "seed_seconds": round(time.perf_counter() - started, 1)}  # fmt: skip


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
    floor_sessions: list[str]  # the floor's session key per caseworker (bench_floor_session)
    explain: dict[str, str]
    portal: list[BenchUser]  # clients with a portal session: `token` holds the session key


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
        ("pip", "plans:index", {"file_id": 0}),
        ("api_caseload", "api:caseload", {}),
        ("api_search", "api:person-search", {}),
    ):
        try:
            urls[key] = reverse(name, kwargs=kwargs) if kwargs else reverse(name)
        except NoReverseMatch:
            urls[key] = None
    # Portal clients (#15): the person of each caseworker's first file, logged in as after DigiD.
    first_files = ClientFile.objects.filter(pk__in=[u.file_ids[0] for u in caseworkers]).select_related("person")
    bsns = sorted(f.person.bsn for f in first_files)
    portal = [BenchUser(f"portal-{i:03d}", token=key) for i, key in enumerate(inprocess.portal_sessions(bsns), 1)]
    portal = [portal[i % len(portal)] for i in range(count)]
    try:
        urls["portal_start"] = reverse("mijn:start")
    except NoReverseMatch:
        urls["portal_start"] = None
    return Setup(caseworkers, teamleaders, urls, floor_sessions(floor_params), explain, portal)


def floor_sessions(params: list[tuple[int, int]]) -> list[str]:
    """The floor app's session rows (bench/floor.py), one per caseworker, valid for a day."""
    import floor

    keys = [secrets.token_hex(16) for _ in params]
    with psycopg.connect(BENCH_URL, autocommit=True) as conn:
        conn.execute(floor.SCHEMA)
        conn.execute("TRUNCATE bench_floor_session")
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO bench_floor_session VALUES (%s, %s, %s, now() + interval '1 day')",
                [(key, user_id, gemeente_id) for key, (gemeente_id, user_id) in zip(keys, params, strict=True)],
            )
    return keys


def _explain_count(queryset: Any) -> str:
    from django.db import connection

    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE SELECT count(*) FROM ({sql}) sub", params)
        return "\n".join(row[0] for row in cursor.fetchall())


# --- 3. gunicorn: the app and the floor, same configuration ----------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def gunicorn_command(app: str, port: int, pidfile: Path, chdir: Path | None = None) -> list[str]:
    """One command line for both servers: only the WSGI callable (and its directory) differs."""
    return [
        GUNICORN, app, "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--worker-class", "sync",
        "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        "--error-logfile", str(ROOT / ".cache" / "bench-gunicorn.log"), "--timeout", "60", "--pid", str(pidfile),
        *(["--chdir", str(chdir)] if chdir else []),
    ]  # fmt: skip


def start_gunicorn(app: str, port: int, pidfile: Path, chdir: Path | None = None) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(gunicorn_command(app, port, pidfile, chdir), env=ENV, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/", timeout=15, allow_redirects=False).status_code < 500:
                return process
        except requests.RequestException:
            pass
        if process.poll() is not None:
            raise SystemExit(f"gunicorn ({app}) exited at start; see .cache/bench-gunicorn.log")
        time.sleep(0.3)
    raise SystemExit(f"gunicorn ({app}) did not answer within 90 s")


def stop_gunicorn(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


# --- 4. sessions over HTTP ----------------------------------------------------------------------------------


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


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)


@dataclass
class Request:
    """One request as wrk sends it (bench/wrk.lua) and as the smoke test and the in-process client send it."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    def line(self) -> str:
        headers = "\x1f".join(f"{name}: {value}" for name, value in self.headers.items())
        for part in (self.method, self.path, headers, self.body):
            if "\t" in part or "\n" in part:
                raise ValueError(f"request part with a tab or newline: {part!r}")
        return f"{self.method}\t{self.path}\t{headers}\t{self.body}"


@dataclass
class Scenario:
    key: str
    title: str
    persona: str  # "caseworker", "teamleader", "api" (a caseworker's token, no cookies) or "floor"
    build: Callable[[BenchUser, int], Request]  # the n-th request of this user, without the session cookie


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# --- 6. under load: wrk ----------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which(WRK)
    if found:
        return found
    log("wrk not found: installing the Debian package (apt-get install -y wrk)")
    command = ["apt-get", "install", "-y", "wrk"]
    if os.geteuid() != 0:
        command = ["sudo", "-n", *command]
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
    found = shutil.which(WRK)
    if not found:
        raise SystemExit("make bench needs wrk (Debian/Ubuntu: apt-get install wrk; macOS: brew install wrk)")
    return found


def run_wrk(wrk: str, base: str, lines: list[str], concurrency: int, seconds: int, tag: str) -> dict[str, Any]:
    requests_file = ROOT / ".cache" / f"bench-requests-{tag}.tsv"
    requests_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    threads = 1 if concurrency == 1 else 2  # 2 cores: more wrk threads would only steal from the servers
    command = [wrk, f"-t{threads}", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "30s",
               "-s", str(ROOT / "bench" / "wrk.lua"), base, "--", str(requests_file)]  # fmt: skip
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    match = re.search(r"^WRKJSON (\{.*\})$", out, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk printed no summary:\n{out}")
    raw = json.loads(match.group(1))
    errors = raw["non200"] + raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    if raw["requests"] == 0:  # nothing finished within the measured time: no percentile to report
        return {"requests": 0, "errors": 1, "p50_ms": None, "p95_ms": None, "p99_ms": None,
                "mean_ms": None, "throughput_rps": 0.0, "error_detail": {"none_finished_in_s": seconds}}  # fmt: skip
    result = {
        "requests": raw["requests"],
        "errors": errors,
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "mean_ms": round(raw["mean_us"] / 1000, 1),
        "throughput_rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1) if raw["duration_us"] else None,
    }
    if errors:
        result["error_detail"] = {k: raw[k] for k in ("non200", "statuses", "connect", "read", "write", "timeout")}
    return result


# --- 7. report ----------------------------------------------------------------------------------------------


def target_misses(row: dict[str, Any], measured: dict[str, Any]) -> list[str]:
    misses = []
    if measured.get("cpu_ms") is not None and measured["cpu_ms"] > TARGET_CPU_MS:
        misses.append(f"CPU {measured['cpu_ms']} > {TARGET_CPU_MS:g} ms")
    if measured.get("queries") is not None and measured["queries"] > TARGET_QUERIES:
        misses.append(f"{measured['queries']} > {TARGET_QUERIES} queries")
    if row["requests"] == 0:
        misses.append(f"no request finished in {SECONDS} s")
        return misses
    if row["users"] == 1 and row["p50_ms"] > TARGET_P50_1_MS:
        misses.append(f"p50 {row['p50_ms']} > {TARGET_P50_1_MS:g} ms")
    if row["users"] == 16 and row["p95_ms"] > TARGET_P95_16_MS:
        misses.append(f"p95 {row['p95_ms']} > {TARGET_P95_16_MS:g} ms")
    ratio = row.get("p95_ratio")
    if row["users"] == 16 and ratio is not None and ratio > TARGET_FLOOR_RATIO_16:
        misses.append(f"p95 {ratio}× floor > {TARGET_FLOOR_RATIO_16:g}×")
    return misses


def run_name(report: dict[str, Any]) -> str:
    return report["date"] + (f"-{report['label']}" if report.get("label") else "")


def ratio(row: dict[str, Any], key: str) -> str:
    return "—" if row.get(key) is None else f"{row[key]}×"


def markdown(report: dict[str, Any]) -> str:
    counts = report["counts"]
    lines = [
        f"Measured {report['date']} on {report['machine']} — PostgreSQL {report['postgres']}, "
        f"gunicorn {WORKERS} sync workers for the app and for the floor (same command line), production settings "
        f"(DEBUG off), loopback only; load by wrk {report['wrk_version']} (bench/wrk.lua; {WARMUP} s warm-up, "
        f"{SECONDS} s measured per row; 16 users = 16 connections, each a different bench user). Cache and sessions: "
        + (
            "Redis (REDIS_URL, sessions read from the cache and written through to the database)."
            if REDIS_URL
            else "each process's local memory and database sessions (no Redis)."
        ),
        f"**Dataset:** {report['database']['clients']:,} seeded clients in {GEMEENTE} (BENCH_CLIENTS), "
        f"{counts['clients_person']:,} persons, {counts['clients_statuschange']:,} status changes, "
        f"{counts['audit_auditevent']:,} audit rows at the start (each page view adds one).",
        "Floor: bench/floor.py, a bare WSGI app doing the physical minimum of the caseload page (session row, worklist "
        "query, one audit row inserted and committed, 25 rows of HTML). Queries and CPU ms: in process (Django's test "
        f"client, median of {INPROCESS} requests; the CPU of the Python process only, not PostgreSQL's). The machine "
        "is shared: figures vary between runs by ±20%.",
    ]
    seed = report["database"].get("seed_seconds")
    lines.append(
        f"Seed time for {report['database']['clients']:,} clients: {seed} s."
        if seed is not None
        else "Database reused from an earlier run (seed time in that run's results)."
    )
    lines += [
        "",
        "| page | users | requests | errors | p50 ms | p95 ms | p99 ms | req/s | p50 × floor | p95 × floor "
        "| queries | CPU ms | targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in report["rows"]:
        measured = report["in_process"].get(row["key"], {})
        if row.get("missing"):
            lines.append(f"| {row['title']} | {row['users']} | — | — | missing | — | — | — | — | — | — | — | ✗ |")
            continue
        is_floor = row["key"] == "floor"
        misses = [] if is_floor else target_misses(row, measured)
        verdict = "—" if is_floor else ("✓" if not misses else "✗ " + "; ".join(misses))
        lines.append(
            f"| {row['title']} | {row['users']} | {row['requests']} | {row['errors']} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {row['p99_ms']} | {row['throughput_rps']} | "
            f"{ratio(row, 'p50_ratio')} | {ratio(row, 'p95_ratio')} | "
            f"{measured.get('queries', '—')} | {measured.get('cpu_ms', '—')} | {verdict} |"
        )
    lines += [
        "",
        f"Targets (#18): CPU ≤ {TARGET_CPU_MS:g} ms and ≤ {TARGET_QUERIES} queries per page; p50 ≤ "
        f"{TARGET_P50_1_MS:g} ms for 1 user; p95 ≤ {TARGET_P95_16_MS:g} ms and ≤ {TARGET_FLOOR_RATIO_16:g}× the "
        "floor's p95 at 16 users. Profiles per page: "
        f"`bench/results/{run_name(report)}-profiles/`.",
    ]
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


def scenarios_for(setup: Setup, base: str, sessions: dict[str, requests.Session]) -> list[Scenario]:
    urls = setup.urls

    def file_path(key: str, user: BenchUser, n: int) -> str:
        return str(urls[key]).replace("/0/", f"/{user.file_ids[n % len(user.file_ids)]}/")

    def search(user: BenchUser, n: int) -> Request:
        token = csrf_token(sessions[user.username], base + str(urls["search"]))
        body = urlencode({"q": user.queries[n % len(user.queries)], "csrfmiddlewaretoken": token})
        return Request("POST", str(urls["search"]), {"Content-Type": "application/x-www-form-urlencoded"}, body)

    def api(path: str, user: BenchUser, body: str = "") -> Request:
        headers = {"Authorization": f"Token {user.token}"}
        if body:
            headers["Content-Type"] = "application/json"
        return Request("POST" if body else "GET", path, headers, body)

    floor_key = {u.username: key for u, key in zip(setup.caseworkers, setup.floor_sessions, strict=True)}
    from django.conf import settings

    session_cookie = settings.SESSION_COOKIE_NAME
    every = [
        Scenario("floor", "Floor: bare WSGI caseload (bench/floor.py)", "floor",
                 lambda u, n: Request("GET", "/", {"Cookie": f"floorsession={floor_key[u.username]}"})),
        Scenario("caseload", "Mijn caseload", "caseworker", lambda u, n: Request("GET", str(urls["caseload"]))),
        Scenario("team", "Team caseload (teamleider)", "teamleader", lambda u, n: Request("GET", str(urls["team"]))),
        Scenario("detail", "Client file page", "caseworker", lambda u, n: Request("GET", file_path("detail", u, n))),
        Scenario("pip", "PIP page of a file", "caseworker", lambda u, n: Request("GET", file_path("pip", u, n))),
        Scenario("search", "Search (BSN, name, birth date; POST)", "caseworker", search),
        Scenario("api_caseload", "API caseload (scope=mine)", "api",
                 lambda u, n: api(str(urls["api_caseload"]) + "?scope=mine", u)),
        Scenario("api_search", "API person search (POST, JSON)", "api",
                 lambda u, n: api(str(urls["api_search"]), u, json.dumps({"q": u.queries[n % len(u.queries)]}))),
        Scenario("portal_start", "Portal start (Mijn Inburgering)", "portal",
                 lambda u, n: Request("GET", str(urls["portal_start"]), {"Cookie": f"{session_cookie}={u.token}"})),
    ]  # fmt: skip
    return [s for s in every if not SCENARIOS or s.key in SCENARIOS or s.key == "floor"]


def main() -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (ROOT / ".cache").mkdir(exist_ok=True)
    report: dict[str, Any] = {"date": date.today().isoformat(), "label": LABEL, "timings": {}, "rows": [],
                              "missing": [], "in_process": {}}  # fmt: skip
    started = time.perf_counter()
    wrk = ensure_wrk()
    report["wrk_version"] = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split()[1]
    prepare_database(report)
    report["counts"] = table_counts()
    if ONLY in ("monitoring", "figures"):
        return monitoring_only(report)
    setup = django_setup()
    if ONLY == "inprocess":
        return in_process_only(report, setup)
    if os.environ.get("BENCH_SKIP_MONITORING"):
        report["monitoring"] = None
    else:
        log("monitoring: provider CSV upload and contract dashboard selector (in process)")
        report["monitoring"] = monitoring_bench.run(GEMEENTE)
        log(f"monitoring: {report['monitoring']}")
        prepare_region(report)
        report["monitoring_figures"] = monitoring_figures.run(GEMEENTE, REGION_GEMEENTE, PASSWORD, log)
    report["explain"] = setup.explain
    with psycopg.connect(BENCH_URL) as conn:
        report["postgres"] = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]  # fetchone() is typed Optional; these queries always return a row
    report["machine"] = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    log(f"setup done in {time.perf_counter() - started:.0f} s; URLs: {setup.urls}")
    manage("collectstatic", "--noinput", "-v0")
    profile_dir = RESULTS / f"{run_name(report)}-profiles"
    profile_dir.mkdir(exist_ok=True)

    port, floor_port = free_port(), free_port()
    base, floor_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{floor_port}"
    process = floor_process = None
    try:
        process = start_gunicorn("openinburgering.wsgi:application", port, PIDFILE)
        floor_process = start_gunicorn("floor:app", floor_port, FLOOR_PIDFILE, chdir=ROOT / "bench")
        log(f"gunicorn ({WORKERS} workers each): app on {base}, floor on {floor_base}")
        login_path = setup.urls["login"]
        if login_path is None:
            raise SystemExit("the login page (accounts:login) is missing")
        usernames = sorted({u.username for u in setup.caseworkers + setup.teamleaders})
        sessions = {name: login(base, login_path, name) for name in usernames}
        log(f"{len(sessions)} bench users logged in")
        clients = inprocess.logged_in_clients(usernames, login_path, PASSWORD)
        for scenario in scenarios_for(setup, base, sessions):
            people = people_of(setup, scenario)
            target = floor_base if scenario.persona == "floor" else base

            def with_cookie(user: BenchUser, n: int, scenario: Scenario = scenario) -> Request:
                req = scenario.build(user, n)
                if scenario.persona in ("caseworker", "teamleader"):
                    req.headers["Cookie"] = cookie_header(sessions[user.username])
                return req

            smoke = with_cookie(people[0], 0)
            answer = requests.request(smoke.method, target + smoke.path, headers=smoke.headers,
                                      data=smoke.body.encode() or None, allow_redirects=False, timeout=60)  # fmt: skip
            missing = any(part == "None" for part in smoke.path.split("/")) or answer.status_code != 200
            if missing:
                reason = f"HTTP {answer.status_code} on {smoke.method} {smoke.path}"
                log(f"MISSING: {scenario.title} ({scenario.key}): {reason}")
                report["missing"].append({"scenario": scenario.key, "reason": reason})
                for users in CONCURRENCY:
                    report["rows"].append({"key": scenario.key, "title": scenario.title, "users": users,
                                           "missing": True})  # fmt: skip
                continue
            measured = inprocess.measure(scenario, people, clients, profile_dir, INPROCESS)
            report["in_process"][scenario.key] = measured
            log(f"{scenario.key} in process: {measured}")
            for users in CONCURRENCY:
                lines = [with_cookie(people[i % len(people)], n).line() for n in range(30) for i in range(users)]
                if WARMUP:
                    run_wrk(wrk, target, lines, users, WARMUP, scenario.key)
                result = run_wrk(wrk, target, lines, users, SECONDS, scenario.key)
                row = {"key": scenario.key, "title": scenario.title, "users": users, **result}
                floor_row = next((r for r in report["rows"] if r["key"] == "floor" and r["users"] == users), None)
                if floor_row and scenario.key != "floor" and row["requests"]:
                    row["p50_ratio"] = round(row["p50_ms"] / floor_row["p50_ms"], 1) if floor_row["p50_ms"] else None
                    row["p95_ratio"] = round(row["p95_ms"] / floor_row["p95_ms"], 1) if floor_row["p95_ms"] else None
                report["rows"].append(row)
                log(f"{scenario.key} x{users}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, "
                    f"{row['throughput_rps']} req/s, errors {row['errors']}")  # fmt: skip
    finally:
        stop_gunicorn(process)
        stop_gunicorn(floor_process)
        log("gunicorn stopped")
    report["counts_after"] = table_counts()
    report["timings"]["total_s"] = round(time.perf_counter() - started, 1)

    table = markdown(report) + (
        monitoring_bench.markdown(report["monitoring"]) + monitoring_figures.markdown(report["monitoring_figures"])
        if report["monitoring"]
        else "\nMonitoring measurements (provider CSV upload, contract dashboard, #16 figures): skipped in this "
        "run (BENCH_SKIP_MONITORING).\n"
    )
    name = run_name(report)
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    explain = "\n".join(f"### {title}\n\n```\n{plan}\n```\n" for title, plan in report["explain"].items())
    (RESULTS / f"{name}.md").write_text(
        f"# Benchmark {name}\n\n{table}\n## Query plans (EXPLAIN ANALYZE on the bench database)\n\n{explain}",
        encoding="utf-8",
    )
    if not SCENARIOS:  # a partial run (BENCH_PAGES) never replaces the README's table
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


def people_of(setup: Setup, scenario: Scenario) -> list[BenchUser]:
    if scenario.persona == "teamleader":
        return setup.teamleaders
    return setup.portal if scenario.persona == "portal" else setup.caseworkers


def in_process_only(report: dict[str, Any], setup: Setup) -> int:
    """BENCH_ONLY=inprocess: queries, CPU ms and a profile per page in process (no gunicorn, no wrk, README
    untouched); results in bench/results/<date>-<label>-inprocess.md and <date>-<label>-profiles/."""
    name = run_name(report)
    profile_dir = RESULTS / f"{name}-profiles"
    profile_dir.mkdir(exist_ok=True)
    manage("collectstatic", "--noinput", "-v0")  # production settings: the manifest storage needs it
    login_path = str(setup.urls["login"])
    usernames = sorted({u.username for u in setup.caseworkers + setup.teamleaders})
    clients = inprocess.logged_in_clients(usernames, login_path, PASSWORD)
    sessions = {name: requests.Session() for name in usernames}
    for session in sessions.values():  # the test client does not check CSRF; the search form needs a token
        session.cookies.set("csrftoken", "bench")
    measured: dict[str, dict[str, Any]] = {}
    titles: dict[str, str] = {}
    for scenario in scenarios_for(setup, "", sessions):
        if any(part == "None" for part in scenario.build(people_of(setup, scenario)[0], 0).path.split("/")):
            measured[scenario.key], titles[scenario.key] = {"error": "missing"}, scenario.title
            continue
        measured[scenario.key] = inprocess.measure(scenario, people_of(setup, scenario), clients, profile_dir,
                                                   INPROCESS)  # fmt: skip
        titles[scenario.key] = scenario.title
        log(f"{scenario.key} in process: {measured[scenario.key]}")
    counts = report["counts"]
    title = (
        f"In process {name}: {report['database']['clients']:,} clients in {GEMEENTE} ({counts['audit_auditevent']:,} "
        f"audit rows), median of {INPROCESS} requests per page, {platform.python_version()}"
    )
    text = inprocess.summary(title, measured, titles)
    (RESULTS / f"{name}-inprocess.md").write_text(text, encoding="utf-8")
    print(text)
    return 1 if any("error" in row for row in measured.values()) else 0


def monitoring_only(report: dict[str, Any]) -> int:
    """BENCH_ONLY=monitoring or figures: only the in-process monitoring measurements (no gunicorn, README
    untouched); the results go to bench/results/<date>-monitoring.md and .json (<date>-<BENCH_LABEL> with a label),
    with the load average before and after. To check them on a small dataset first:
    BENCH_CLIENTS=3000 BENCH_DATABASE=... BENCH_ONLY=figures BENCH_LABEL=try."""
    prepare_region(report)
    manage("collectstatic", "--noinput", "-v0")  # production settings: the manifest storage needs it
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    report["machine_before"] = monitoring_figures.machine()
    started = time.perf_counter()
    report["monitoring_figures"] = monitoring_figures.run(GEMEENTE, REGION_GEMEENTE, PASSWORD, log)
    text = monitoring_figures.markdown(report["monitoring_figures"])
    if ONLY == "monitoring":
        report["monitoring"] = monitoring_bench.run(GEMEENTE)
        log(f"monitoring: {json.dumps(report['monitoring'], default=str)}")
        text += monitoring_bench.markdown(report["monitoring"])
    report["machine_after"] = monitoring_figures.machine()
    report["timings"]["monitoring_s"] = round(time.perf_counter() - started, 1)
    name = f"{report['date']}-{LABEL or 'monitoring'}"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    before, after = report["machine_before"], report["machine_after"]
    title = (
        f"# Monitoring bench {report['date']} ({name})\n\n**Dataset:** {report['database']['clients']:,} seeded "
        f"clients in {GEMEENTE}; {report['counts']}. Seed time: {report['database'].get('seed_seconds')} s "
        f"(None: reused).\n\n**Machine:** {before['cpus']} CPUs, load average {before['loadavg']} before and "
        f"{after['loadavg']} after, memory available {before['mem_available']} of {before['mem_total']}, "
        f"PostgreSQL {before['postgresql']}, Python {before['python']}; shared with other work.\n"
    )
    (RESULTS / f"{name}.md").write_text(title + text, encoding="utf-8")
    print(title + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
