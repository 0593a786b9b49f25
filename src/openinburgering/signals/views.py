"""Signal pages at /signalen/: the inbox, one message, upload of a DUO/COA file, quarantine and purge, and the
open signals on files. Views parse input, call an access function, one service or selector, and render."""

from __future__ import annotations

from typing import ParamSpec, TypeVar

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.contrib.duo import EventSourceError
from openinburgering.contrib.duo.sources import parse_json_bytes
from openinburgering.core.errors import ApplicationError

from . import selectors, services
from .access import access_file_signal, access_quarantined_signal, access_signal
from .forms import InboxFilterForm, PurgeAllForm, ResolveForm, UploadForm
from .tasks import SYNC_LIMIT, start_import

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponse)
PAGE_SIZE = 25


@staff_view
@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.VIEW_SIGNALS)
    form = InboxFilterForm(request.GET or None)
    status = source = ""
    if form.is_valid():
        status, source = form.cleaned_data["status"], form.cleaned_data["source"]
    with transaction.atomic():
        page = Paginator(selectors.signal_inbox(actor=actor, status=status, source=source), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        services.record_inbox_read(actor=actor, count=len(page.object_list), via="ui")
        open_count = selectors.open_file_signals(actor=actor, mismatches_only=True).count()
    return render(
        request,
        "signals/inbox.html",
        {
            "form": form,
            "page_obj": page,
            "open_mismatches": open_count,
            "is_filtered": bool(status or source),
            "can_upload": actor.can(Capability.RECEIVE_SIGNALS),
            "can_purge": actor.can(Capability.PURGE_SIGNALS),
        },
    )


@staff_view
@require_http_methods(["GET"])
def detail(request: HttpRequest, signal_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        message = access_signal(actor, signal_id)
        services.record_signal_read(actor=actor, message=message, via="ui")
        health = selectors.health_shown(actor, message)
    file_signals = list(message.file_signals.all())
    return render(
        request,
        "signals/detail.html",
        {"message": message, "file_signals": file_signals, "payload": selectors.shown_payload(message, health=health),
         "health_hidden": not health and selectors.HEALTH_KEY in (message.payload or {})},
    )  # fmt: skip


@staff_view
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.RECEIVE_SIGNALS)
    report = None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            events = parse_json_bytes(form.cleaned_data["file"].read())
        except EventSourceError as exc:
            form.add_error("file", exc.message)
        else:
            if len(events) > SYNC_LIMIT:
                # A large file becomes a background job (ADR 0009): the request returns at once, the jobs page
                # shows the progress.
                with transaction.atomic():
                    job = start_import(actor=actor, kind=form.cleaned_data["kind"], events=events)
                messages.success(
                    request,
                    f"Het bestand heeft {len(events)} berichten. Het wordt op de achtergrond ingelezen; "
                    "op deze pagina ziet u hoe ver het is.",
                )
                return redirect("jobs:detail", job_id=job.pk)
            if form.cleaned_data["kind"] == "duo":
                report = services.import_duo_events(actor=actor, events=events, via="ui")
            else:
                report = services.import_coa_koppelingen(actor=actor, koppelingen=events, via="ui")
    return render(request, "signals/upload.html", {"form": form, "report": report})


@staff_view
@require_http_methods(["GET"])
def quarantine(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    page = Paginator(selectors.quarantined_signals(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "signals/quarantine.html", {"page_obj": page, "form": PurgeAllForm()})


@staff_view
@require_POST
def purge_one(request: HttpRequest, signal_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        message = access_quarantined_signal(actor, signal_id)
        services.purge_signal(actor=actor, message=message, via="ui")
    messages.success(request, "Het bericht is gewist. Alleen de soort, de datum en een controlegetal blijven bewaard.")
    return redirect("signals:quarantine")


@staff_view
@require_POST
def purge_all(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.PURGE_SIGNALS)
    form = PurgeAllForm(request.POST)
    if not form.is_valid():
        page = Paginator(selectors.quarantined_signals(actor=actor), PAGE_SIZE).get_page(1)
        return render(request, "signals/quarantine.html", {"page_obj": page, "form": form}, status=400)
    count = services.purge_quarantined_signals(actor=actor, older_than_days=form.cleaned_data["days"], via="ui")
    messages.success(request, f"{count} bericht(en) in quarantaine gewist.")
    return redirect("signals:quarantine")


@staff_view
@require_http_methods(["GET"])
def file_signals(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    page = Paginator(selectors.open_file_signals(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "signals/file_signals.html",
        {"page_obj": page, "can_resolve": actor.can(Capability.CHANGE_CLIENT_FILES)},
    )


@staff_view
@require_http_methods(["GET", "POST"])
def resolve(request: HttpRequest, file_signal_id: int) -> HttpResponse:
    actor = request_actor(request)
    signal = access_file_signal(actor, file_signal_id)
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_file_signal(
                actor=actor, file_signal=signal, resolution=form.cleaned_data["resolution"], via="ui"
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Het signaal is afgehandeld.")
            return redirect("signals:file-signals")
    return render(request, "signals/resolve.html", {"form": form, "signal": signal})
