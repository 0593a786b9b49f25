"""Team pages of zorg en netwerk (/netwerk/, #14): the referrals to follow up (klantregisseur, teamleider) and the
maatschappelijk begeleider's caseload. Both lists are audited in the transaction that reads them."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.audit.services import EventSubject, record_event, record_events
from openinburgering.core.dates import today
from openinburgering.core.errors import NotFound

from . import selectors, services
from .models import BegeleidingKind


@staff_view
@require_http_methods(["GET"])
def follow_up_queue(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not (actor.can(Capability.VIEW_OWN_CASELOAD) or actor.can(Capability.VIEW_TEAM_CASELOAD)):
        raise NotFound()
    with transaction.atomic():
        referrals = list(selectors.follow_up_queue(actor, as_of=today())[:200])
        record_event(actor=actor, event_type="caseload_viewed", purpose=services.PURPOSE,
                     changes={"scope": "verwijzingen", "result_count": len(referrals)})  # fmt: skip
        return render(request, "netwerk/follow_up_queue.html", {"referrals": referrals, "today": today()})


@staff_view
@require_http_methods(["GET"])
def begeleiding_caseload(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.VIEW_BEGELEIDING_CASELOAD)
    with transaction.atomic():
        files = list(selectors.begeleiding_caseload(actor))
        record_events(
            actor=actor, event_type="begeleiding_caseload_listed", purpose=services.PURPOSE,
            subjects=[EventSubject(f.gemeente_id, f.pk, "clientfile", str(f.pk)) for f in files],
        )  # fmt: skip
        kinds = dict(BegeleidingKind.choices)
        rows = [
            {
                "file": f,
                "latest_on": getattr(f, "latest_on", None),
                "latest_kind": kinds.get(getattr(f, "latest_kind", ""), ""),
            }
            for f in files
        ]
        return render(request, "netwerk/begeleiding_caseload.html", {"rows": rows})
