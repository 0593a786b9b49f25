"""Reads of the outbox, scoped to one gemeente."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from openinburgering.accounts.models import Gemeente

from .models import OutboxMessage, OutboxState

OPEN_STATES = (OutboxState.PENDING, OutboxState.SENDING, OutboxState.FAILED)


def open_messages(*, gemeente: Gemeente, limit: int = 200) -> QuerySet[OutboxMessage]:
    """Messages not yet sent (failed first, then oldest first); the payload is not loaded (it may hold personal
    data and the list does not show it)."""
    return (
        OutboxMessage.objects.filter(gemeente=gemeente, state__in=OPEN_STATES)
        .defer("payload", "progress")
        .annotate(
            failed_first=Case(
                When(state=OutboxState.FAILED, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("failed_first", "created_at", "pk")[:limit]
    )


def state_counts(*, gemeente: Gemeente) -> dict[str, int]:
    rows = OutboxMessage.objects.filter(gemeente=gemeente).values("state").annotate(n=Count("pk"))
    counts = {state.value: 0 for state in OutboxState}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts
