#!/usr/bin/env bash
# `make bench`: see bench/bench.py. Needs PostgreSQL (BENCH_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres).
# Environment knobs: BENCH_DATABASE, BENCH_CLIENTS (100000), BENCH_GEMEENTE, BENCH_WORKERS (4),
# BENCH_SECONDS (10 measured per page and concurrency), BENCH_WARMUP (3 s), BENCH_INPROCESS (30 requests per page
# for queries, CPU ms and the cProfile), BENCH_PAGES (e.g. caseload,search: only those pages, README untouched),
# BENCH_LABEL (results as <date>-<label>), BENCH_SKIP_MONITORING, BENCH_WRK (path of wrk),
# BENCH_UPLOAD_ROWS (10000), BENCH_MONITORING_SAMPLE (20000), BENCH_DASHBOARD_RUNS (20),
# BENCH_ONLY (inprocess, monitoring, figures, ontzorgen), BENCH_SKIP_ONTZORGEN, BENCH_ONTZORGEN_CLIENTS (10000),
# BENCH_ONTZORGEN_OBLIGATIONS (5), BENCH_REDIS_URL (redis://127.0.0.1:6379/9; empty: no Redis).
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
if [ "${BENCH_ONLY:-}" != "ontzorgen" ]; then
  .venv/bin/python bench/bench.py
fi
# Financieel ontzorgen (#13): the 50,000-payment run and the 50,000-entry camt.053 in their own database
# (BENCH_SKIP_ONTZORGEN=1 to leave it out, BENCH_ONLY=ontzorgen for only this part; see bench/ontzorgen_bench.py).
if [ "${BENCH_SKIP_ONTZORGEN:-}" != "1" ]; then
  .venv/bin/python bench/ontzorgen_bench.py
fi
