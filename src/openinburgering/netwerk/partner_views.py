"""The chain partner's inbox (/verwijzingen/, zorg en netwerk #14): only referrals addressed to the partner's
organisation whose consent stands, the warme-overdracht package and nothing else of the file (``netwerk.access``).
Every read is audited in the same transaction."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.audit.services import EventSubject, record_events
from openinburgering.clients.forms import service_error, submit_form

from . import selectors, services
from .access import access_partner_referral, partner_organisation
from .forms import PartnerAnswerForm
from .models import HandoverPackage, Referral, ReferralStatus
from .services import TRANSITIONS

S = ReferralStatus


@staff_view
@require_http_methods(["GET"])
def partner_inbox(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        organisation = partner_organisation(actor)
        referrals = list(selectors.inbox_for(organisation, actor.gemeente_id))
        record_events(
            actor=actor, event_type="referral_inbox_listed", purpose="verwijzingen van de eigen organisatie",
            subjects=[EventSubject(r.gemeente_id, r.client_file_id, "referral", str(r.pk)) for r in referrals],
        )  # fmt: skip
        rows = [{"referral": r, "name": selectors.package_name(r)} for r in referrals]
        return render(request, "netwerk/partner_inbox.html", {"organisation": organisation, "rows": rows})


PARTNER_STEPS: dict[str, str] = {
    S.GEACCEPTEERD: "Accepteren",
    S.GEWEIGERD: "Weigeren",
    S.GESTART: "Gestart",
    S.AFGEROND: "Afronden",
    S.TERUGGEMELD: "Terugmelden",
}


def _render_partner(request: HttpRequest, actor: Actor, referral: Referral, form: PartnerAnswerForm | None = None,
                    error: str = "") -> HttpResponse:  # fmt: skip
    services.record_partner_read(actor=actor, referral=referral, event_type="handover_package_viewed")
    package = HandoverPackage.objects.filter(referral=referral).select_related("receipt").first()
    steps = [(to, PARTNER_STEPS[to], needs) for (frm, to), needs in TRANSITIONS.items() if frm == referral.status]
    context = {
        "referral": referral,
        "organisation": referral.organisation,
        "package": package,
        "receipt": getattr(package, "receipt", None) if package else None,
        "name": selectors.package_name(referral),
        "history": list(referral.history.all()),
        "steps": steps,
        "form": form or PartnerAnswerForm(prefix="antwoord"),
        "error": error,
        "has_errors": form is not None or bool(error),
    }
    return render(request, "netwerk/partner_referral.html", context, status=400 if context["has_errors"] else 200)


@staff_view
@require_http_methods(["GET"])
def partner_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        referral = access_partner_referral(actor, referral_id)
        return _render_partner(request, actor, referral)


@staff_view
@require_POST
def partner_acknowledge(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        referral = access_partner_referral(actor, referral_id, for_write=True)
        if error := service_error(lambda: services.acknowledge_package(actor=actor, referral=referral)):
            return _render_partner(request, actor, referral, error=error)
    messages.success(request, "U heeft de ontvangst van de warme overdracht bevestigd.")
    return HttpResponseRedirect(reverse("netwerk-partner:referral", kwargs={"referral_id": referral.pk}))


@staff_view
@require_POST
def partner_step(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        referral = access_partner_referral(actor, referral_id, for_write=True)
        return submit_form(
            request, PartnerAnswerForm(request.POST, prefix="antwoord"),
            lambda data: services.partner_transition(
                actor=actor, referral=referral, to_status=data["to_status"], message=data.get("message", "")),
            errors=lambda form: _render_partner(request, actor, referral, form),
            success=lambda done: f"De verwijzing is nu: {done.get_status_display().lower()}.",
            to=reverse("netwerk-partner:referral", kwargs={"referral_id": referral.pk}),
        )  # fmt: skip
