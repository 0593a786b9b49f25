"""Updates on change (docs/monitoring.md): after the commit of a change to a client file or to a record a figure
reads (intake, PIP version, status change, vervolgcontact, boetebesluit, DUO's termijn), the file's fact and the
cells are brought up to date (``facts.refresh_files``), once per file per transaction.

It runs after the commit, in its own transaction: the change itself never waits for or fails on monitoring. If
the refresh fails it is logged and the nightly job (``monitoring.tasks``) repairs it; bulk writes that send no
``post_save`` (``QuerySet.update``, ``bulk_create``, the volume seeder) are also caught by the nightly job."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from openinburgering.core.dates import today

logger = logging.getLogger(__name__)
_pending = threading.local()


def _flush() -> None:
    ids: set[int] = getattr(_pending, "ids", set())
    _pending.ids = set()
    if not ids:
        return
    from .facts import refresh_files

    try:
        refresh_files(ids, today=today())
    except Exception:  # the change is committed; the nightly job repairs the figures
        logger.exception("Monitoring: bijwerken van %s dossier(s) mislukt; de nachtelijke taak herstelt het.", len(ids))


def file_changed(file_id: int | None) -> None:
    if not file_id:
        return
    ids = getattr(_pending, "ids", None)
    if ids is None:
        ids = _pending.ids = set()
    ids.add(file_id)
    # A callback per save: the first to run after the commit refreshes every pending file, the others find none.
    # (A callback dropped with a rolled-back savepoint leaves its id pending for the next flush: harmless.)
    transaction.on_commit(_flush)


def _on_file(sender: Any, instance: Any, **kwargs: Any) -> None:
    file_changed(instance.pk)


def _on_record(sender: Any, instance: Any, **kwargs: Any) -> None:
    file_changed(getattr(instance, "client_file_id", None))


def _on_decision(sender: Any, instance: Any, **kwargs: Any) -> None:
    from openinburgering.handhaving.models import FineProposal

    file_changed(FineProposal.objects.filter(pk=instance.proposal_id).values_list("client_file_id", flat=True).first())


def _on_file_signal(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.kind == "termijn_started":  # DUO's termijn: an extension (W 12) changes the figures
        file_changed(instance.client_file_id)


def connect() -> None:
    from openinburgering.clients.models import ClientFile, StatusChange
    from openinburgering.followup.models import FollowUpRecord
    from openinburgering.handhaving.models import FineDecision
    from openinburgering.intakes.models import Intake
    from openinburgering.plans.models import PipVersion

    post_save.connect(_on_file, sender=ClientFile, dispatch_uid="monitoring_file")
    for model in (StatusChange, Intake, PipVersion, FollowUpRecord):
        post_save.connect(_on_record, sender=model, dispatch_uid=f"monitoring_{model.__name__}")
    post_save.connect(_on_decision, sender=FineDecision, dispatch_uid="monitoring_fine_decision")
    from openinburgering.signals.models import FileSignal

    post_save.connect(_on_file_signal, sender=FileSignal, dispatch_uid="monitoring_file_signal")
