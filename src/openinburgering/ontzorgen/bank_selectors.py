"""Reads for the bank pages and the API: the open worklist lines, the statements of a gemeente."""

from __future__ import annotations

from django.db.models import QuerySet

from .models_bank import WORKLIST_OUTCOMES, BankStatement, StatementLine

WORKLIST_LIMIT = 200


def open_lines_queryset(*, gemeente_id: int) -> QuerySet[StatementLine]:
    """Returned and unmatched lines nobody handled yet, oldest booking first (one query with its relations)."""
    return (
        StatementLine.objects.filter(gemeente_id=gemeente_id, outcome__in=WORKLIST_OUTCOMES, resolution__isnull=True)
        .select_related("statement", "client_file__person", "payment__obligation")
        .order_by("booked_on", "statement_id", "entry_index", "id")
    )


def open_lines(*, gemeente_id: int, limit: int = WORKLIST_LIMIT) -> list[StatementLine]:
    return list(open_lines_queryset(gemeente_id=gemeente_id)[:limit])


def statements_of(*, gemeente_id: int) -> QuerySet[BankStatement]:
    return (
        BankStatement.objects.filter(gemeente_id=gemeente_id)
        .select_related("imported_by")
        .order_by("-imported_at", "-id")
    )
