"""The teamleider's queue "PIP's ter goedkeuring" (/pip/, namespace plans-team): the submitted PIP concepts of the
gemeente, sortable by deadline or submission, paged in the database, the read audited."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.audit.services import record_event
from openinburgering.core.dates import today

from . import selectors, services
from .access import require_approver

APPROVALS_PAGE_SIZE = 25

APPROVAL_SORT_COLUMNS = (
    # (column key, label, ascending key, descending key)
    ("deadline", "PIP uiterlijk", "deadline", "-deadline"),
    ("submitted", "Aangeboden op", "submitted", "-submitted"),
)


def _approval_headers(current: str) -> dict[str, dict[str, str]]:
    """Sortable column headers: aria-sort on the current column, a link that sorts by it (or turns it around)."""
    headers = {}
    for key, label, ascending, descending in APPROVAL_SORT_COLUMNS:
        aria = "ascending" if current == ascending else "descending" if current == descending else ""
        next_key = descending if current == ascending else ascending
        headers[key] = {"label": label, "aria_sort": aria, "url": "?" + urlencode({"sort": next_key})}
    return headers


@staff_view
@require_http_methods(["GET"])
def approvals(request: HttpRequest) -> HttpResponse:
    actor = require_approver(request_actor(request))
    ordering = request.GET.get("sort", "")
    if ordering not in selectors.APPROVAL_ORDERINGS:
        ordering = "deadline"
    as_of = today()
    with transaction.atomic():
        queue = selectors.approval_queue(actor, ordering=ordering)
        page = Paginator(queue, APPROVALS_PAGE_SIZE).get_page(request.GET.get("page"))
        record_event(
            actor=actor, event_type="pip_approvals_viewed", purpose=services.PURPOSE,
            changes={"page": page.number, "result_count": page.paginator.count}, via="ui",
        )  # fmt: skip
        rows = []
        for version in page.object_list:
            due_on = getattr(version, "pip_due_on", None)  # annotated by the selector
            deadline = selectors.dated_pip_deadline(due_on, as_of=as_of) if due_on else None
            rows.append({"version": version, "deadline": deadline})
        return render(
            request,
            "plans/approvals.html",
            {
                "page_obj": page,
                "rows": rows,
                "user_id": actor.user.pk,
                "headers": _approval_headers(ordering),
                "sort": ordering,
            },
        )
