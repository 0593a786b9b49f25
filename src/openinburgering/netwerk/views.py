"""Pages of zorg en netwerk (#14).

- On a client file (/dossiers/<file>/netwerk/): the referrals with their consent, the warme-overdracht package
  (preview before sending), withdrawal and follow-up; the contact card (printable as a B1 PDF); buddies and
  taalmaatjes; contacts; and the begeleiding part (/dossiers/<file>/netwerk/begeleiding/). All through
  ``clients.access`` with the begeleiding section: the maatschappelijk begeleider only for files assigned to them.
- The partner user's inbox (/verwijzingen/): only referrals addressed to their organisation whose consent stands,
  the package and nothing else of the file (``netwerk.access``).
- The sociale kaart (/sociale-kaart/): search for who may consult it, management and CSV for the functioneel
  beheerder.
- The team pages (/netwerk/): referrals to follow up (klantregisseur) and the begeleider's caseload.

Views parse input, go through the access functions (404 for missing and forbidden), call one service and render;
every read is audited in the same transaction.
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
from openinburgering.audit.services import EventSubject, record_event, record_events
from openinburgering.clients.access import access_client_file, section_access
from openinburgering.clients.forms import run_form_service
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.letters.models import LetterSettings

from . import begeleiding, kaart, selectors, services
from .access import access_file_referral, access_partner_referral, partner_organisation
from .forms import (
    BegeleiderForm,
    BegeleidingForm,
    BuddyEndForm,
    BuddyForm,
    ContactForm,
    FollowUpForm,
    ImportForm,
    KaartSearchForm,
    OfferForm,
    PartnerAnswerForm,
    ReferralForm,
    WithdrawForm,
)
from .models import BegeleidingKind, BuddyMatch, HandoverPackage, Offer, Referral, ReferralStatus
from .package import PACKAGE_SECTIONS
from .services import TRANSITIONS

S = ReferralStatus


def _can_change(actor: Actor) -> bool:
    return section_access(actor, Section.BEGELEIDING) >= Access.WRITE


def _file_url(client_file: ClientFile, anchor: str = "") -> str:
    return reverse("netwerk:index", kwargs={"file_id": client_file.pk}) + (f"#{anchor}" if anchor else "")


def _referral_url(referral: Referral) -> str:
    return reverse("netwerk:referral", kwargs={"file_id": referral.client_file_id, "referral_id": referral.pk})


# --- The file's network page ---------------------------------------------------------------------------------------


def _render_index(
    request: HttpRequest, actor: Actor, client_file: ClientFile, *, forms: dict[str, Any] | None = None
) -> HttpResponse:
    forms = forms or {}
    services.record_staff_read(actor=actor, client_file=client_file, event_type="referrals_viewed")
    services.record_staff_read(actor=actor, client_file=client_file, event_type="contact_card_viewed")
    organisations = list(selectors.organisations_for(actor.gemeente).filter(is_active=True))
    buddies = selectors.buddies_of(client_file)
    end_forms = {
        b.pk: forms.get(f"end_{b.pk}") or BuddyEndForm(prefix=f"einde-{b.pk}", initial={"ended_on": today()})
        for b in buddies
        if b.ended_on is None
    }
    context: dict[str, Any] = {
        "client_file": client_file,
        "person": client_file.person,
        "referrals": selectors.referrals_of(client_file),
        "contacts": selectors.contact_card_for(client_file),
        "buddies": [(b, end_forms.get(b.pk)) for b in buddies],
        "can_change": _can_change(actor),
        "buddy_form": forms.get("buddy_form")
        or BuddyForm(prefix="maatje", organisations=organisations, initial={"started_on": today()}),
        "contact_form": forms.get("contact_form") or ContactForm(prefix="contact"),
        "can_assign": _can_change(actor) and actor.can(Capability.CHANGE_CLIENT_FILES),
        "begeleider_form": forms.get("begeleider_form")
        or BegeleiderForm(
            prefix="begeleider",
            begeleiders=list(selectors.begeleiders_for(actor.gemeente_id)),
            initial={"begeleider": client_file.begeleider_id or ""},
        ),
        "has_errors": bool(forms),
    }
    return render(request, "netwerk/file_index.html", context, status=400 if forms else 200)


@staff_view
@require_http_methods(["GET"])
def file_index(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.BEGELEIDING)
        return _render_index(request, actor, client_file)


@staff_view
@require_POST
def buddy_add(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.BEGELEIDING, for_write=True)
        organisations = list(selectors.organisations_for(actor.gemeente).filter(is_active=True))
        form = BuddyForm(request.POST, prefix="maatje", organisations=organisations)
        run_form_service(form, lambda data: begeleiding.match_buddy(actor=actor, client_file=client_file, data=data))
        if form.errors:
            return _render_index(request, actor, client_file, forms={"buddy_form": form})
    messages.success(request, "De vrijwilliger is gekoppeld en staat op de contactkaart.")
    return HttpResponseRedirect(_file_url(client_file, "maatjes"))


@staff_view
@require_POST
def buddy_end(request: HttpRequest, file_id: int, match_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.BEGELEIDING, for_write=True)
        match = BuddyMatch.objects.filter(pk=match_id, client_file=client_file).first()
        if match is None:
            raise NotFound()
        match.client_file = client_file
        form = BuddyEndForm(request.POST, prefix=f"einde-{match.pk}")
        run_form_service(
            form, lambda data: begeleiding.end_buddy(actor=actor, match=match, ended_on=data["ended_on"] or today())
        )
        if form.errors:
            return _render_index(request, actor, client_file, forms={f"end_{match.pk}": form})
    messages.success(request, "De koppeling is beëindigd.")
    return HttpResponseRedirect(_file_url(client_file, "maatjes"))


@staff_view
@require_POST
def begeleider_assign(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.BEGELEIDING, for_write=True)
        form = BegeleiderForm(request.POST, prefix="begeleider",
                              begeleiders=list(selectors.begeleiders_for(actor.gemeente_id)))  # fmt: skip
        run_form_service(form, lambda data: begeleiding.assign_begeleider(
            actor=actor, client_file=client_file, begeleider_id=data.get("begeleider")))  # fmt: skip
        if form.errors:
            return _render_index(request, actor, client_file, forms={"begeleider_form": form})
    messages.success(request, "De maatschappelijk begeleider is opgeslagen.")
    return HttpResponseRedirect(_file_url(client_file, "begeleider"))


@staff_view
@require_POST
def contact_add(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.BEGELEIDING, for_write=True)
        form = ContactForm(request.POST, prefix="contact")
        run_form_service(
            form, lambda data: begeleiding.add_contact_person(actor=actor, client_file=client_file, data=data)
        )
        if form.errors:
            return _render_index(request, actor, client_file, forms={"contact_form": form})
    messages.success(request, "De contactpersoon staat op de contactkaart.")
    return HttpResponseRedirect(_file_url(client_file, "contactkaart"))


def _card_context(actor: Actor, client_file: ClientFile) -> dict[str, Any]:
    return {
        "client_file": client_file,
        "person": client_file.person,
        "gemeente": actor.gemeente,
        "contacts": selectors.contact_card_for(client_file),
        "settings": LetterSettings.objects.filter(gemeente_id=client_file.gemeente_id).first(),
        "today": today(),
        "title": f"Contactkaart van {client_file.person.full_name}",
    }


@staff_view
@require_http_methods(["GET"])
def contact_card_pdf(request: HttpRequest, file_id: int) -> HttpResponse:
    """The contact card as a B1 PDF for the client (rendered, not stored)."""
    from openinburgering.letters.services import render_pdf

    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.BEGELEIDING)
        services.record_staff_read(actor=actor, client_file=client_file, event_type="contact_card_viewed")
        pdf = render_pdf("letters/netwerk_contactkaart.html", _card_context(actor, client_file))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="contactkaart-{client_file.pk}.pdf"'
    return response


# --- Referrals on the file -------------------------------------------------------------------------------------------


def _render_new(request: HttpRequest, actor: Actor, client_file: ClientFile, form: ReferralForm | None) -> HttpResponse:
    offers = list(selectors.offers_for(actor.gemeente).filter(organisation__partner_users__isnull=False).distinct())
    theme = request.GET.get("leefgebied", "")
    initial = {"consent_given_on": today(), "urgency": "normaal"}
    chosen = request.GET.get("aanbod", "")
    if chosen.isdigit():
        initial["offer"] = chosen
    context = {
        "client_file": client_file,
        "person": client_file.person,
        "form": form or ReferralForm(offers=offers, initial=initial),
        "theme": theme,
        "package_sections": PACKAGE_SECTIONS,
        "has_errors": form is not None,
    }
    return render(request, "netwerk/referral_new.html", context, status=400 if form is not None else 200)


@staff_view
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    if request.method == "GET":
        with transaction.atomic():
            client_file = access_client_file(actor, file_id, section=Section.BEGELEIDING, for_write=True)
            return _render_new(request, actor, client_file, None)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.BEGELEIDING, for_write=True)
        offers = list(selectors.offers_for(actor.gemeente))
        form = ReferralForm(request.POST, offers=offers)
        referral = run_form_service(
            form, lambda data: services.create_referral(actor=actor, client_file=client_file, data=data)
        )
        if referral is None:
            return _render_new(request, actor, client_file, form)
    messages.success(request, "De verwijzing staat klaar als concept. Bekijk de warme overdracht en verstuur.")
    return HttpResponseRedirect(_referral_url(referral))


def _render_referral(
    request: HttpRequest, actor: Actor, client_file: ClientFile, referral: Referral, *,
    forms: dict[str, Any] | None = None,
) -> HttpResponse:  # fmt: skip
    forms = forms or {}
    services.record_staff_read(actor=actor, client_file=client_file, event_type="referrals_viewed", subject=referral)
    consent = getattr(referral, "consent", None)
    withdrawn = consent is not None and hasattr(consent, "withdrawal")
    package = HandoverPackage.objects.filter(referral=referral).select_related("receipt").first()
    context: dict[str, Any] = {
        "client_file": client_file,
        "person": client_file.person,
        "referral": referral,
        "consent": consent,
        "withdrawn": withdrawn,
        "package": package,
        "receipt": getattr(package, "receipt", None) if package else None,
        "history": list(referral.history.select_related("changed_by")),
        "can_change": _can_change(actor),
        "can_send": referral.status == S.CONCEPT and not withdrawn,
        "withdraw_form": forms.get("withdraw_form")
        or WithdrawForm(prefix="intrekken", initial={"withdrawn_on": today()}),
        "follow_up_form": forms.get("follow_up_form")
        or FollowUpForm(prefix="opvolgen", initial={"follow_up_on": referral.follow_up_on}),
        "send_error": forms.get("send_error", ""),
        "has_errors": bool(forms),
    }
    return render(request, "netwerk/referral_detail.html", context, status=400 if forms else 200)


@staff_view
@require_http_methods(["GET"])
def referral_detail(request: HttpRequest, file_id: int, referral_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file, referral = access_file_referral(actor, file_id, referral_id)
        return _render_referral(request, actor, client_file, referral)


@staff_view
@require_POST
def referral_send(request: HttpRequest, file_id: int, referral_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file, referral = access_file_referral(actor, file_id, referral_id, for_write=True)
        try:
            with transaction.atomic():
                services.send_referral(actor=actor, referral=referral)
        except NotFound:
            raise
        except ApplicationError as error:
            return _render_referral(request, actor, client_file, referral, forms={"send_error": error.message})
    messages.success(request, "De verwijzing en de warme overdracht zijn verstuurd.")
    return HttpResponseRedirect(_referral_url(referral))


@staff_view
@require_POST
def referral_withdraw(request: HttpRequest, file_id: int, referral_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file, referral = access_file_referral(actor, file_id, referral_id, for_write=True)
        form = WithdrawForm(request.POST, prefix="intrekken")
        run_form_service(form, lambda data: services.withdraw_consent(
            actor=actor, referral=referral, withdrawn_on=data["withdrawn_on"] or today()))  # fmt: skip
        if form.errors:
            return _render_referral(request, actor, client_file, referral, forms={"withdraw_form": form})
    messages.success(request, "De toestemming is ingetrokken. De organisatie kan de verwijzing niet meer zien.")
    return HttpResponseRedirect(_referral_url(referral))


@staff_view
@require_POST
def referral_follow_up(request: HttpRequest, file_id: int, referral_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file, referral = access_file_referral(actor, file_id, referral_id, for_write=True)
        form = FollowUpForm(request.POST, prefix="opvolgen")
        run_form_service(form, lambda data: services.set_follow_up(
            actor=actor, referral=referral, follow_up_on=data["follow_up_on"]))  # fmt: skip
        if form.errors:
            return _render_referral(request, actor, client_file, referral, forms={"follow_up_form": form})
    messages.success(request, "De verwijzing is opgevolgd.")
    return HttpResponseRedirect(_referral_url(referral))


# --- Begeleiding on the file -------------------------------------------------------------------------------------


def _render_begeleiding(
    request: HttpRequest, actor: Actor, client_file: ClientFile, form: BegeleidingForm | None = None
) -> HttpResponse:
    services.record_staff_read(actor=actor, client_file=client_file, event_type="begeleiding_viewed")
    context = {
        "client_file": client_file,
        "person": client_file.person,
        "entries": selectors.begeleiding_of(client_file),
        "can_change": _can_change(actor),
        "form": form or BegeleidingForm(prefix="begeleiding", initial={"on": today()}),
        "has_errors": form is not None,
    }
    return render(request, "netwerk/begeleiding.html", context, status=400 if form is not None else 200)


@staff_view
@require_http_methods(["GET", "POST"])
def begeleiding_page(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        if request.method == "GET":
            client_file = access_client_file(actor, file_id, section=Section.BEGELEIDING)
            return _render_begeleiding(request, actor, client_file)
        client_file = access_client_file(actor, file_id, section=Section.BEGELEIDING, for_write=True)
        form = BegeleidingForm(request.POST, prefix="begeleiding")
        run_form_service(
            form, lambda data: begeleiding.record_begeleiding(actor=actor, client_file=client_file, data=data)
        )
        if form.errors:
            return _render_begeleiding(request, actor, client_file, form)
    messages.success(request, "Vastgelegd.")
    return HttpResponseRedirect(reverse("netwerk:begeleiding", kwargs={"file_id": client_file.pk}) + "#overzicht")


# --- The partner's inbox -------------------------------------------------------------------------------------------


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
        try:
            with transaction.atomic():
                services.acknowledge_package(actor=actor, referral=referral)
        except NotFound:
            raise
        except ApplicationError as error:
            return _render_partner(request, actor, referral, error=error.message)
    messages.success(request, "U heeft de ontvangst van de warme overdracht bevestigd.")
    return HttpResponseRedirect(reverse("netwerk-partner:referral", kwargs={"referral_id": referral.pk}))


@staff_view
@require_POST
def partner_step(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        referral = access_partner_referral(actor, referral_id, for_write=True)
        form = PartnerAnswerForm(request.POST, prefix="antwoord")
        done = run_form_service(form, lambda data: services.partner_transition(
            actor=actor, referral=referral, to_status=data["to_status"], message=data.get("message", "")))  # fmt: skip
        if done is None:
            return _render_partner(request, actor, referral, form)
    messages.success(request, f"De verwijzing is nu: {done.get_status_display().lower()}.")
    return HttpResponseRedirect(reverse("netwerk-partner:referral", kwargs={"referral_id": referral.pk}))


# --- Team pages: follow-up queue and the begeleider's caseload ---------------------------------------------------


@staff_view
@require_http_methods(["GET"])
def follow_up_queue(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not (actor.can(Capability.VIEW_OWN_CASELOAD) or actor.can(Capability.VIEW_TEAM_CASELOAD)):
        raise NotFound()
    with transaction.atomic():
        referrals = list(selectors.follow_up_queue(actor, as_of=today())[:200])
        record_event(actor=actor, event_type="caseload_viewed", purpose=services.PURPOSE,
                     changes={"scope": "verwijzingen", "result_count": len(referrals)})  # fmt: skip
        return render(request, "netwerk/follow_up_queue.html", {"referrals": referrals, "today": today()})


@staff_view
@require_http_methods(["GET"])
def begeleiding_caseload(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.VIEW_BEGELEIDING_CASELOAD)
    with transaction.atomic():
        files = list(selectors.begeleiding_caseload(actor))
        record_events(
            actor=actor, event_type="begeleiding_caseload_listed", purpose=services.PURPOSE,
            subjects=[EventSubject(f.gemeente_id, f.pk, "clientfile", str(f.pk)) for f in files],
        )  # fmt: skip
        kinds = dict(BegeleidingKind.choices)
        rows = [
            {
                "file": f,
                "latest_on": getattr(f, "latest_on", None),
                "latest_kind": kinds.get(getattr(f, "latest_kind", ""), ""),
            }
            for f in files
        ]
        return render(request, "netwerk/begeleiding_caseload.html", {"rows": rows})


# --- Sociale kaart -------------------------------------------------------------------------------------------------


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
        form = OfferForm(request.POST)
        saved = run_form_service(form, lambda data: kaart.save_offer(actor=actor, data=data, offer=offer))
        if saved is None:
            return _render_offer_form(request, offer, form, status=400)
    messages.success(request, f"Het aanbod '{saved.name}' is opgeslagen.")
    return HttpResponseRedirect(reverse("sociale-kaart:search") + f"?q={saved.name}")


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
