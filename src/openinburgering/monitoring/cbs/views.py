"""The CBS delivery page (/monitoring/cbs/): per quarter the deadline, the clients missing data, the stored files
(versions) with their download, and the button that starts the job making a new, validated file.

DELIVER_STATISTICS only (teamleider, beleidsmedewerker); otherwise 404. The page view, every request and every
download are audited in the request's transaction."""

from __future__ import annotations

import re

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.audit.services import record_event
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.core.models import JobRun

from . import services
from .selectors import incomplete_for, long_date
from .services import KIND, PURPOSE, Quarter

QUARTER_PARAMETER = re.compile(r"^(20\d\d)-K([1-4])$")
CHOICES = 8  # quarters offered on the page


def _deliverer(request: HttpRequest) -> Actor:
    actor = request_actor(request)
    require(actor, Capability.DELIVER_STATISTICS)
    return actor


def quarter_choices(as_of: Quarter) -> list[Quarter]:
    quarters: list[Quarter] = []
    current = as_of
    while len(quarters) < CHOICES and current.year >= 2022:
        quarters.append(current)
        current = current.previous()
    return quarters


def _quarter(raw: str) -> Quarter:
    """?kwartaal=2026-K3, default the last completed quarter; anything else (or a quarter not ended) is a 404."""
    latest = Quarter.last_completed(today())
    if not raw:
        return latest
    match = QUARTER_PARAMETER.match(raw)
    if match is None:
        raise NotFound()
    quarter = Quarter(int(match.group(1)), int(match.group(2)))
    if quarter > latest or quarter.year < 2022:
        raise NotFound()
    return quarter


def page_url(quarter: Quarter) -> str:
    return f"{reverse('monitoring:cbs')}?kwartaal={quarter.label}"


@staff_view
@require_GET
def delivery_page(request: HttpRequest) -> HttpResponse:
    actor = _deliverer(request)
    quarter = _quarter(request.GET.get("kwartaal", ""))
    period = quarter.period
    as_of = today()
    with transaction.atomic():
        rows = incomplete_for(actor, quarter)
        deliveries = services.deliveries_of(actor.gemeente_id)
        jobs = list(JobRun.objects.filter(kind=KIND, gemeente_id=actor.gemeente_id).order_by("-created_at")[:5])
        record_event(
            actor=actor, event_type="cbs_delivery_viewed", purpose=PURPOSE, subject_type="cbs",
            subject_id=quarter.label, via="ui",
            changes={"incomplete": len(rows), "names_shown": sum(1 for row in rows if row.name)},
        )  # fmt: skip
    context = {
        "quarter": quarter,
        "quarters": quarter_choices(Quarter.last_completed(as_of)),
        "period": period,
        "period_text": f"{long_date(period.period_start_on)} tot en met {long_date(period.period_end_on)}",
        "deliver_by": long_date(period.deliver_by_on),
        "is_overdue": as_of > period.deliver_by_on,
        "rows": rows,
        "left_out": sum(1 for row in rows if row.left_out),
        "named": actor.can(Capability.VIEW_CLIENT_FILES),
        "this_quarter": [d for d in deliveries if (d.year, d.quarter) == (quarter.year, quarter.quarter)],
        "deliveries": deliveries,
        "jobs": jobs,
        "running": services.running_job(actor.gemeente_id, quarter),
        "page_url": page_url(quarter),
    }
    return render(request, "monitoring/cbs.html", context)


@staff_view
@require_POST
def delivery_request(request: HttpRequest) -> HttpResponseRedirect:
    actor = _deliverer(request)
    quarter = _quarter(request.POST.get("kwartaal", ""))
    try:
        services.request_delivery(actor=actor, quarter=quarter, today=today())
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect(page_url(quarter))
    messages.success(
        request,
        f"Het bestand voor het {quarter.title} wordt gemaakt en gecontroleerd. Vernieuw de pagina over een "
        "ogenblik: daarna kunt u het downloaden.",
    )
    return redirect(page_url(quarter))


@staff_view
@require_GET
def delivery_download(request: HttpRequest, delivery_id: int) -> HttpResponse:
    actor = _deliverer(request)
    with transaction.atomic():
        delivery = services.access_delivery(actor, delivery_id)
        try:
            services.record_download(actor=actor, delivery=delivery)
        except Conflict as error:  # emptied by the retention job: say so in Dutch (409), nothing written
            context = {"message": error.message, "back_url": page_url(Quarter(delivery.year, delivery.quarter))}
            return render(request, "monitoring/cbs_destroyed.html", context, status=409)
        content = bytes(delivery.content)
    response = HttpResponse(content, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{delivery.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
