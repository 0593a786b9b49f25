#!/usr/bin/env bash
# `make bench`: see bench/bench.py. Needs PostgreSQL (BENCH_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres).
# Environment knobs: BENCH_DATABASE, BENCH_CLIENTS (100000), BENCH_GEMEENTE, BENCH_WORKERS (4),
# BENCH_REQUESTS_1 (200), BENCH_REQUESTS_16 (400), BENCH_WARMUP (20 per user),
# BENCH_UPLOAD_ROWS (10000), BENCH_MONITORING_SAMPLE (20000), BENCH_DASHBOARD_RUNS (20), BENCH_ONLY (monitoring).
set -euo pipefail
cd "$(dirname "$0")/.."
PIDFILE=.cache/bench-gunicorn.pid
mkdir -p .cache
cleanup() {
  # bench.py stops gunicorn itself; this catches Ctrl+C or a crash in between.
  if [ -f "$PIDFILE" ]; then
    kill "$(cat "$PIDFILE")" 2>/dev/null || true
    rm -f "$PIDFILE"
  fi
}
trap cleanup EXIT INT TERM
.venv/bin/python - <<'PYEOF'
import os, sys
import psycopg
url = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as exc:
    sys.exit(f"make bench needs PostgreSQL at {url}: {exc}")
PYEOF
.venv/bin/python bench/bench.py
