"""``seed_volume``: adds N synthetic clients to a gemeente (see ``demo.volume`` for what it guarantees)."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from openinburgering.accounts.models import Gemeente
from openinburgering.audit.chain import seal_pending
from openinburgering.audit.partitions import ensure_partitions
from openinburgering.clients.models import Person

from .bulk import _BULK_MODELS, RowWriter, _drop_secondary_indexes, _skip_foreign_key_triggers, _verify_references
from .common import (
    BULK_INDEX_THRESHOLD,
    CLIENTS_PER_CASEWORKER,
    VOLUME_BSN_FIRST,
    VOLUME_BSN_LAST,
    VolumeResult,
    ensure_caseworkers,
    valid_bsns,
)
from .generate import _generate


def seed_volume(
    *, gemeente_code: str, clients: int, seed: int = 2026, as_of: date, caseworkers: int | None = None
) -> VolumeResult:
    """Adds `clients` synthetic client files (with persons, households, history, notes and audit rows) to the
    gemeente. See the module docstring for what is and is not checked."""
    import time as clock

    started = clock.perf_counter()
    result = VolumeResult()
    gemeente = Gemeente.objects.get(code=gemeente_code)
    if not gemeente.is_active:
        Gemeente.objects.filter(pk=gemeente.pk).update(is_active=True)
    worker_count = caseworkers or max(3, math.ceil(clients / CLIENTS_PER_CASEWORKER))
    writer = RowWriter()
    skipped_fk_checks = False
    dropped_indexes: list[str] = []
    with transaction.atomic():
        if writer.is_postgres:
            with connection.cursor() as cursor:
                # One volume seed at a time per database: the BSN range continues from the current maximum.
                cursor.execute("SELECT pg_advisory_xact_lock(4202026)")
                cursor.execute("SET LOCAL synchronous_commit = off")
            skipped_fk_checks = _skip_foreign_key_triggers()
            # Every month the generated audit rows fall in gets its partition (audit.partitions), so they do not
            # pile up in the default partition. The oldest file starts at most 1,500 days back (STATUS_MIX).
            ensure_partitions(first_month=as_of - timedelta(days=1600), last_month=as_of)
            if clients >= BULK_INDEX_THRESHOLD:
                dropped_indexes = _drop_secondary_indexes()
        workers, team_of = ensure_caseworkers(gemeente, worker_count)
        result.caseworkers = len(workers)
        highest = Person.objects.filter(
            gemeente=gemeente, bsn__gte=f"{VOLUME_BSN_FIRST:09d}", bsn__lte=f"{VOLUME_BSN_LAST:09d}"
        ).aggregate(top=Max("bsn"))["top"]
        bsns = valid_bsns(int(highest) if highest else VOLUME_BSN_FIRST - 1)
        rng = random.Random(f"{seed}-{gemeente_code}-{highest or ''}")  # noqa: S311 -- synthetic data, not security
        result.timings["setup"] = clock.perf_counter() - started
        _generate(
            rng=rng, writer=writer, gemeente=gemeente, clients=clients, as_of=as_of, bsns=bsns, workers=workers,
            team_of=team_of, result=result,
        )  # fmt: skip
        if dropped_indexes:
            t0 = clock.perf_counter()
            with connection.cursor() as cursor:
                for definition in dropped_indexes:
                    cursor.execute(definition)
            result.timings["indexes"] = clock.perf_counter() - t0
        if writer.is_postgres and skipped_fk_checks:
            t0 = clock.perf_counter()
            # The replica role switched the audit chain's seal trigger off too: seal the new events here.
            seal_pending(now=timezone.now())
            _verify_references()
            result.timings["verify"] = clock.perf_counter() - t0
    if writer.is_postgres:
        t0 = clock.perf_counter()
        with connection.cursor() as cursor:
            # VACUUM sets the visibility map, so counts can use index-only scans as on a settled database;
            # inside an outer transaction (tests) only ANALYZE is possible.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            for model in _BULK_MODELS:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
        result.timings["analyze"] = clock.perf_counter() - t0
    result.timings["total"] = clock.perf_counter() - started
    return result
