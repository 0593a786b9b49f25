"""The rows of `GET /caseload` as the values the response shows (#18).

The endpoint used to load each file of a page as model instances with their person, worker and team, read the
page's attendance rates (1 query) and summaries (3 queries) on their side, and run every row through
``CaseloadItemSerializer``: DRF's per-field machinery (copying the declared fields for each nested serializer,
``get_attribute`` and ``to_representation`` per field) was most of the request's CPU. Here one query reads the page
as values, with the file's stage facts (``casefile.summary.stage_annotations``) and attendance in the rate window
(``progress.selectors.attendance_annotations``) and the outcomes of its oproepen (the next oproep step needs all
of them: ``casefile.summary.call_outcomes_annotation``) as correlated subqueries, and each row is built as a plain
dict in the order and with the values of ``CaseloadItemSerializer``, which stays the schema of the response
(openapi.yaml). tests/api/test_caseload_rows.py compares the two file by file over every state of a summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import QuerySet

from openinburgering.casefile.summary import (
    call_outcomes_annotation,
    call_outcomes_of,
    stage_annotations,
    summary_of_row,
)
from openinburgering.clients.deadlines import DEADLINE_LABELS
from openinburgering.clients.models import ClientFile
from openinburgering.progress.selectors import attendance_annotations, rate_of

ROW_FIELDS = (
    "pk", "status", "doelgroep", "opened_on", "person_id", "person__given_names", "person__surname_prefix",
    "person__surname", "person__birth_on", "assigned_to_id", "assigned_to__first_name", "assigned_to__last_name",
    "assigned_to__username", "team_id", "team__name", "next_deadline_on", "next_deadline_kind", "pip_dagtekening_on",
)  # fmt: skip


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def caseload_item(row: dict[str, Any], calls: Sequence[str], *, as_of: date, threshold: int) -> dict[str, Any]:
    """One response row from a row of :data:`ROW_FIELDS` and the annotations, as ``CaseloadItemSerializer`` gives
    it (same keys in the same order, same values)."""
    due_on: date | None = row["next_deadline_on"]
    days_left = None if due_on is None else (due_on - as_of).days
    assigned_to = None
    if row["assigned_to_id"] is not None:
        full_name = f"{row['assigned_to__first_name']} {row['assigned_to__last_name']}".strip()
        assigned_to = {"id": row["assigned_to_id"], "display_name": full_name or row["assigned_to__username"]}
    rate = rate_of(row, threshold)
    attendance = None
    if rate is not None and rate.percent is not None:
        attendance = {"rate_percent": rate.percent, "threshold_percent": rate.threshold_percent, "low": rate.is_low}
    summary = summary_of_row(row, calls)
    return {
        "id": row["pk"],
        "status": row["status"],
        "doelgroep": row["doelgroep"],
        "opened_on": _iso(row["opened_on"]),
        "person": {
            "id": row["person_id"],
            "given_names": row["person__given_names"],
            "surname_prefix": row["person__surname_prefix"],
            "surname": row["person__surname"],
            "birth_on": _iso(row["person__birth_on"]),
        },
        "assigned_to": assigned_to,
        "team": None if row["team_id"] is None else {"id": row["team_id"], "name": row["team__name"]},
        "next_deadline_on": _iso(due_on),
        "next_deadline_kind": row["next_deadline_kind"],
        "next_deadline_label": str(DEADLINE_LABELS.get(row["next_deadline_kind"], "")),
        "days_left": days_left,
        "is_overdue": days_left is not None and days_left < 0,
        "attendance": attendance,
        "summary": {
            "call_state": summary.call_state.value,
            "call_count": summary.call_count,
            "intake_state": summary.intake_state.value,
            "intake_done": summary.intake_done,
            "intake_total": summary.intake_total,
            "intake_in_absence": summary.intake_in_absence,
            "pip_state": summary.pip_state.value,
            "oproep_step": summary.oproep_step,
            "oproep_step_label": summary.oproep_step_label,
            "intake_label": summary.intake_label,
            "pip_label": summary.pip_label,
            "stage_label": summary.stage_label,
        },
    }


class CaseloadRows:
    """A caseload queryset (``clients.selectors.caseload_for``) as the object list of a paginator: ``count()`` counts
    the files (the response's exact ``count``, 1 query), a slice reads only that page's rows (1 query)."""

    def __init__(self, queryset: QuerySet[ClientFile], *, as_of: date, threshold: int) -> None:
        self._queryset = queryset
        self._as_of = as_of
        self._threshold = threshold
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        values = self._queryset.values(*ROW_FIELDS).annotate(
            **stage_annotations(calls=False), **call_outcomes_annotation(), **attendance_annotations(self._as_of)
        )[page]
        return [
            caseload_item(value, call_outcomes_of(value), as_of=self._as_of, threshold=self._threshold)
            for value in values
        ]
