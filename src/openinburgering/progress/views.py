"""Voortgang pages: per file (/dossiers/<file>/voortgang/) and the gemeente's threshold (/instellingen/voortgang/).

Views parse input, go through access_client_file (404 for missing, other gemeente and missing capability), call
one service and render. The page writes ``progress_viewed`` (and ``low_attendance_listed`` for the signal list)
in the same transaction; every change goes through progress.services (audited there).
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
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Access, Section
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.audit.services import record_event
from openinburgering.clients.access import access_client_file, section_access
from openinburgering.clients.forms import run_form_service
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today

from . import selectors, services
from .forms import JudgementForm, RouteSwitchForm, SettingsForm


def _index_url(client_file: ClientFile, anchor: str = "") -> str:
    return reverse("progress:index", kwargs={"file_id": client_file.pk}) + (f"#{anchor}" if anchor else "")


def _render_index(
    request: HttpRequest,
    actor: Actor,
    client_file: ClientFile,
    *,
    judgement_form: JudgementForm | None = None,
    switch_form: RouteSwitchForm | None = None,
    status: int = 200,
) -> HttpResponse:
    services.record_read(actor=actor, client_file=client_file, event_type="progress_viewed")
    on = today()
    progress = services.progress_of(client_file, as_of=on)
    low_ids = selectors.low_attendance_files(actor.gemeente, on)
    record_event(
        actor=actor, event_type="low_attendance_listed", purpose=services.PURPOSE,
        changes={"result_count": len(low_ids)}, via="ui",
    )  # fmt: skip
    context: dict[str, Any] = {
        "client_file": client_file,
        "person": client_file.person,
        "progress": progress,
        "low_files": selectors.files_by_id(actor.gemeente, low_ids),
        # The forms show only to who may change the voortgang here (need to know, #12 item 1), as the posts demand.
        "can_change": section_access(actor, Section.VOORTGANG) >= Access.WRITE,
        "judgement_form": judgement_form or JudgementForm(prefix="judgement"),
        "switch_form": switch_form or RouteSwitchForm(prefix="switch"),
        "has_errors": judgement_form is not None or switch_form is not None,
    }
    return render(request, "progress/index.html", context, status=status)


@staff_view
@require_http_methods(["GET"])
def index(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.VOORTGANG)
        return _render_index(request, actor, client_file)


@staff_view
@require_POST
def judgement(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.VOORTGANG)
        form = JudgementForm(request.POST, prefix="judgement")
        run_form_service(
            form,
            lambda data: services.record_afschalen_judgement(actor=actor, client_file=client_file, data=data),
        )
        if form.errors:
            return _render_index(request, actor, client_file, judgement_form=form, status=400)
    messages.success(request, "Uw oordeel over afschalen is vastgelegd.")
    return HttpResponseRedirect(_index_url(client_file, "afschalen"))


@staff_view
@require_POST
def route_switch(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.VOORTGANG)
        form = RouteSwitchForm(request.POST, prefix="switch")
        version = run_form_service(
            form, lambda data: services.start_route_switch(actor=actor, client_file=client_file, data=data)
        )
        if form.errors or version is None:
            return _render_index(request, actor, client_file, switch_form=form, status=400)
    messages.success(
        request,
        f"PIP versie {version.number} is gemaakt met de nieuwe leerroute. Vul het concept aan en bied het aan de "
        "teamleider aan.",
    )
    return HttpResponseRedirect(reverse("plans:version", kwargs={"file_id": client_file.pk, "version_id": version.pk}))


@staff_view
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.MANAGE_STAFF)
    current = services.settings_of(actor.gemeente)
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"attendance_threshold_percent": current.attendance_threshold_percent},
    )
    if request.method == "POST":
        run_form_service(form, lambda data: services.update_settings(actor=actor, data=data))
        if not form.errors:
            messages.success(request, "De drempel voor aanwezigheid is opgeslagen.")
            return HttpResponseRedirect(reverse("progress-settings:edit"))
    context = {"form": form, "settings": current, "has_errors": bool(form.errors)}
    return render(request, "progress/settings.html", context, status=400 if form.errors else 200)
