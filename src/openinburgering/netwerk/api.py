"""Zorg en netwerk in the API (#14 item 8): the same doors, services and audit events as the pages.

- Client paths (/clients/{id}/referrals, contact-card, contacts, begeleiding, buddies) go through
  ``clients.access`` with the begeleiding section: 404 for another gemeente, a role without that section, or a
  begeleider's file that is not theirs.
- Partner paths (/referral-inbox) go through ``netwerk.access``: only referrals addressed to the token's
  organisation, sent, with a standing consent; the answer holds the package and nothing else of the file, and no
  client id. Every read is audited with the referral as purpose.
- The sociale kaart (/sociale-kaart/offers): search for who may consult it, add/change for the functioneel beheerder.
- Aggregates for monitoring (/netwerk/figures): counts only, no persons.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.api.pagination import PageNumberPagination
from openinburgering.api.schema import problems
from openinburgering.api.views.base import CLIENT_ID, ApiView
from openinburgering.audit.services import EventSubject, record_event, record_events
from openinburgering.clients.access import access_client_file
from openinburgering.core.dates import today
from openinburgering.core.errors import NotFound
from openinburgering.intakes.choices import Leefgebied

from . import begeleiding, kaart, selectors, services
from .access import access_file_referral, access_partner_referral, partner_organisation
from .models import (
    BegeleidingEntry,
    BegeleidingKind,
    BuddyKind,
    BuddyMatch,
    ContactRole,
    HandoverPackage,
    Offer,
    Referral,
    ReferralStatus,
    Urgency,
)
from .package import PACKAGE_SECTIONS

TAGS = ["zorg en netwerk"]
REFERRAL_ID = OpenApiParameter("referral_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Referral id.")
MATCH_ID = OpenApiParameter("match_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Buddy match id.")
OFFER_ID = OpenApiParameter("offer_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Offer id.")


# --- Serializers -----------------------------------------------------------------------------------------------------


class OfferSerializer(serializers.ModelSerializer[Offer]):
    organisation = serializers.CharField(source="organisation.name")
    shared_in_region = serializers.SerializerMethodField(help_text="Shared by every gemeente of the region.")
    languages = serializers.ListField(child=serializers.CharField(), source="language_list")

    class Meta:
        model = Offer
        fields = [
            "id", "organisation", "shared_in_region", "name", "theme", "target_group", "languages", "contact",
            "address", "place", "opening_hours", "waiting_weeks", "intake_criteria",
        ]  # fmt: skip

    def get_shared_in_region(self, offer: Offer) -> bool:
        return offer.organisation.region_id is not None


class OfferQuerySerializer(serializers.Serializer[Any]):
    theme = serializers.ChoiceField(choices=Leefgebied.choices, required=False)
    language = serializers.CharField(required=False, max_length=50)
    place = serializers.CharField(required=False, max_length=100)
    q = serializers.CharField(required=False, max_length=100, help_text="Part of the offer's or organisation's name.")


class OfferWriteSerializer(serializers.Serializer[Any]):
    """The columns of the CSV (``netwerk.kaart``), checked by the same function as an imported row."""

    organisatie = serializers.CharField(max_length=200)
    gedeeld_in_regio = serializers.BooleanField(default=False)
    aanbod = serializers.CharField(max_length=200)
    leefgebied = serializers.ChoiceField(choices=Leefgebied.choices)
    doelgroep = serializers.CharField(required=False, allow_blank=True, max_length=200)
    talen = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=200)
    adres = serializers.CharField(required=False, allow_blank=True, max_length=200)
    plaats = serializers.CharField(required=False, allow_blank=True, max_length=100)
    openingstijden = serializers.CharField(required=False, allow_blank=True, max_length=200)
    wachttijd_weken = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=104)
    toelatingscriteria = serializers.CharField(required=False, allow_blank=True, max_length=2_000)


class ReferralConsentSerializer(serializers.Serializer[Any]):
    purpose = serializers.CharField()
    recipient = serializers.CharField(source="recipient.name")
    sections = serializers.ListField(child=serializers.CharField())
    given_by = serializers.CharField()
    given_on = serializers.DateField()
    basis = serializers.CharField()
    withdrawn_on = serializers.SerializerMethodField()

    def get_withdrawn_on(self, consent: Any) -> str | None:
        withdrawal = getattr(consent, "withdrawal", None)
        return withdrawal.withdrawn_on.isoformat() if withdrawal is not None else None


class HistorySerializer(serializers.Serializer[Any]):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    message = serializers.CharField()
    changed_at = serializers.DateTimeField()


class PackageSerializer(serializers.Serializer[Any]):
    sections = serializers.ListField(child=serializers.CharField())
    content = serializers.JSONField(help_text="Per section: {title, lines: [[label, value], ...]}. A snapshot.")
    built_at = serializers.DateTimeField()
    acknowledged_at = serializers.SerializerMethodField()

    def get_acknowledged_at(self, package: HandoverPackage) -> str | None:
        receipt = getattr(package, "receipt", None)
        return receipt.acknowledged_at.isoformat() if receipt is not None else None


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    client_id = serializers.IntegerField(source="client_file_id")
    offer = serializers.CharField(source="offer.name")
    organisation = serializers.CharField(source="organisation.name")
    consent = ReferralConsentSerializer(allow_null=True)

    class Meta:
        model = Referral
        fields = [
            "id", "client_id", "offer", "organisation", "theme", "question", "urgency", "status", "follow_up_on",
            "created_at", "sent_at", "answered_at", "escalated_at", "consent",
        ]  # fmt: skip


class ReferralDetailSerializer(ReferralSerializer):
    package = PackageSerializer(allow_null=True)
    history = HistorySerializer(many=True)

    class Meta(ReferralSerializer.Meta):
        fields = [*ReferralSerializer.Meta.fields, "package", "history"]


class ReferralCreateSerializer(serializers.Serializer[Any]):
    """Checked by ``netwerk.services.create_referral``, which names every wrong field in Dutch at once."""

    offer = serializers.IntegerField(help_text="An offer of the gemeente's sociale kaart (own or regional).")
    question = serializers.CharField(required=False, allow_blank=True, max_length=2_000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAAL)
    follow_up_on = serializers.DateField(required=False, allow_null=True)
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=list(PACKAGE_SECTIONS)), required=False, default=list,
        help_text="The data set of the package; gezondheid only with the file's standing health consent.",
    )  # fmt: skip
    consent_given_by = serializers.CharField(required=False, allow_blank=True, max_length=200)
    consent_given_on = serializers.DateField(required=False, allow_null=True)
    consent_basis = serializers.CharField(required=False, allow_blank=True, max_length=200)
    consent_confirmed = serializers.BooleanField(default=False, help_text="The client consented: required (400).")


class WithdrawSerializer(serializers.Serializer[Any]):
    withdrawn_on = serializers.DateField(required=False, help_text="Default today.")


class FollowUpSerializer(serializers.Serializer[Any]):
    follow_up_on = serializers.DateField(allow_null=True, help_text="After today; null: nothing to follow up.")


class PartnerReferralSerializer(serializers.ModelSerializer[Referral]):
    """What a partner sees: the question and the package. No client id, nothing else of the file."""

    offer = serializers.CharField(source="offer.name")
    name = serializers.SerializerMethodField(help_text="From the package, when the client shared the basis section.")

    class Meta:
        model = Referral
        fields = ["id", "offer", "name", "question", "urgency", "status", "sent_at", "answered_at"]

    def get_name(self, referral: Referral) -> str:
        return selectors.package_name(referral)


class PartnerReferralDetailSerializer(PartnerReferralSerializer):
    package = PackageSerializer(allow_null=True)
    history = HistorySerializer(many=True)

    class Meta(PartnerReferralSerializer.Meta):
        fields = [*PartnerReferralSerializer.Meta.fields, "package", "history"]


class TransitionSerializer(serializers.Serializer[Any]):
    to_status = serializers.ChoiceField(
        choices=ReferralStatus.choices, help_text="geaccepteerd, geweigerd, gestart, afgerond or teruggemeld."
    )
    message = serializers.CharField(
        required=False, allow_blank=True, max_length=2_000,
        help_text="Required for geweigerd (the reason), afgerond and teruggemeld (the report).",
    )  # fmt: skip


class ContactEntrySerializer(serializers.Serializer[Any]):
    role = serializers.CharField()
    about = serializers.CharField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    reach = serializers.CharField()


class ContactCreateSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=ContactRole.choices)
    about = serializers.CharField(max_length=200)
    name = serializers.CharField(max_length=200)
    reach = serializers.CharField(max_length=200)


class BegeleidingSerializer(serializers.ModelSerializer[BegeleidingEntry]):
    recorded_by = serializers.CharField(source="recorded_by.display_name")

    class Meta:
        model = BegeleidingEntry
        fields = ["id", "kind", "on", "text", "recorded_at", "recorded_by"]


class BegeleidingCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=BegeleidingKind.choices)
    on = serializers.DateField()
    text = serializers.CharField(max_length=2_000)


class BuddySerializer(serializers.ModelSerializer[BuddyMatch]):
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = BuddyMatch
        fields = ["id", "kind", "organisation", "volunteer_name", "volunteer_contact", "started_on", "ended_on"]


class BuddyCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=BuddyKind.choices)
    organisation = serializers.IntegerField(help_text="An organisation of the gemeente's sociale kaart.")
    volunteer_name = serializers.CharField(max_length=200)
    volunteer_contact = serializers.CharField(max_length=200)
    started_on = serializers.DateField()


class BegeleiderSerializer(serializers.Serializer[Any]):
    begeleider = serializers.IntegerField(allow_null=True, help_text="A maatschappelijk begeleider's user id; null.")


class BuddyEndSerializer(serializers.Serializer[Any]):
    ended_on = serializers.DateField()


class CaseloadRowSerializer(serializers.Serializer[Any]):
    client_id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="person.full_name")
    latest_on = serializers.DateField(allow_null=True, help_text="Date of the newest begeleiding entry.")
    latest_kind = serializers.CharField(allow_null=True)


class FollowUpRowSerializer(serializers.ModelSerializer[Referral]):
    client_id = serializers.IntegerField(source="client_file_id")
    name = serializers.CharField(source="client_file.person.full_name")
    offer = serializers.CharField(source="offer.name")
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = Referral
        fields = ["id", "client_id", "name", "offer", "organisation", "status", "follow_up_on", "escalated_at"]


class ThemeCountSerializer(serializers.Serializer[Any]):
    theme = serializers.CharField()
    theme_label = serializers.CharField(source="label")
    count = serializers.IntegerField()


class PartnerFiguresSerializer(serializers.Serializer[Any]):
    organisation = serializers.CharField()
    sent = serializers.IntegerField()
    accepted = serializers.IntegerField()
    refused = serializers.IntegerField()
    acceptance_percent = serializers.IntegerField(allow_null=True, help_text="Accepted of those answered.")
    average_days_to_accept = serializers.FloatField(allow_null=True)


class FiguresSerializer(serializers.Serializer[Any]):
    by_theme = ThemeCountSerializer(many=True)
    partners = PartnerFiguresSerializer(many=True)


# --- Helpers -------------------------------------------------------------------------------------------------------


def _detail(referral: Referral) -> Referral:
    """The referral with consent, package and history loaded for the detail serializers (3 queries)."""
    fresh = (
        Referral.objects.select_related(
            "offer", "organisation", "consent", "consent__recipient", "consent__withdrawal", "package",
            "package__receipt",
        )
        .prefetch_related("history")
        .get(pk=referral.pk)
    )  # fmt: skip
    fresh.client_file = referral.client_file
    if not hasattr(fresh, "consent"):
        fresh.consent = None  # the serializer shows null
    return fresh


def _partner_detail(referral: Referral) -> Referral:
    fresh = (Referral.objects.select_related("offer", "package", "package__receipt").prefetch_related("history")).get(
        pk=referral.pk
    )
    fresh.client_file = referral.client_file
    return fresh


# --- Client paths ----------------------------------------------------------------------------------------------------


class ReferralsView(ApiView):
    @extend_schema(
        operation_id="clients_referrals_list", tags=TAGS, summary="The referrals of a client file, newest first",
        description="Logged as `referrals_viewed`.", parameters=[CLIENT_ID],
        responses={200: ReferralSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BEGELEIDING)
            services.record_staff_read(actor=self.actor, client_file=client_file, event_type="referrals_viewed",
                                       via="api")  # fmt: skip
            referrals = selectors.referrals_of(client_file)
            for referral in referrals:
                if not hasattr(referral, "consent"):
                    referral.consent = None  # shown as null
            return Response(ReferralSerializer(referrals, many=True).data)

    @extend_schema(
        operation_id="clients_referrals_create", tags=TAGS,
        summary="Draw up a referral (concept) with the client's consent and the warme-overdracht package",
        description=(
            "Refused with Dutch reasons (400): no consent, an offer outside the gemeente's sociale kaart or region, "
            "an organisation without partner users, gezondheid without the file's health consent. Logged as "
            "`referral_created`, `referral_consent_recorded`, `handover_package_compiled`."
        ),
        parameters=[CLIENT_ID], request=ReferralCreateSerializer,
        responses={201: ReferralDetailSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(ReferralCreateSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BEGELEIDING, for_write=True)
            referral = services.create_referral(actor=self.actor, client_file=client_file, data=data, via="api")
            return Response(ReferralDetailSerializer(_detail(referral)).data, status=status.HTTP_201_CREATED)


class ReferralView(ApiView):
    @extend_schema(
        operation_id="clients_referrals_retrieve", tags=TAGS,
        summary="One referral with its consent, package and history", description="Logged as `referrals_viewed`.",
        parameters=[CLIENT_ID, REFERRAL_ID], responses={200: ReferralDetailSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int, referral_id: int) -> Response:
        with transaction.atomic():
            client_file, referral = access_file_referral(self.actor, client_id, referral_id)
            services.record_staff_read(actor=self.actor, client_file=client_file, event_type="referrals_viewed",
                                       subject=referral, via="api")  # fmt: skip
            return Response(ReferralDetailSerializer(_detail(referral)).data)


class ReferralSendView(ApiView):
    @extend_schema(
        operation_id="clients_referrals_send", tags=TAGS, summary="Send a concept referral to the partner",
        description="409 when already sent; 400 when the consent was withdrawn. Logged as `referral_dispatched`.",
        parameters=[CLIENT_ID, REFERRAL_ID], request=None,
        responses={200: ReferralDetailSerializer, **problems(400, 401, 404, 409)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, referral_id: int) -> Response:
        with transaction.atomic():
            _, referral = access_file_referral(self.actor, client_id, referral_id, for_write=True)
            services.send_referral(actor=self.actor, referral=referral, via="api")
            return Response(ReferralDetailSerializer(_detail(referral)).data)


class ReferralWithdrawView(ApiView):
    @extend_schema(
        operation_id="clients_referrals_withdraw_consent", tags=TAGS,
        summary="Withdraw the client's consent: the partner's access ends at once",
        description="409 when already withdrawn. Logged as `referral_consent_revoked`.",
        parameters=[CLIENT_ID, REFERRAL_ID], request=WithdrawSerializer,
        responses={200: ReferralDetailSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, referral_id: int) -> Response:
        data = self.body(WithdrawSerializer)
        with transaction.atomic():
            _, referral = access_file_referral(self.actor, client_id, referral_id, for_write=True)
            services.withdraw_consent(actor=self.actor, referral=referral,
                                      withdrawn_on=data.get("withdrawn_on") or today(), via="api")  # fmt: skip
            return Response(ReferralDetailSerializer(_detail(referral)).data)


class ReferralFollowUpView(ApiView):
    @extend_schema(
        operation_id="clients_referrals_follow_up", tags=TAGS,
        summary="Follow a referral up: the next date on the caseload, or none",
        description="Logged as `referral_followed_up`.", parameters=[CLIENT_ID, REFERRAL_ID],
        request=FollowUpSerializer, responses={200: ReferralDetailSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, referral_id: int) -> Response:
        data = self.body(FollowUpSerializer)
        with transaction.atomic():
            _, referral = access_file_referral(self.actor, client_id, referral_id, for_write=True)
            services.set_follow_up(actor=self.actor, referral=referral, follow_up_on=data["follow_up_on"], via="api")
            return Response(ReferralDetailSerializer(_detail(referral)).data)


class ContactCardView(ApiView):
    @extend_schema(
        operation_id="clients_contact_card_retrieve", tags=TAGS,
        summary="The client's contact card: who is the contact for what, and how to reach them",
        description="Logged as `contact_card_viewed`.", parameters=[CLIENT_ID],
        responses={200: ContactEntrySerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BEGELEIDING)
            services.record_staff_read(actor=self.actor, client_file=client_file, event_type="contact_card_viewed",
                                       via="api")  # fmt: skip
            return Response(ContactEntrySerializer(selectors.contact_card_for(client_file), many=True).data)


class ContactsView(ApiView):
    @extend_schema(
        operation_id="clients_contacts_create", tags=TAGS, summary="Add a contact to the contact card",
        description="Logged as `contact_person_added`.", parameters=[CLIENT_ID], request=ContactCreateSerializer,
        responses={201: ContactEntrySerializer(many=True), **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(ContactCreateSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BEGELEIDING, for_write=True)
            begeleiding.add_contact_person(actor=self.actor, client_file=client_file, data=data, via="api")
            card = selectors.contact_card_for(client_file)
            return Response(ContactEntrySerializer(card, many=True).data, status=status.HTTP_201_CREATED)


class BegeleidingView(ApiView):
    @extend_schema(
        operation_id="clients_begeleiding_list", tags=TAGS,
        summary="The begeleiding part: activities, PVT support, practical help, contact moments, signals",
        description="Logged as `begeleiding_viewed`.", parameters=[CLIENT_ID],
        responses={200: BegeleidingSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BEGELEIDING)
            services.record_staff_read(actor=self.actor, client_file=client_file, event_type="begeleiding_viewed",
                                       via="api")  # fmt: skip
            return Response(BegeleidingSerializer(selectors.begeleiding_of(client_file), many=True).data)

    @extend_schema(
        operation_id="clients_begeleiding_create", tags=TAGS, summary="Record a begeleiding entry (insert-only)",
        description="Logged as `begeleiding_recorded`.", parameters=[CLIENT_ID], request=BegeleidingCreateSerializer,
        responses={201: BegeleidingSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(BegeleidingCreateSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BEGELEIDING, for_write=True)
            entry = begeleiding.record_begeleiding(actor=self.actor, client_file=client_file, data=data, via="api")
            return Response(BegeleidingSerializer(entry).data, status=status.HTTP_201_CREATED)


class BuddiesView(ApiView):
    @extend_schema(
        operation_id="clients_buddies_list", tags=TAGS, summary="Buddies and taalmaatjes of the client",
        description="Logged as `begeleiding_viewed`.", parameters=[CLIENT_ID],
        responses={200: BuddySerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BEGELEIDING)
            services.record_staff_read(actor=self.actor, client_file=client_file, event_type="begeleiding_viewed",
                                       via="api")  # fmt: skip
            return Response(BuddySerializer(selectors.buddies_of(client_file), many=True).data)

    @extend_schema(
        operation_id="clients_buddies_create", tags=TAGS,
        summary="Match a buddy or taalmaatje through an organisation (name and contact only)",
        description="Logged as `buddy_matched`.", parameters=[CLIENT_ID], request=BuddyCreateSerializer,
        responses={201: BuddySerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(BuddyCreateSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BEGELEIDING, for_write=True)
            match = begeleiding.match_buddy(actor=self.actor, client_file=client_file, data=data, via="api")
            return Response(BuddySerializer(match).data, status=status.HTTP_201_CREATED)


class BuddyEndView(ApiView):
    @extend_schema(
        operation_id="clients_buddies_end", tags=TAGS, summary="End a buddy or taalmaatje match",
        description="409 when already ended. Logged as `buddy_ended`.", parameters=[CLIENT_ID, MATCH_ID],
        request=BuddyEndSerializer, responses={200: BuddySerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, match_id: int) -> Response:
        data = self.body(BuddyEndSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BEGELEIDING, for_write=True)
            match = BuddyMatch.objects.filter(pk=match_id, client_file=client_file).first()
            if match is None:
                raise NotFound()
            match.client_file = client_file
            ended = begeleiding.end_buddy(actor=self.actor, match=match, ended_on=data["ended_on"], via="api")
            return Response(BuddySerializer(ended).data)


# --- Partner paths ---------------------------------------------------------------------------------------------------


class PartnerInboxView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="referral_inbox_list", tags=TAGS,
        summary="The chain partner's inbox: referrals addressed to the token's organisation",
        description=(
            "Only for role ketenpartner (404 otherwise). Sent referrals whose consent stands; never another "
            "organisation's. Logged as `referral_inbox_listed`, one event per referral on the page."
        ),
        responses={200: PartnerReferralSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        with transaction.atomic():
            organisation = partner_organisation(self.actor)
            page = list(self.paginate_queryset(selectors.inbox_for(organisation, self.actor.gemeente_id)) or [])
            record_events(
                actor=self.actor, event_type="referral_inbox_listed", purpose="verwijzingen van de eigen organisatie",
                subjects=[EventSubject(r.gemeente_id, r.client_file_id, "referral", str(r.pk)) for r in page],
                via="api",
            )  # fmt: skip
            return self.get_paginated_response(PartnerReferralSerializer(page, many=True).data)


class PartnerReferralView(ApiView):
    @extend_schema(
        operation_id="referral_inbox_retrieve", tags=TAGS,
        summary="One referral with its warme-overdracht package, and nothing else of the file",
        description="404 once the consent is withdrawn. Logged as `handover_package_viewed` (purpose: the referral).",
        parameters=[REFERRAL_ID], responses={200: PartnerReferralDetailSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, referral_id: int) -> Response:
        with transaction.atomic():
            referral = access_partner_referral(self.actor, referral_id)
            services.record_partner_read(actor=self.actor, referral=referral, event_type="handover_package_viewed",
                                         via="api")  # fmt: skip
            return Response(PartnerReferralDetailSerializer(_partner_detail(referral)).data)


class PartnerAcknowledgeView(ApiView):
    @extend_schema(
        operation_id="referral_inbox_acknowledge", tags=TAGS, summary="Confirm receipt of the package",
        description="409 when confirmed already. Logged as `handover_package_acknowledged`.",
        parameters=[REFERRAL_ID], request=None,
        responses={200: PartnerReferralDetailSerializer, **problems(401, 404, 409)},
    )  # fmt: skip
    def post(self, request: Request, referral_id: int) -> Response:
        with transaction.atomic():
            referral = access_partner_referral(self.actor, referral_id, for_write=True)
            services.acknowledge_package(actor=self.actor, referral=referral, via="api")
            return Response(PartnerReferralDetailSerializer(_partner_detail(referral)).data)


class PartnerTransitionView(ApiView):
    @extend_schema(
        operation_id="referral_inbox_transition", tags=TAGS,
        summary="Accept, refuse (with reason), start, end or report back",
        description=(
            "verzonden → geaccepteerd | geweigerd; geaccepteerd → gestart | teruggemeld; gestart → afgerond | "
            "teruggemeld. Other steps: 400 in Dutch. Logged as `referral_status_changed`."
        ),
        parameters=[REFERRAL_ID], request=TransitionSerializer,
        responses={200: PartnerReferralDetailSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, referral_id: int) -> Response:
        partner_organisation(self.actor)  # not a partner: 404 before the body is read
        data = self.body(TransitionSerializer)
        with transaction.atomic():
            referral = access_partner_referral(self.actor, referral_id, for_write=True)
            services.partner_transition(actor=self.actor, referral=referral, to_status=data["to_status"],
                                        message=data.get("message", ""), via="api")  # fmt: skip
            return Response(PartnerReferralDetailSerializer(_partner_detail(referral)).data)


# --- Team paths ------------------------------------------------------------------------------------------------------


class BegeleidingCaseloadView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="begeleiding_caseload_list", tags=TAGS,
        summary="The maatschappelijk begeleider's caseload: open files assigned to them",
        description="403 for other roles. Logged as `begeleiding_caseload_listed`, one event per file on the page.",
        responses={200: CaseloadRowSerializer(many=True), **problems(401, 403)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        self.require(Capability.VIEW_BEGELEIDING_CASELOAD)
        with transaction.atomic():
            page = list(self.paginate_queryset(selectors.begeleiding_caseload(self.actor)) or [])
            record_events(
                actor=self.actor, event_type="begeleiding_caseload_listed", purpose=services.PURPOSE,
                subjects=[EventSubject(f.gemeente_id, f.pk, "clientfile", str(f.pk)) for f in page], via="api",
            )  # fmt: skip
            return self.get_paginated_response(CaseloadRowSerializer(page, many=True).data)


class FollowUpQueueView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="referrals_follow_up_list", tags=TAGS,
        summary="Referrals to follow up today or earlier (own caseload; the teamleider: the gemeente's)",
        description="403 without a caseload capability. Logged as `caseload_viewed`.",
        responses={200: FollowUpRowSerializer(many=True), **problems(401, 403)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        if not (self.actor.can(Capability.VIEW_OWN_CASELOAD) or self.actor.can(Capability.VIEW_TEAM_CASELOAD)):
            self.require(Capability.VIEW_OWN_CASELOAD)
        with transaction.atomic():
            page = list(self.paginate_queryset(selectors.follow_up_queue(self.actor, as_of=today())) or [])
            record_event(actor=self.actor, event_type="caseload_viewed", purpose=services.PURPOSE,
                         changes={"scope": "verwijzingen", "result_count": len(page)}, via="api")  # fmt: skip
            return self.get_paginated_response(FollowUpRowSerializer(page, many=True).data)


class FiguresView(ApiView):
    @extend_schema(
        operation_id="netwerk_figures_retrieve", tags=TAGS,
        summary="Referral figures of the gemeente: by theme, and acceptance per partner (aggregates only)",
        description="For monitoring roles (403 otherwise). Logged as `netwerk_figures_viewed`.",
        responses={200: FiguresSerializer, **problems(401, 403)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        self.require(Capability.VIEW_MONITORING)
        with transaction.atomic():
            record_event(actor=self.actor, event_type="netwerk_figures_viewed", purpose="sturing en verantwoording",
                         via="api")  # fmt: skip
            return Response(FiguresSerializer(selectors.referral_figures(self.actor.gemeente_id)).data)


# --- Sociale kaart ---------------------------------------------------------------------------------------------------


class OffersView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="sociale_kaart_offers_list", tags=TAGS,
        summary="Search the sociale kaart (the gemeente's own and the region's shared offers)",
        description="For roles that consult or manage the sociale kaart (403 otherwise). No personal data.",
        parameters=[OfferQuerySerializer], responses={200: OfferSerializer(many=True), **problems(400, 401, 403)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        if not self.actor.can(Capability.MANAGE_SOCIALE_KAART):
            self.require(Capability.VIEW_SOCIALE_KAART)
        query = self.query(OfferQuerySerializer)
        offers = selectors.offers_for(
            self.actor.gemeente, theme=query.get("theme", ""), language=query.get("language", ""),
            place=query.get("place", ""), text=query.get("q", ""),
        )  # fmt: skip
        return self.paged(offers, OfferSerializer)

    @extend_schema(
        operation_id="sociale_kaart_offers_create", tags=TAGS,
        summary="Add an offer (functioneel beheerder); the same organisation and name updates that offer",
        description="403 for other roles. Logged as `sociale_kaart_changed`.", request=OfferWriteSerializer,
        responses={201: OfferSerializer, **problems(400, 401, 403, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        self.require(Capability.MANAGE_SOCIALE_KAART)
        data = self.body(OfferWriteSerializer)
        data["gedeeld_in_regio"] = "ja" if data.get("gedeeld_in_regio") else "nee"
        data["wachttijd_weken"] = "" if data.get("wachttijd_weken") is None else str(data["wachttijd_weken"])
        with transaction.atomic():
            offer = kaart.save_offer(actor=self.actor, data=data, via="api")
            return Response(OfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class OfferView(ApiView):
    @extend_schema(
        operation_id="sociale_kaart_offers_update", tags=TAGS, summary="Change an offer (functioneel beheerder)",
        description="404 for an offer outside the gemeente's sociale kaart. Logged as `sociale_kaart_changed`.",
        parameters=[OFFER_ID], request=OfferWriteSerializer,
        responses={200: OfferSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def put(self, request: Request, offer_id: int) -> Response:
        offer = kaart.offer_for_manager(self.actor, offer_id)
        data = self.body(OfferWriteSerializer)
        data["gedeeld_in_regio"] = "ja" if data.get("gedeeld_in_regio") else "nee"
        data["wachttijd_weken"] = "" if data.get("wachttijd_weken") is None else str(data["wachttijd_weken"])
        with transaction.atomic():
            saved = kaart.save_offer(actor=self.actor, data=data, offer=offer, via="api")
            return Response(OfferSerializer(saved).data)


class BegeleiderView(ApiView):
    @extend_schema(
        operation_id="clients_begeleider_update", tags=TAGS,
        summary="Assign the file to a maatschappelijk begeleider of the gemeente (or none)",
        description="For roles that change files (404 otherwise). Logged as `begeleiding_assigned`.",
        parameters=[CLIENT_ID], request=BegeleiderSerializer,
        responses={200: BegeleiderSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def put(self, request: Request, client_id: int) -> Response:
        data = self.body(BegeleiderSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BEGELEIDING, for_write=True)
            saved = begeleiding.assign_begeleider(actor=self.actor, client_file=client_file,
                                                  begeleider_id=data["begeleider"], via="api")  # fmt: skip
            return Response({"begeleider": saved.begeleider_id})
