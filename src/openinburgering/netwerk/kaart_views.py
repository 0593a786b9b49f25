"""The sociale kaart (/sociale-kaart/, zorg en netwerk #14): search for who may consult it, management and CSV for
the functioneel beheerder. No personal data."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.forms import run_form_service, submit_form
from openinburgering.core.errors import NotFound

from . import kaart, selectors
from .forms import ImportForm, KaartSearchForm, OfferForm
from .models import Offer


@staff_view
@require_http_methods(["GET"])
def kaart_search(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not (actor.can(Capability.VIEW_SOCIALE_KAART) or actor.can(Capability.MANAGE_SOCIALE_KAART)):
        raise NotFound()
    form = KaartSearchForm(request.GET or None)
    filters: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    offers = list(
        selectors.offers_for(
            actor.gemeente, theme=filters.get("theme", ""), language=filters.get("language", ""),
            place=filters.get("place", ""), text=filters.get("q", ""),
        )[:200]
    )  # fmt: skip
    file_id = request.GET.get("dossier", "")
    context = {
        "form": form,
        "offers": offers,
        "can_manage": actor.can(Capability.MANAGE_SOCIALE_KAART),
        "file_id": int(file_id) if file_id.isdigit() else None,
        "searched": bool(filters),
    }
    return render(request, "netwerk/kaart_search.html", context)


def _render_offer_form(
    request: HttpRequest, offer: Offer | None, form: OfferForm, *, status: int = 200
) -> HttpResponse:
    context = {"offer": offer, "form": form, "has_errors": status != 200}
    return render(request, "netwerk/kaart_offer.html", context, status=status)


def _offer_initial(offer: Offer) -> dict[str, Any]:
    return {
        "organisatie": offer.organisation.name, "gedeeld_in_regio": "ja" if offer.organisation.region_id else "nee",
        "aanbod": offer.name, "leefgebied": offer.theme, "doelgroep": offer.target_group, "talen": offer.languages,
        "contact": offer.contact, "adres": offer.address, "plaats": offer.place,
        "openingstijden": offer.opening_hours, "wachttijd_weken": offer.waiting_weeks or "",
        "toelatingscriteria": offer.intake_criteria,
    }  # fmt: skip


@staff_view
@require_http_methods(["GET", "POST"])
def kaart_offer(request: HttpRequest, offer_id: int | None = None) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.MANAGE_SOCIALE_KAART)
    with transaction.atomic():
        offer = kaart.offer_for_manager(actor, offer_id) if offer_id is not None else None
        if request.method == "GET":
            initial = _offer_initial(offer) if offer else {"gedeeld_in_regio": "nee"}
            return _render_offer_form(request, offer, OfferForm(initial=initial))
        return submit_form(
            request, OfferForm(request.POST), lambda data: kaart.save_offer(actor=actor, data=data, offer=offer),
            errors=lambda form: _render_offer_form(request, offer, form, status=400),
            success=lambda saved: f"Het aanbod '{saved.name}' is opgeslagen.",
            to=lambda saved: reverse("sociale-kaart:search") + f"?q={saved.name}",
        )  # fmt: skip


@staff_view
@require_http_methods(["GET", "POST"])
def kaart_import(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.MANAGE_SOCIALE_KAART)
    if request.method == "GET":
        return render(request, "netwerk/kaart_import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    with transaction.atomic():
        count = run_form_service(
            form, lambda data: kaart.import_csv(actor=actor, raw=data["file"].read(kaart.MAX_BYTES + 1))
        )
    if count is None:
        return render(request, "netwerk/kaart_import.html", {"form": form, "has_errors": True}, status=400)
    messages.success(request, f"{count} regels ingelezen in de sociale kaart.")
    return HttpResponseRedirect(reverse("sociale-kaart:search"))


@staff_view
@require_http_methods(["GET"])
def kaart_export(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.MANAGE_SOCIALE_KAART)
    response = HttpResponse(kaart.export_csv(actor), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sociale-kaart.csv"'
    return response
