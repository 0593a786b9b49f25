"""A letter as the PDF that was sent (GET /dossiers/<file>/brieven/<letter>/); opening it is audited. And the
gemeente's letter settings (/instellingen/brieven/), edited by the functioneel beheerder."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.forms import run_form_service

from . import services
from .access import access_letter
from .forms import LetterSettingsForm


def pdf_response(content: bytes | memoryview, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def zip_response(content: bytes, filename: str) -> HttpResponse:
    """A print batch's ZIP as a download (the /brieven/ page and the API)."""
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view
@require_http_methods(["GET"])
def download(request: HttpRequest, file_id: int, letter_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        letter = access_letter(actor, file_id, letter_id)
        services.record_letter_read(actor=actor, letter=letter, via="ui")
    return pdf_response(letter.content, letter.filename)


@staff_view
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """What every letter of the gemeente prints: contact, bezwaar address, IBAN (functioneel beheerder)."""
    actor = request_actor(request)
    require(actor, Capability.MANAGE_STAFF)
    current = services.letter_settings_of(actor.gemeente)
    form = LetterSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(current, name) for name in services.SETTINGS_FIELDS},
    )
    if request.method == "POST":
        run_form_service(form, lambda data: services.update_letter_settings(actor=actor, data=data))
        if not form.errors:
            messages.success(request, "De gegevens op de brieven zijn opgeslagen.")
            return HttpResponseRedirect(reverse("letter-settings:edit"))
    context = {"form": form, "settings": current, "has_errors": bool(form.errors)}
    return render(request, "letters/settings.html", context, status=400 if form.errors else 200)
