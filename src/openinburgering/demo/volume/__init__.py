"""Synthetic volume for benchmarks: `seed --clients N --gemeente GMxxxx` (see the command for the contract).

Speed matters here (100,000 clients with about a million status and audit rows in under three minutes), so
this module writes rows directly: primary keys are reserved from the tables' sequences, and rows go in with
PostgreSQL COPY (psycopg 3 `cursor.copy`), or with `executemany` on other databases (small N in tests).
It therefore BYPASSES the services: it does not validate through `check_person`, nor call `record_event`.
What it writes still obeys every rule the services would enforce — BSNs pass the elfproef and are unique
per gemeente, one open file per person, status histories follow `clients.workflow`, deadlines come from
`clients.deadlines.next_deadline` (the rules module), audit rows use event types from `audit.catalogue` —
and the unit tests of `seed` check those invariants on the result.

Runs are ADDITIVE: each run adds N new clients. BSNs come from the reserved range VOLUME_BSN_FIRST..LAST
and continue after the highest one already present in the gemeente, so repeated runs never collide with
each other, with the demo (999_100_000..) or with the public BRP test persons (999_9xx_xxx).
"""

from .bulk import RowWriter
from .common import (
    AMSTERDAM,
    BULK_INDEX_THRESHOLD,
    CASEWORKERS_PER_TEAM,
    CLIENTS_PER_CASEWORKER,
    GENERIC_STREETS,
    NOTE_TEXTS,
    STATUS_MIX,
    STATUS_PATHS,
    STATUS_REASONS,
    STEP_GAPS,
    VOLUME_BSN_FIRST,
    VOLUME_BSN_LAST,
    VolumeResult,
    ensure_caseworkers,
    status_paths_follow_workflow,
    valid_bsns,
)
from .seed import seed_volume

__all__ = [
    "AMSTERDAM",
    "BULK_INDEX_THRESHOLD",
    "CASEWORKERS_PER_TEAM",
    "CLIENTS_PER_CASEWORKER",
    "GENERIC_STREETS",
    "NOTE_TEXTS",
    "STATUS_MIX",
    "STATUS_PATHS",
    "STATUS_REASONS",
    "STEP_GAPS",
    "VOLUME_BSN_FIRST",
    "VOLUME_BSN_LAST",
    "RowWriter",
    "VolumeResult",
    "ensure_caseworkers",
    "seed_volume",
    "status_paths_follow_workflow",
    "valid_bsns",
]
