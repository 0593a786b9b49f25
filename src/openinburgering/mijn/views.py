"""The client's pages under /mijn/ (#15). Each view: the portal door (own file only, 404 otherwise), one service
or selector, an audit event for the read, render. All texts through gettext in the client's language."""

from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openinburgering.clients.models import Consent
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.plans.models import PipVersion
from openinburgering.plans.services import termijn_of
from openinburgering.rules.fines import PIP_FINE_MAX, REGULAR_CAP

from . import selectors, services
from .access import PortalClient, own_letter, own_upload, portal_client_of, portal_view, request_client
from .disclosure import access_log
from .forms import MessageForm, RescheduleForm, UploadForm
from .ics import appointment_ics
from .labels import (
    APPOINTMENT_LABELS,
    COMPONENT_LABELS,
    CONTACT_ROLE_LABELS,
    EDUCATION_LABELS,
    EXAM_PART_LABELS,
    LEERROUTE_EXPLAINED,
    LEERROUTE_LABELS,
    ONTZORGEN_LABELS,
    RESPONSIBLE_LABELS,
)
from .languages import COOKIE_NAME, SESSION_KEY, clean_language
from .middleware import EXPIRED_SESSION_KEY
from .models import AppointmentKind, PortalUpload


def _page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    client = getattr(request, "portal", None)
    context.setdefault("portal", client)
    return render(request, template, context, status=status)


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if (
        value
        and value.startswith("/mijn/")
        and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()})
    ):
        return value
    return reverse("mijn:start")


# --- Login, logout, language ------------------------------------------------------------------------------------


