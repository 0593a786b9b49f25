#!/usr/bin/env bash
# Runs the whole test suite. PostgreSQL when reachable (DATABASE_URL, default below); SQLite with a loud notice
# otherwise, except under CI=true where PostgreSQL is required. Pytest's "no tests collected" (exit 5) is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/openinburgering_test}"

if ! $PY - <<'PYEOF'
import os, sys
import psycopg
from urllib.parse import urlparse
url = urlparse(os.environ["DATABASE_URL"])
if url.scheme not in ("postgres", "postgresql"):
    sys.exit(1)
try:
    psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username, password=url.password,
                    dbname="postgres", connect_timeout=3).close()
except Exception as exc:  # any failure means: not reachable
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PYEOF
then
  if [ "${CI:-}" = "true" ]; then
    echo "ERROR: CI=true requires PostgreSQL at $DATABASE_URL, and it is not reachable." >&2
    exit 1
  fi
  echo "################################################################################" >&2
  echo "# WARNING: PostgreSQL is not reachable at $DATABASE_URL" >&2
  echo "# Falling back to SQLite. Database triggers and PostgreSQL-only checks are not tested." >&2
  echo "################################################################################" >&2
  export DATABASE_URL="sqlite:///$(pwd)/.cache/test.sqlite3"
else
  echo "Tests run on PostgreSQL ($DATABASE_URL)."
fi

E2E_ARGS=()
if [ ! -x /usr/bin/chromium ]; then
  if [ "${CI:-}" = "true" ] || [ "${INSTALL_CHROMIUM:-}" = "1" ]; then
    bash scripts/install-chromium.sh || { echo "ERROR: could not install Debian's chromium for the browser tests." >&2; exit 1; }
  else
    echo "NOTICE: /usr/bin/chromium is missing; browser tests are deselected. Run 'sudo bash scripts/install-chromium.sh'." >&2
    E2E_ARGS=(-m "not e2e")
  fi
fi

# The whole suite (no arguments, as `make test` and CI run it) is spread over PYTEST_WORKERS processes with
# pytest-xdist, each with its own test database; a file's tests stay on one worker (its module fixtures are built
# once). PYTEST_WORKERS=0 runs in one process. A run of some files (arguments given) stays in one process.
PARALLEL_ARGS=()
if [ $# -eq 0 ] && [ "${PYTEST_WORKERS:-2}" != "0" ]; then
  PARALLEL_ARGS=(-n "${PYTEST_WORKERS:-2}" --dist loadfile)
fi

$PY -m pytest "${PARALLEL_ARGS[@]}" "${E2E_ARGS[@]}" "$@"
status=$?
if [ $status -eq 5 ]; then
  echo "ERROR: pytest collected no tests." >&2
  exit 1
fi
exit $status
