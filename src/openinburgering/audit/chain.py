"""The tamper-evident audit trail (#12 item 7): a content hash per event and a hash chain per gemeente.

Every event carries ``content_hash``: SHA-256 over its content in one canonical form (computed when it is inserted,
also for bulk inserts). When the inserting transaction commits, the database links the event into the chain of its
gemeente (the events without a gemeente form the chain ``-``) with an insert-only ``AuditSeal``: a sequence number
and ``chain_hash = SHA-256(previous chain_hash + content_hash)``. On PostgreSQL a deferred constraint trigger does
this at commit under a per-chain advisory lock, so the chain follows the commit order and concurrent requests wait
for each other only for the moment of the commit; on SQLite (the demo) a plain trigger does it at insert, where
transactions are serialised anyway (migration ``audit.0003``).

``verify_chains()`` recomputes every content hash and every link and reports the first break per chain: an edited
event, a removed or inserted event or seal, or an event that was never sealed. Anyone with full write access to
the database could rewrite a whole chain; that is why ``verify_audit`` prints each chain's head (sequence number and
hash), for the gemeente to keep outside the database (docs/audit.md).

Archived months (`audit.archive`, #18 item 6) are no longer in the database, but their seals are: a seal whose event
is gone counts as archived when the event's id lies in the id range of an ``AuditArchive``. Its link to the previous
seal is still checked; its chain hash cannot be recomputed without the event (the archive checked the content before
it dropped the month, and the export holds it). The number of such seals over all chains must equal the number of
archived events, so an event removed from a month that is still in the database is found even when its id lies in an
archived range.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import AuditEvent

GENESIS = "0" * 64
"""The ``prev_hash`` of the first seal of every chain."""

SYSTEM_CHAIN = "-"
"""The chain of the events that belong to no gemeente (e.g. a failed login of an unknown user)."""


def canonical_content(
    *,
    occurred_at: datetime,
    actor_id: int | None,
    actor_role: str,
    gemeente_id: int | None,
    client_file_id: int | None,
    event_type: str,
    subject_type: str,
    subject_id: str,
    purpose: str,
    changes: Any,
    request_id: str,
    via: str,
) -> str:
    """The one canonical text of an event's content: sorted JSON, the time in UTC with microseconds."""
    return json.dumps(
        {
            "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": actor_id,
            "actor_role": actor_role,
            "gemeente": gemeente_id,
            "client_file": client_file_id,
            "event_type": event_type,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "purpose": purpose,
            "changes": changes,
            "request_id": request_id,
            "via": via,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def content_hash_of(event: AuditEvent) -> str:
    """SHA-256 (hex) over the canonical content of ``event``."""
    text = canonical_content(
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_role=event.actor_role,
        gemeente_id=event.gemeente_id,
        client_file_id=event.client_file_id,
        event_type=event.event_type,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        purpose=event.purpose,
        changes=event.changes,
        request_id=event.request_id,
        via=event.via,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def link_hash(prev_hash: str, content_hash: str) -> str:
    """The chain hash of a seal: SHA-256 (hex) over the previous chain hash followed by the event's content hash.
    The database triggers compute the same (``sha256(convert_to(prev || content, 'UTF8'))``)."""
    return hashlib.sha256((prev_hash + content_hash).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    """The outcome for one chain: its head, how many seals were checked, and the first break if any."""

    chain: str
    length: int
    head_seq: int
    head_hash: str
    first_break: str | None
    archived: int = 0


def verify_chains(chunk_size: int = 2000, using: str = "default") -> Iterator[ChainReport]:
    """Walk every chain in sequence order and report the first broken link of each (read-only). ``using`` names
    the database (the restore drill checks a restored copy)."""
    from .models import AuditArchive, AuditEvent, AuditSeal

    seals, events = AuditSeal.objects.using(using), AuditEvent.objects.using(using)
    archives = list(
        AuditArchive.objects.using(using)
        .filter(event_count__gt=0)
        .values_list("first_event_id", "last_event_id", "event_count")
    )
    ranges = [(first, last) for first, last, _count in archives if first is not None and last is not None]
    chains = seals.order_by().values_list("chain", flat=True).distinct()
    archived_seen, whole = 0, True
    for chain in sorted(chains):
        report = _verify_chain(chain, seals, events, chunk_size, ranges)
        archived_seen += report.archived
        whole = whole and report.first_break is None
        yield report
    archived_expected = sum(count for _first, _last, count in archives)
    if whole and archived_seen != archived_expected:
        yield ChainReport(
            chain="(archief)",
            length=archived_seen,
            head_seq=0,
            head_hash="",
            first_break=(
                f"{archived_seen} schakels wijzen naar een ontbrekende gebeurtenis in een gearchiveerde maand, "
                f"maar er zijn {archived_expected} gebeurtenissen gearchiveerd"
            ),
        )
    unsealed = events.filter(seal__isnull=True).order_by("id").first()
    if unsealed is not None:
        yield ChainReport(
            chain="(ongekoppeld)",
            length=0,
            head_seq=0,
            head_hash="",
            first_break=f"gebeurtenis #{unsealed.pk} ({unsealed.event_type}) is in geen keten opgenomen",
        )


def _verify_chain(
    chain: str, all_seals: Any, all_events: Any, chunk_size: int, archived_ranges: list[tuple[int, int]]
) -> ChainReport:
    expected_prev, expected_seq, length, archived = GENESIS, 1, 0, 0
    seals = all_seals.filter(chain=chain).order_by("seq").values_list("seq", "event_id", "prev_hash", "chain_hash")
    batch: list[tuple[int, int | None, str, str]] = []

    def check(rows: list[tuple[int, int | None, str, str]]) -> str | None:
        nonlocal expected_prev, expected_seq, length, archived
        events = all_events.in_bulk([event_id for _, event_id, _, _ in rows if event_id is not None])
        for seq, event_id, prev_hash, chain_hash in rows:
            where = f"volgnummer {seq}"
            if seq != expected_seq:
                return f"{where}: volgnummer {expected_seq} ontbreekt"
            event = events.get(event_id)
            if prev_hash != expected_prev:
                return f"{where} (gebeurtenis #{event_id}): de verwijzing naar de vorige schakel klopt niet"
            if event is None:
                if event_id is None or not any(first <= event_id <= last for first, last in archived_ranges):
                    return f"{where}: gebeurtenis #{event_id} ontbreekt"
                archived += 1  # in the archive: the link above is checked, the hash needs the archived content
                expected_prev, expected_seq, length = chain_hash, seq + 1, length + 1
                continue
            if content_hash_of(event) != event.content_hash:
                return f"{where} (gebeurtenis #{event_id}): de inhoud is gewijzigd"
            if link_hash(prev_hash, event.content_hash) != chain_hash:
                return f"{where} (gebeurtenis #{event_id}): de ketenhash klopt niet"
            expected_prev, expected_seq, length = chain_hash, seq + 1, length + 1
        return None

    for row in seals.iterator(chunk_size=chunk_size):
        batch.append(row)
        if len(batch) >= chunk_size:
            problem = check(batch)
            batch = []
            if problem is not None:
                return ChainReport(chain, length, expected_seq - 1, expected_prev, problem, archived)
    problem = check(batch) if batch else None
    return ChainReport(chain, length, expected_seq - 1, expected_prev, problem, archived)


def seal_pending(*, now: datetime, batch_size: int = 5000) -> int:
    """Seal, oldest first, the events that have no seal yet — only for bulk loads that ran with the database's
    triggers switched off (``session_replication_role = replica``, the volume seeder). Normally the database seals
    every event itself at commit. Returns the number of seals written."""
    from .models import AuditEvent, AuditSeal

    heads: dict[str, tuple[int, str]] = {}
    codes: dict[int, str] = {}
    pending = AuditEvent.objects.filter(seal__isnull=True).order_by("id")
    gemeente_ids = set(pending.filter(gemeente__isnull=False).values_list("gemeente_id", flat=True).distinct())
    if gemeente_ids:
        from openinburgering.accounts.models import Gemeente

        codes = dict(Gemeente.objects.filter(pk__in=gemeente_ids).values_list("id", "code"))
    for chain in {*codes.values(), SYSTEM_CHAIN}:
        last = AuditSeal.objects.filter(chain=chain).order_by("-seq").values_list("seq", "chain_hash").first()
        heads[chain] = (last[0], last[1]) if last else (0, GENESIS)
    written, batch = 0, []
    for event_id, gemeente_id, digest in pending.values_list("id", "gemeente_id", "content_hash").iterator(
        chunk_size=batch_size
    ):
        chain = codes.get(gemeente_id, SYSTEM_CHAIN) if gemeente_id is not None else SYSTEM_CHAIN
        seq, prev = heads[chain]
        chain_hash = link_hash(prev, digest)
        batch.append(
            AuditSeal(chain=chain, seq=seq + 1, event_id=event_id, prev_hash=prev, chain_hash=chain_hash, sealed_at=now)
        )
        heads[chain] = (seq + 1, chain_hash)
        if len(batch) >= batch_size:
            written += len(AuditSeal.objects.bulk_create(batch))
            batch = []
    written += len(AuditSeal.objects.bulk_create(batch))
    return written
