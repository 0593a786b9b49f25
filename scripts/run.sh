#!/usr/bin/env bash
# `make run`: the local demo. Migrates the embedded SQLite (var/demo.sqlite3), loads the demo personas and
# households once (seed_demo; a second run keeps the data and starts in seconds), prints the demo logins and
# serves on http://127.0.0.1:${PORT:-8000} with Django's development server (settings openinburgering.conf.dev,
# DEBUG on; static files come straight from the apps, so no collectstatic is needed).
# Beside the server it starts the background worker (`db_worker`, ADR 0009) and the daily scheduler
# (`schedule_jobs --loop 300`); both log to var/worker.log and stop when the server stops (Ctrl+C).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
mkdir -p var
export DJANGO_SETTINGS_MODULE=openinburgering.conf.dev
export DATABASE_URL="${DEMO_DATABASE_URL:-sqlite:///$(pwd)/var/demo.sqlite3}"
export PYTHONDONTWRITEBYTECODE=1

# One Python start for migrate + seed + the logins table (each Django start costs a second or two).
PORT="$PORT" $PY - <<'PYEOF'
import os

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

executor = MigrationExecutor(connection)
if executor.migration_plan(executor.loader.graph.leaf_nodes()):
    print("Migrating the demo database...")
    call_command("migrate", verbosity=0)

from openinburgering.accounts.models import Membership
from openinburgering.clients.models import ClientFile
from openinburgering.demo.netwerk import PARTNERS
from openinburgering.demo.personas import DEMO_PASSWORD, STAFF

LOGINS = [p.username for p in (*STAFF, *PARTNERS)]

from openinburgering.mijn.models import PortalAccount

if not ClientFile.objects.exists() or not PortalAccount.objects.exists() or Membership.objects.filter(user__username__in=LOGINS).count() < sum(len(p.memberships) for p in STAFF) + len(PARTNERS):
    print("Loading the demo personas and households (first run only, about half a minute)...")
    call_command("seed_demo")
    call_command("seed_monitoring_history")  # two years of simulated cohorts for the figures (#16)

rows = [
    (m.user.username, m.role.name, m.gemeente.name, m.team.name if m.team else "")
    for m in Membership.objects.filter(user__username__in=LOGINS)
    .select_related("user", "role", "gemeente", "team")
    .order_by("gemeente__name", "role__name", "user__username")
]
header = ("gebruiker", "rol", "gemeente", "team")
widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
print()
print("Demo logins — every user has the password:  " + DEMO_PASSWORD)
print(line)
print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
print(line)
for row in rows:
    print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")
print(line)
print()
from openinburgering.demo.portal import PORTAL_CLIENTS

print("Client portal (mock DigiD, type the BSN): http://127.0.0.1:" + os.environ["PORT"] + "/mijn/")
for client in PORTAL_CLIENTS:
    print(f"  BSN {client.bsn}  ({client.language_name})")
print()
from django.urls import reverse

print(f"Open Inburgering runs at http://127.0.0.1:{os.environ['PORT']}{reverse('accounts:login')}  (stop with Ctrl+C)")
PYEOF

# Background jobs (ADR 0009): one worker and the daily scheduler beside the server, stopped with it.
$PY -m django db_worker --interval 2 --worker-id demo-worker >>var/worker.log 2>&1 &
WORKER_PID=$!
$PY -m django schedule_jobs --loop 300 >>var/worker.log 2>&1 &
SCHEDULER_PID=$!
stop_background() {
  trap - EXIT INT TERM
  kill -TERM "$WORKER_PID" "$SCHEDULER_PID" 2>/dev/null || true
  wait "$WORKER_PID" "$SCHEDULER_PID" 2>/dev/null || true
  echo "Background worker and scheduler stopped."
}
trap stop_background EXIT INT TERM
echo "Background worker (pid $WORKER_PID) and daily scheduler (pid $SCHEDULER_PID) started; log: var/worker.log"

# No autoreloader by default: one process starts faster. RELOAD=1 make run reloads on code changes.
if [ "${RELOAD:-}" = "1" ]; then
  $PY -m django runserver "127.0.0.1:${PORT}" || true
else
  $PY -m django runserver --noreload "127.0.0.1:${PORT}" || true
fi