@require_GET
def login(request: HttpRequest) -> HttpResponse:
    if request.session.pop(EXPIRED_SESSION_KEY, False):
        messages.info(request, _("U bent uitgelogd omdat u 15 minuten niets heeft gedaan. Log opnieuw in."))
    try:
        portal_client_of(request)
    except NotFound:
        pass  # not logged in as a client: show the login page
    else:
        return HttpResponseRedirect(reverse("mijn:start"))
    next_url = _safe_next(request, request.GET.get("next"))
    digid_url = reverse("digid:login") + "?" + f"next={next_url}"
    return _page(request, "mijn/login.html", {"digid_url": digid_url, "mock": settings.DIGID_MOCK})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    try:
        client = portal_client_of(request)
    except NotFound:  # logging out without a portal session is simply a logout
        client = None
    language = request.session.get(SESSION_KEY)
    if client is not None:
        services.record_client_read(client, "portal_logged_out")
    logout(request)
    if language:
        request.session[SESSION_KEY] = language
    messages.success(request, _("U bent uitgelogd."))
    return HttpResponseRedirect(reverse("mijn:login"))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language form on every page (works without JavaScript): remembered in the account, session and cookie."""
    language = clean_language(request.POST.get("language"))
    try:
        client: PortalClient | None = portal_client_of(request)
    except NotFound:  # before login the choice lives in the session and cookie only
        client = None
    if client is not None:
        services.set_language(account=client.account, language=language)
    request.session[SESSION_KEY] = language
    response = HttpResponseRedirect(_safe_next(request, request.POST.get("next")))
    response.set_cookie(
        COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure(), httponly=True
    )
    return response


# --- Start and plan ---------------------------------------------------------------------------------------------


@portal_view()
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    client = request_client(request)
    client_file = client.client_file
    as_of = today()
    with transaction.atomic():
        services.record_client_read(client, "portal_plan_viewed")
        facts = selectors.start_facts(client_file, as_of=as_of)
        context = {
            "person": client_file.person,
            "next_appointment": facts.next_appointment,
            "open_tasks": facts.open_tasks,
            "unread": facts.unread,
            "termijn": termijn_of(client_file),
            "appointment_labels": APPOINTMENT_LABELS,
        }
    return _page(request, "mijn/start.html", context)


def _plan_context(client: PortalClient, version: PipVersion | None) -> dict[str, Any]:
    client_file = client.client_file
    context: dict[str, Any] = {"version": version, "termijn": termijn_of(client_file)}
    if version is None:
        return context
    agreements = [row for row in version.agreements.order_by("position", "id") if row.leefgebied != "gezondheid"]
    context.update(
        {
            "route_label": LEERROUTE_LABELS.get(version.leerroute, version.leerroute),
            "route_explained": LEERROUTE_EXPLAINED.get(version.leerroute, ""),
            "my_agreements": [row for row in agreements if row.responsible == "klant"],
            "their_agreements": [
                (RESPONSIBLE_LABELS.get(row.responsible, row.responsible), row)
                for row in agreements
                if row.responsible != "klant"
            ],
            "ontzorgen_items": [ONTZORGEN_LABELS.get(item, item) for item in version.ontzorgen_items],
            "fine_max": PIP_FINE_MAX,
            "fine_cap": REGULAR_CAP,
            "beschikking": selectors.letters_of(client_file)
            .filter(kind="pip_beschikking", subject_id=str(version.pk))
            .first(),
            "ontzorgen_status": _optional_ontzorgen_status(client),
            "contact_card": _contact_rows(client),
            "children": selectors.children_in_school(client_file, as_of=today()),
            "education_labels": EDUCATION_LABELS,
        }
    )
    return context


def _optional(module: str, name: str, client: PortalClient) -> Any:
    """A selector of another app that may not be installed yet (#13 ontzorgen, #14 netwerk): its answer for the
    client's file, or None. No hard dependency: without it the plan page shows the PIP's own lines."""
    try:
        selector = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    try:
        return selector(client.client_file)
    except Exception:  # another app's selector must never break the client's plan page
        return None


def _optional_ontzorgen_status(client: PortalClient) -> Any:
    return _optional("openinburgering.ontzorgen.selectors", "ontzorgen_status", client)


def _optional_contact_card(client: PortalClient) -> Any:
    return _optional("openinburgering.netwerk.selectors", "contact_card_for", client)


@portal_view("plan")
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    client = request_client(request)
    with transaction.atomic():
        services.record_client_read(client, "portal_plan_viewed")
        context = _plan_context(client, selectors.current_pip(client.client_file))
    return _page(request, "mijn/plan.html", context)


@portal_view("plan")
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    """Mijn voortgang (#15 item 5): hours against the plan, exams seen at DUO, PVT and MAP, who helps me."""
    client = request_client(request)
    with transaction.atomic():
        services.record_client_read(client, "portal_progress_viewed")
        context = {
            "progress": selectors.progress_of(client.client_file, as_of=today()),
            "contact_card": _contact_rows(client),
            "component_labels": COMPONENT_LABELS,
            "exam_labels": EXAM_PART_LABELS,
            "map_themes": selectors.MAP_THEMES,
        }
    return _page(request, "mijn/progress.html", context)


def _contact_rows(client: PortalClient) -> list[dict[str, Any]]:
    """The contact card with the roles the portal can say in the client's language (others stay Dutch)."""
    card = _optional_contact_card(client) or []
    return [{"role": CONTACT_ROLE_LABELS.get(entry.role), "role_nl": entry.role, "entry": entry} for entry in card]


# --- Appointments and tasks -------------------------------------------------------------------------------------


@portal_view("appointments")
@require_GET
def appointments(request: HttpRequest) -> HttpResponse:
    client = request_client(request)
    with transaction.atomic():
        services.record_client_read(client, "portal_appointments_viewed")
        context = {
            "appointments": selectors.appointments_of(client.client_file, as_of=today()),
            "tasks": list(selectors.tasks_of(client.client_file)),
            "appointment_labels": APPOINTMENT_LABELS,
        }
    return _page(request, "mijn/appointments.html", context)


def _appointment(client: PortalClient, kind: str, appointment_id: int) -> selectors.Appointment:
    if kind not in AppointmentKind.values:
        raise Http404()
    row = selectors.find_appointment(client.client_file, kind, appointment_id, as_of=today())
    if row is None:
        raise Http404()
    return row


@portal_view("appointments")
@require_GET
def appointment_ics_view(request: HttpRequest, kind: str, appointment_id: int) -> HttpResponse:
    client = request_client(request)
    row = _appointment(client, kind, appointment_id)
    with transaction.atomic():
        services.record_client_read(client, "portal_appointment_downloaded", subject_type=kind, subject_id=str(row.id))
    summary = str(APPOINTMENT_LABELS[row.kind])
    description = (
        _("Met tolk: %(language)s") % {"language": row.interpreter_language} if row.interpreter_language else ""
    )
    body = appointment_ics(row, summary=summary, description=description, host=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="afspraak-{row.kind}-{row.id}.ics"'
    return response


@portal_view("appointments")
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, kind: str, appointment_id: int) -> HttpResponse:
    client = request_client(request)
    row = _appointment(client, kind, appointment_id)
    form = RescheduleForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.request_reschedule(
                client=client, kind=kind, appointment_id=appointment_id, reason=form.cleaned_data["reason"],
                as_of=today(),
            )  # fmt: skip
        except ApplicationError as error:
            for field, errors in error.field_errors.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            status = 400
        else:
            messages.success(request, _("Uw vraag is verstuurd. Uw klantregisseur neemt contact met u op."))
            return HttpResponseRedirect(reverse("mijn:appointments"))
    elif request.method == "POST":
        status = 400
    context = {"appointment": row, "form": form, "appointment_labels": APPOINTMENT_LABELS}
    return _page(request, "mijn/reschedule.html", context, status=status)


# --- Documents --------------------------------------------------------------------------------------------------


def _documents_page(request: HttpRequest, client: PortalClient, form: UploadForm, *, status: int = 200) -> HttpResponse:
    context = {
        "letters": list(selectors.letters_of(client.client_file)),
        "uploads": list(selectors.uploads_of(client.client_file)),
        "form": form,
        "max_mb": settings.PORTAL_UPLOAD_MAX_BYTES // (1024 * 1024),
    }
    return _page(request, "mijn/documents.html", context, status=status)


@portal_view("documents")
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest) -> HttpResponse:
    client = request_client(request)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data.get("file")
            try:
                if uploaded is None:
                    message = _("Kies een bestand.")
                    raise ApplicationError(message, field_errors={"file": [message]})
                services.upload_document(
                    client=client, kind=form.cleaned_data.get("kind") or "", uploaded=uploaded,
                    max_bytes=settings.PORTAL_UPLOAD_MAX_BYTES,
                )  # fmt: skip
            except ApplicationError as error:
                for field, errors in error.field_errors.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Uw document is ontvangen. Uw klantregisseur bekijkt het."))
                return HttpResponseRedirect(reverse("mijn:documents"))
        with transaction.atomic():
            services.record_client_read(client, "portal_documents_viewed")
            return _documents_page(request, client, form, status=400)
    with transaction.atomic():
        services.record_client_read(client, "portal_documents_viewed")
        return _documents_page(request, client, UploadForm())


@portal_view("documents")
@require_GET
def letter_download(request: HttpRequest, letter_id: int) -> HttpResponse:
    client = request_client(request)
    letter = own_letter(client, letter_id)
    with transaction.atomic():
        services.record_client_read(client, "portal_letter_downloaded", subject=letter)
    response = HttpResponse(bytes(letter.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
    return response


@portal_view("documents")
@require_GET
def upload_download(request: HttpRequest, upload_id: int) -> HttpResponse:
    client = request_client(request)
    upload = own_upload(client.client_file, upload_id)
    with transaction.atomic():
        services.record_client_read(client, "portal_upload_downloaded", subject=upload)
    return upload_response(upload)


def upload_response(upload: PortalUpload) -> HttpResponse:
    """The stored bytes (at most PORTAL_UPLOAD_MAX_BYTES) under our own file name, as a download."""
    extension = (upload.file.name or "").rsplit(".", 1)[-1]
    with upload.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=upload.content_type)
    response["Content-Disposition"] = f'attachment; filename="{upload.kind}-{upload.pk}.{extension}"'
    return response


# --- Messages ---------------------------------------------------------------------------------------------------


@portal_view("messages")
@require_http_methods(["GET", "POST"])
def messages_page(request: HttpRequest) -> HttpResponse:
    client = request_client(request)
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.send_message(client=client, body=form.cleaned_data["body"])
            except ApplicationError as error:
                for field, errors in error.field_errors.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Uw bericht is verstuurd."))
                return HttpResponseRedirect(reverse("mijn:messages") + "#berichten")
        status = 400
    with transaction.atomic():
        services.record_client_read(client, "portal_messages_viewed")
        rows = list(selectors.messages_of(client.client_file))
        services.mark_read_by_client(client=client)
    return _page(request, "mijn/messages.html", {"rows": rows, "form": form, "gemeente": client.client_file.gemeente},
                 status=status)  # fmt: skip


# --- Who looked at my file, consents ----------------------------------------------------------------------------


@portal_view("access_log")
@require_GET
def access_log_page(request: HttpRequest) -> HttpResponse:
    client = request_client(request)
    with transaction.atomic():
        services.record_client_read(client, "portal_access_log_viewed")
        months = access_log(client)
        consents = list(
            Consent.objects.filter(client_file=client.client_file)
            .filter(person__isnull=True)
            .select_related("withdrawal")
            .order_by("-given_on", "-id")
        )
    return _page(request, "mijn/access_log.html", {"months": months, "consents": consents})


@portal_view("access_log")
@require_POST
def withdraw_consent(request: HttpRequest, consent_id: int) -> HttpResponse:
    client = request_client(request)
    services.withdraw_consent(client=client, consent_id=consent_id)
    messages.success(request, _("Uw toestemming is ingetrokken. Dat geldt vanaf nu."))
    return HttpResponseRedirect(reverse("mijn:access-log") + "#toestemming")
