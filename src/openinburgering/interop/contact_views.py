"""The person's contact details in the gemeente's contact registry (Open Klant), on request from the file page
(#17 item 5): ``/dossiers/<id>/contactgegevens/`` reads the digital addresses live (audited) beside the file's own
e-mail and phone, and a klantregisseur takes one over into the file with one button. Need to know: the file's basis
section (where the e-mail and phone are); taking over needs write access to it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Access, Section
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.access import access_client_file, section_access
from openinburgering.core.errors import ApplicationError, NotFound

from . import klantinteracties
from .connections import connection_for
from .models import System


@staff_view
@require_http_methods(["GET"])
def contact_details(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    rows: list[dict[str, Any]] = []
    error = ""
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.BASIS)
        configured = connection_for(client_file.gemeente_id, System.KLANTINTERACTIES) is not None
        if configured:
            try:
                rows = klantinteracties.read_digital_addresses(actor=actor, client_file=client_file, via="ui")
            except ApplicationError as exc:
                error = exc.message
    may_adopt = actor.can(Capability.CHANGE_CLIENT_FILES) and section_access(actor, Section.BASIS) >= Access.WRITE
    person = client_file.person
    for row in rows:
        field = klantinteracties.ADOPTABLE.get(row["soort"])
        row["in_file"] = field is not None and getattr(person, field) == row["adres"]
        row["adoptable"] = may_adopt and field is not None and not row["in_file"]
    context = {
        "client_file": client_file, "person": person, "configured": configured, "rows": rows, "error": error,
    }  # fmt: skip
    return render(request, "interop/contact_details.html", context)


@staff_view
@require_http_methods(["POST"])
def adopt_contact(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    soort, adres = request.POST.get("soort", ""), request.POST.get("adres", "")
    with transaction.atomic():  # the registry read stays audited when taking over is refused (a savepoint undoes that)
        client_file = access_client_file(actor, file_id, section=Section.BASIS, for_write=True)
        try:
            klantinteracties.adopt_digital_address(
                actor=actor, client_file=client_file, soort=soort, adres=adres, via="ui"
            )
        except NotFound:
            raise
        except ApplicationError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(reverse("contactgegevens:details", kwargs={"file_id": file_id}))
    what = "Het e-mailadres" if soort == "email" else "Het telefoonnummer"
    messages.success(request, f"{what} uit het klantcontactsysteem staat nu in het dossier.")
    return HttpResponseRedirect(reverse("clients:detail", kwargs={"file_id": file_id}) + "#persoon")
