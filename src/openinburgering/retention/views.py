"""Legal holds (issue #12 item 5): the functioneel beheerder sees the gemeente's holds, places one on a file by
its number and releases one. Thin: parse, access, one service, render. No personal data on the page (file
numbers, status, dates and the reasons, which may not hold personal data)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.forms import run_form_service
from openinburgering.core.errors import NotFound

from . import services
from .access import access_file_for_holds, access_hold
from .forms import ReleaseHoldForm, SetHoldForm
from .selectors import active_holds_in

NO_SUCH_FILE = "Er is geen dossier met dit nummer in uw gemeente."


@staff_view
@require_http_methods(["GET", "POST"])
def holds_page(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.MANAGE_LEGAL_HOLDS)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    set_form = SetHoldForm(request.POST if action == "set" else None, prefix="set")
    release_form = ReleaseHoldForm(request.POST if action == "release" else None, prefix="release")
    release_hold_id: Any = None
    if action == "set":

        def place(data: dict[str, Any]) -> object:
            try:
                client_file = access_file_for_holds(actor, data["client_file"])
            except NotFound:
                set_form.add_error("client_file", NO_SUCH_FILE)
                return None
            return services.set_legal_hold(actor=actor, client_file=client_file, reason=data["reason"])

        if run_form_service(set_form, place) is not None:
            messages.success(request, "De legal hold staat op het dossier. Het wordt niet vernietigd.")
            return HttpResponseRedirect(reverse("retention:holds"))
    elif action == "release":
        release_hold_id = release_form.data.get("release-hold")

        def release(data: dict[str, Any]) -> object:
            hold = access_hold(actor, data["hold"])
            return services.release_legal_hold(actor=actor, hold=hold, reason=data["reason"])

        if run_form_service(release_form, release) is not None:
            messages.success(request, "De legal hold is opgeheven.")
            return HttpResponseRedirect(reverse("retention:holds"))
    has_errors = bool(set_form.errors or release_form.errors)
    context = {
        "holds": active_holds_in(gemeente_id=actor.gemeente_id),
        "set_form": set_form,
        "release_form": release_form,
        "release_hold_id": str(release_hold_id or ""),
        "has_errors": has_errors,
    }
    return render(request, "retention/holds.html", context, status=400 if has_errors else 200)
