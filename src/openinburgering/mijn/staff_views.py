"""The klantregisseur's side of the portal, under the file (/dossiers/<file>/portaal/): the client's messages
(answer them), reschedule requests (mark handled) and uploads (open them: audited, the client sees it), and the
functioneel beheerder's settings page (which portal parts are on, MANAGE_PORTAL)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Access, Section
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.access import access_client_file, section_access
from openinburgering.clients.models import ClientFile
from openinburgering.core.errors import ApplicationError

from . import selectors, services
from .access import own_upload
from .forms import AnswerForm, PortalSettingsForm
from .labels import APPOINTMENT_LABELS
from .views import upload_response


def _index_url(client_file: ClientFile, anchor: str = "") -> str:
    return reverse("mijn-staff:index", kwargs={"file_id": client_file.pk}) + (f"#{anchor}" if anchor else "")


def _render(request: HttpRequest, actor: Actor, client_file: ClientFile, *, form: AnswerForm | None = None,
            status: int = 200) -> HttpResponse:  # fmt: skip
    services.record_staff_read(actor=actor, client_file=client_file, event_type="portal_inbox_viewed")
    rows = list(selectors.messages_of(client_file))
    services.mark_read_by_staff(actor=actor, client_file=client_file)
    context: dict[str, Any] = {
        "client_file": client_file,
        "person": client_file.person,
        "rows": rows,
        "requests": list(selectors.reschedule_requests_of(client_file)),
        "uploads": list(selectors.uploads_of(client_file).select_related("seen_by")),
        "form": form or AnswerForm(),
        "can_answer": section_access(actor, Section.BASIS) >= Access.WRITE,
        "appointment_labels": APPOINTMENT_LABELS,
    }
    return render(request, "mijn/staff/index.html", context, status=status)


@staff_view
@require_GET
def index(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.DOCUMENTEN)
        return _render(request, actor, client_file)


@staff_view
@require_POST
def answer(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.DOCUMENTEN)
        access_client_file(actor, file_id, section=Section.BASIS, for_write=True)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.answer_message(actor=actor, client_file=client_file, body=form.cleaned_data["body"])
            except ApplicationError as error:
                for field, errors in error.field_errors.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
        if form.errors:
            return _render(request, actor, client_file, form=form, status=400)
    messages.success(request, "Uw antwoord staat in het portaal van de inburgeraar.")
    return HttpResponseRedirect(_index_url(client_file, "berichten"))


@staff_view
@require_POST
def handle_request(request: HttpRequest, file_id: int, request_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.BASIS, for_write=True)
        try:
            services.handle_reschedule(actor=actor, client_file=client_file, request_id=request_id)
        except ApplicationError as error:
            if error.status_code == 404:
                raise
            messages.info(request, error.message)
            return HttpResponseRedirect(_index_url(client_file, "verzoeken"))
    messages.success(request, "Het verzoek is afgehandeld.")
    return HttpResponseRedirect(_index_url(client_file, "verzoeken"))


@staff_view
@require_GET
def open_upload(request: HttpRequest, file_id: int, upload_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.DOCUMENTEN)
        upload = own_upload(client_file, upload_id)
        services.read_upload(actor=actor, client_file=client_file, upload=upload)
    return upload_response(upload)


@staff_view
@require_http_methods(["GET", "POST"])
def portal_settings(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.MANAGE_PORTAL)
    current = selectors.settings_for(actor.gemeente)
    fields = ("plan_on", "appointments_on", "documents_on", "messages_on", "access_log_on", "show_staff_names")
    form = PortalSettingsForm(request.POST or None, initial={name: getattr(current, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        services.save_settings(actor=actor, gemeente=actor.gemeente, data=form.cleaned_data)
        messages.success(request, "De instellingen van het portaal zijn opgeslagen.")
        return HttpResponseRedirect(reverse("mijn-settings:edit"))
    return render(request, "mijn/staff/settings.html", {"form": form, "gemeente": actor.gemeente})
