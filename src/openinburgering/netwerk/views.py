"""Pages of zorg en netwerk (#14) on a client file; the partner's inbox, the team pages and the sociale kaart have
their own modules (``partner_views``, ``team_views``, ``kaart_views``), each behind its own URL module.

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

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Access, Section
from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.clients.access import access_client_file, section_access
from openinburgering.clients.forms import service_error, submit_form
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import NotFound
from openinburgering.letters.models import LetterSettings

from . import begeleiding, selectors, services
from .access import access_file_referral
from .forms import (
    BegeleiderForm,
    BegeleidingForm,
    BuddyEndForm,
    BuddyForm,
    ContactForm,
    FollowUpForm,
    ReferralForm,
    WithdrawForm,
)
from .models import BuddyMatch, HandoverPackage, Referral, ReferralStatus
from .package import PACKAGE_SECTIONS

S = ReferralStatus


def _can_change(actor: Actor) -> bool:
    return section_access(actor, Section.BEGELEIDING) >= Access.WRITE


def _file_url(client_file: ClientFile, anchor: str = "") -> str:
    return reverse("netwerk:index", kwargs={"file_id": client_file.pk}) + (f"#{anchor}" if anchor else "")


def _referral_url(referral: Referral) -> str:
    return reverse("netwerk:referral", kwargs={"file_id": referral.client_file_id, "referral_id": referral.pk})


def _writable_file(actor: Actor, file_id: int) -> ClientFile:
    return access_client_file(actor, file_id, section=Section.BEGELEIDING, for_write=True)


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


def _index_post(
    request: HttpRequest, file_id: int, key: str, make_form: Callable[[Actor], django_forms.Form],
    call: Callable[..., object], success: str, anchor: str,
) -> HttpResponse:  # fmt: skip
    """A form on the file's network page: ``call(actor=…, client_file=…, data=…)`` on the file opened for writing;
    with errors the page again with this form under ``key``."""
    actor = request_actor(request)
    with transaction.atomic():
        client_file = _writable_file(actor, file_id)
        return submit_form(
            request, make_form(actor), lambda data: call(actor=actor, client_file=client_file, data=data),
            errors=lambda form: _render_index(request, actor, client_file, forms={key: form}),
            success=success, to=_file_url(client_file, anchor),
        )  # fmt: skip


@staff_view
@require_POST
def buddy_add(request: HttpRequest, file_id: int) -> HttpResponse:
    def form(actor: Actor) -> BuddyForm:
        organisations = list(selectors.organisations_for(actor.gemeente).filter(is_active=True))
        return BuddyForm(request.POST, prefix="maatje", organisations=organisations)

    return _index_post(
        request, file_id, "buddy_form", form, begeleiding.match_buddy,
        "De vrijwilliger is gekoppeld en staat op de contactkaart.", "maatjes",
    )  # fmt: skip


@staff_view
@require_POST
def buddy_end(request: HttpRequest, file_id: int, match_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = _writable_file(actor, file_id)
        match = BuddyMatch.objects.filter(pk=match_id, client_file=client_file).first()
        if match is None:
            raise NotFound()
        match.client_file = client_file
        return submit_form(
            request, BuddyEndForm(request.POST, prefix=f"einde-{match.pk}"),
            lambda data: begeleiding.end_buddy(actor=actor, match=match, ended_on=data["ended_on"] or today()),
            errors=lambda form: _render_index(request, actor, client_file, forms={f"end_{match.pk}": form}),
            success="De koppeling is beëindigd.", to=_file_url(client_file, "maatjes"),
        )  # fmt: skip


@staff_view
@require_POST
def begeleider_assign(request: HttpRequest, file_id: int) -> HttpResponse:
    def form(actor: Actor) -> BegeleiderForm:
        begeleiders = list(selectors.begeleiders_for(actor.gemeente_id))
        return BegeleiderForm(request.POST, prefix="begeleider", begeleiders=begeleiders)

    def assign(*, actor: Actor, client_file: ClientFile, data: dict[str, Any]) -> object:
        return begeleiding.assign_begeleider(actor=actor, client_file=client_file, begeleider_id=data.get("begeleider"))

    return _index_post(
        request, file_id, "begeleider_form", form, assign, "De maatschappelijk begeleider is opgeslagen.", "begeleider"
    )


@staff_view
@require_POST
def contact_add(request: HttpRequest, file_id: int) -> HttpResponse:
    return _index_post(
        request, file_id, "contact_form", lambda actor: ContactForm(request.POST, prefix="contact"),
        begeleiding.add_contact_person, "De contactpersoon staat op de contactkaart.", "contactkaart",
    )  # fmt: skip


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
            return _render_new(request, actor, _writable_file(actor, file_id), None)
    with transaction.atomic():
        client_file = _writable_file(actor, file_id)
        return submit_form(
            request, ReferralForm(request.POST, offers=list(selectors.offers_for(actor.gemeente))),
            lambda data: services.create_referral(actor=actor, client_file=client_file, data=data),
            errors=lambda form: _render_new(request, actor, client_file, form),
            success="De verwijzing staat klaar als concept. Bekijk de warme overdracht en verstuur.", to=_referral_url,
        )  # fmt: skip


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
        if error := service_error(lambda: services.send_referral(actor=actor, referral=referral)):
            return _render_referral(request, actor, client_file, referral, forms={"send_error": error})
    messages.success(request, "De verwijzing en de warme overdracht zijn verstuurd.")
    return HttpResponseRedirect(_referral_url(referral))


def _referral_post(
    request: HttpRequest, file_id: int, referral_id: int, key: str, form: django_forms.Form,
    call: Callable[[Actor, Referral, dict[str, Any]], object], success: str,
) -> HttpResponse:  # fmt: skip
    """A form on the referral page: ``call(actor, referral, data)`` on the referral opened for writing."""
    actor = request_actor(request)
    with transaction.atomic():
        client_file, referral = access_file_referral(actor, file_id, referral_id, for_write=True)
        return submit_form(
            request, form, lambda data: call(actor, referral, data),
            errors=lambda form: _render_referral(request, actor, client_file, referral, forms={key: form}),
            success=success, to=_referral_url(referral),
        )  # fmt: skip


@staff_view
@require_POST
def referral_withdraw(request: HttpRequest, file_id: int, referral_id: int) -> HttpResponse:
    return _referral_post(
        request, file_id, referral_id, "withdraw_form", WithdrawForm(request.POST, prefix="intrekken"),
        lambda actor, referral, data: services.withdraw_consent(
            actor=actor, referral=referral, withdrawn_on=data["withdrawn_on"] or today()),
        "De toestemming is ingetrokken. De organisatie kan de verwijzing niet meer zien.",
    )  # fmt: skip


@staff_view
@require_POST
def referral_follow_up(request: HttpRequest, file_id: int, referral_id: int) -> HttpResponse:
    return _referral_post(
        request, file_id, referral_id, "follow_up_form", FollowUpForm(request.POST, prefix="opvolgen"),
        lambda actor, referral, data: services.set_follow_up(
            actor=actor, referral=referral, follow_up_on=data["follow_up_on"]),
        "De verwijzing is opgevolgd.",
    )  # fmt: skip


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
        client_file = _writable_file(actor, file_id)
        return submit_form(
            request, BegeleidingForm(request.POST, prefix="begeleiding"),
            lambda data: begeleiding.record_begeleiding(actor=actor, client_file=client_file, data=data),
            errors=lambda form: _render_begeleiding(request, actor, client_file, form), success="Vastgelegd.",
            to=reverse("netwerk:begeleiding", kwargs={"file_id": client_file.pk}) + "#overzicht",
        )  # fmt: skip
