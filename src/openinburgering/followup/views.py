"""Vervolg pages of one client file (/dossiers/<file>/vervolg/): the current situation after the inburgering,
every follow-up contact, a form for a new contact and one to end the follow-up.

Views parse input, go through access_client_file (404 for missing, other gemeente and missing capability), call
one service and render. The page writes ``followup_viewed`` in the same transaction; changes are audited by
followup.services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.sections import Access, Section
from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.clients.access import access_client_file, section_access
from openinburgering.clients.forms import run_form_service
from openinburgering.clients.models import ClientFile
from openinburgering.clients.views import deadline_view
from openinburgering.core.dates import today

from . import selectors, services
from .choices import FOLLOW_UP_STATUSES
from .forms import EndForm, FollowUpForm


def _index_url(client_file: ClientFile, anchor: str = "") -> str:
    return reverse("followup:index", kwargs={"file_id": client_file.pk}) + (f"#{anchor}" if anchor else "")


def _render(
    request: HttpRequest,
    actor: Actor,
    client_file: ClientFile,
    *,
    record_form: FollowUpForm | None = None,
    end_form: EndForm | None = None,
    status: int = 200,
) -> HttpResponse:
    services.record_read(actor=actor, client_file=client_file, event_type="followup_viewed")
    records = selectors.records_of(client_file)
    context: dict[str, Any] = {
        "client_file": client_file,
        "person": client_file.person,
        "records": records,
        "current": records[0] if records else None,
        "open": client_file.status in FOLLOW_UP_STATUSES,
        "deadline": deadline_view(client_file, today()),
        # The forms show only to who may change begeleiding here (need to know, #12 item 1), as the posts demand.
        "can_change": section_access(actor, Section.BEGELEIDING) >= Access.WRITE,
        "record_form": record_form or FollowUpForm(prefix="vervolg", initial={"contact_on": today()}),
        "end_form": end_form or EndForm(prefix="einde"),
        "has_errors": record_form is not None or end_form is not None,
    }
    return render(request, "followup/index.html", context, status=status)


@staff_view
@require_http_methods(["GET"])
def index(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.BEGELEIDING)
        return _render(request, actor, client_file)


@staff_view
@require_POST
def record(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.BEGELEIDING)
        form = FollowUpForm(request.POST, prefix="vervolg")
        run_form_service(form, lambda data: services.record_follow_up(actor=actor, client_file=client_file, data=data))
        if form.errors:
            return _render(request, actor, client_file, record_form=form, status=400)
    messages.success(request, "Het vervolgcontact is vastgelegd.")
    return HttpResponseRedirect(_index_url(client_file, "huidig"))


@staff_view
@require_POST
def end(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.BEGELEIDING)
        form = EndForm(request.POST, prefix="einde")
        run_form_service(
            form,
            lambda data: services.end_follow_up(actor=actor, client_file=client_file, reason=data.get("reason", "")),
        )
        if form.errors:
            return _render(request, actor, client_file, end_form=form, status=400)
    messages.success(request, "Het vervolg is afgerond. Het dossier heeft nu de status Beëindigd.")
    return HttpResponseRedirect(reverse("clients:detail", kwargs={"file_id": client_file.pk}) + "#status")
