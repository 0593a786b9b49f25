"""A stored CBS delivery file is emptied by the daily retention job two years after the end of its quarter
(rules.retention.cbs_delivery_retention; docs/retention.md). The row stays with its SHA-256 and counts; the job is
idempotent and the dry run only lists. Files are made by the real job from ``tests.monitoring.cbs_fixtures``."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, models, transaction

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Gemeente, User
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.monitoring.cbs.models import CbsDelivery
from openinburgering.monitoring.cbs.services import Quarter
from openinburgering.retention.services import apply_retention
from tests.monitoring.cbs_fixtures import make_delivery, quarterly

pytestmark = pytest.mark.django_db

MADE_ON = date(2026, 12, 7)


def _make(actor: Actor, quarter: Quarter) -> CbsDelivery:
    return make_delivery(actor, quarter, MADE_ON)


@pytest.fixture
def deliveries(
    staff: dict[str, User], make_file: Callable[..., ClientFile], actor: Callable[..., Actor]
) -> tuple[CbsDelivery, CbsDelivery, CbsDelivery]:
    """2026-K2 v1, 2026-K3 v1 and v2 (v2 replaces v1) of Haarlem, made by bram."""
    files = quarterly(staff, make_file)
    bram = actor("bram")
    k2 = _make(bram, Quarter(2026, 2))
    assert files.complete.person.bsn.encode() in bytes(k2.content)  # the file holds BSNs: why it must go
    k3 = _make(bram, Quarter(2026, 3))
    k3_v2 = _make(bram, Quarter(2026, 3))
    assert (k2.version, k3.version, k3_v2.version, k3_v2.replaces_id) == (1, 1, 2, k3.pk)
    return k2, k3, k3_v2


def _content(delivery: CbsDelivery) -> bytes:
    return bytes(CbsDelivery.objects.get(pk=delivery.pk).content)


def test_each_file_is_emptied_two_years_after_its_quarter_once(
    deliveries: tuple[CbsDelivery, CbsDelivery, CbsDelivery],
) -> None:
    k2, k3, k3_v2 = deliveries
    sizes = {d.pk: len(_content(d)) for d in deliveries}
    assert all(size > 0 for size in sizes.values())

    # On the last day of K2's term (30 June 2028) nothing happens.
    assert apply_retention(as_of=date(2028, 6, 30), dry_run=False).cbs_files == {}

    # The dry run the day after lists K2's file and changes nothing.
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", "--as-of", "2028-07-01", stdout=out)
    assert (
        f"GM0392: CBS-bestanden over de bewaartermijn (twee jaar na het kwartaal), te vernietigen: 1 (bestand {k2.pk})"
    ) in out.getvalue()
    assert len(_content(k2)) == sizes[k2.pk]
    assert not AuditEvent.objects.filter(event_type="cbs_delivery_destroyed").exists()

    # Another gemeente's run does not touch Haarlem's files.
    zandvoort = Gemeente.objects.get(code=ZANDVOORT)
    assert apply_retention(as_of=date(2028, 7, 1), dry_run=False, gemeente_id=zandvoort.pk).cbs_files == {}
    assert len(_content(k2)) == sizes[k2.pk]

    report = apply_retention(as_of=date(2028, 7, 1), dry_run=False)
    assert report.cbs_files == {"GM0392": [k2.pk]}
    destroyed = CbsDelivery.objects.get(pk=k2.pk)
    assert (bytes(destroyed.content), destroyed.digests) == (b"", {})
    assert (destroyed.sha256, destroyed.record_count, destroyed.version) == (k2.sha256, k2.record_count, 1)
    assert destroyed.is_destroyed
    assert len(_content(k3)) == sizes[k3.pk]  # K3 is kept until 30 September 2028
    event = AuditEvent.objects.get(event_type="cbs_delivery_destroyed")
    assert (event.subject_id, event.via, event.gemeente.code, event.client_file) == (str(k2.pk), "job", "GM0392", None)
    assert event.changes == {
        "period": "2026-K2", "version": 1, "kept_until": "2028-06-30", "as_of": "2028-07-01",
        "records": k2.record_count, "sha256": k2.sha256,
    }  # fmt: skip

    # Both versions of K3 (also the replaced one) go after their quarter's term.
    assert apply_retention(as_of=date(2028, 9, 30), dry_run=False).cbs_files == {}
    report = apply_retention(as_of=date(2028, 10, 1), dry_run=False)
    assert report.cbs_files == {"GM0392": [k3.pk, k3_v2.pk]}
    assert (_content(k3), _content(k3_v2)) == (b"", b"")
    assert CbsDelivery.objects.get(pk=k3_v2.pk).replaces_id == k3.pk

    # Idempotent: the next runs find nothing and write nothing.
    assert apply_retention(as_of=date(2029, 1, 1), dry_run=False).cbs_files == {}
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", "--as-of", "2029-01-01", stdout=out)
    assert "CBS-bestanden" not in out.getvalue()
    assert AuditEvent.objects.filter(event_type="cbs_delivery_destroyed").count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the insert-only trigger is PostgreSQL's")
def test_outside_the_retention_job_a_cbs_file_cannot_be_emptied(
    deliveries: tuple[CbsDelivery, CbsDelivery, CbsDelivery],
) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        models.QuerySet.update(CbsDelivery.objects.filter(pk=deliveries[0].pk), content=b"")
    assert _content(deliveries[0]) != b""
