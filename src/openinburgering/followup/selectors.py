"""Reads of the follow-up with a constant number of queries. Callers reach the file through access_client_file."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import OuterRef, Subquery

from openinburgering.clients.models import ClientFile

from .models import FollowUpRecord


def records_of(client_file: ClientFile) -> list[FollowUpRecord]:
    """Every follow-up contact of the file, newest first (1 query)."""
    return list(
        FollowUpRecord.objects.filter(client_file=client_file)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
    )


def latest_of(client_file: ClientFile) -> FollowUpRecord | None:
    """The current situation: the newest contact (1 query)."""
    return FollowUpRecord.objects.filter(client_file=client_file).order_by("-recorded_at", "-id").first()


def latest_by_file(file_ids: Sequence[int]) -> dict[int, FollowUpRecord]:
    """The newest contact of each of many files (1 query, whatever the number of files)."""
    latest: dict[int, FollowUpRecord] = {}
    rows = FollowUpRecord.objects.filter(client_file_id__in=list(file_ids)).order_by(
        "client_file_id", "-recorded_at", "-id"
    )
    for record in rows:
        latest.setdefault(record.client_file_id, record)
    return latest


def latest_situation() -> Subquery:
    """For annotating client files in one query: the situation of the file's newest contact (None without)."""
    newest = FollowUpRecord.objects.filter(client_file=OuterRef("pk")).order_by("-recorded_at", "-id")
    return Subquery(newest.values("situation")[:1])
