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
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.roles import Capability
from openinburgering.api.pagination import PageNumberPagination
from openinburgering.api.schema import problems
from openinburgering.api.views.base import CLIENT_ID
from openinburgering.audit.services import EventSubject, record_event, record_events
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import NotFound

from . import begeleiding, kaart, selectors, services
from .access import access_file_referral, access_partner_referral, partner_organisation
from .api_base import NetwerkApiView, offer_row, partner_answer, referral_detail, referrals_with_consent
from .api_serializers import (
    BegeleiderSerializer,
    BegeleidingCreateSerializer,
    BegeleidingSerializer,
    BuddyCreateSerializer,
    BuddyEndSerializer,
    BuddySerializer,
    CaseloadRowSerializer,
    ContactCreateSerializer,
    ContactEntrySerializer,
    FiguresSerializer,
    FollowUpRowSerializer,
    FollowUpSerializer,
    OfferQuerySerializer,
    OfferSerializer,
    OfferWriteSerializer,
    PartnerReferralDetailSerializer,
    PartnerReferralSerializer,
    ReferralCreateSerializer,
    ReferralDetailSerializer,
    ReferralSerializer,
    TransitionSerializer,
    WithdrawSerializer,
)
from .models import BuddyMatch, Referral

TAGS = ["zorg en netwerk"]
REFERRAL_ID = OpenApiParameter("referral_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Referral id.")
MATCH_ID = OpenApiParameter("match_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Buddy match id.")
OFFER_ID = OpenApiParameter("offer_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Offer id.")


# --- Client paths ----------------------------------------------------------------------------------------------------


class ReferralsView(NetwerkApiView):
    @extend_schema(
        operation_id="clients_referrals_list", tags=TAGS, summary="The referrals of a client file, newest first",
        description="Logged as `referrals_viewed`.", parameters=[CLIENT_ID],
        responses={200: ReferralSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        return self.listed(client_id, "referrals_viewed", referrals_with_consent, ReferralSerializer)

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
        def create(client_file: ClientFile, data: dict[str, Any]) -> Referral:
            referral = services.create_referral(actor=self.actor, client_file=client_file, data=data, via="api")
            return referral_detail(referral)

        return self.created(client_id, ReferralCreateSerializer, create, ReferralDetailSerializer)


class ReferralView(NetwerkApiView):
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
            return Response(ReferralDetailSerializer(referral_detail(referral)).data)


class ReferralSendView(NetwerkApiView):
    @extend_schema(
        operation_id="clients_referrals_send", tags=TAGS, summary="Send a concept referral to the partner",
        description="409 when already sent; 400 when the consent was withdrawn. Logged as `referral_dispatched`.",
        parameters=[CLIENT_ID, REFERRAL_ID], request=None,
        responses={200: ReferralDetailSerializer, **problems(400, 401, 404, 409)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, referral_id: int) -> Response:
        return self.referral_step(
            client_id, referral_id, lambda referral, _: services.send_referral(
                actor=self.actor, referral=referral, via="api")
        )  # fmt: skip


class ReferralWithdrawView(NetwerkApiView):
    @extend_schema(
        operation_id="clients_referrals_withdraw_consent", tags=TAGS,
        summary="Withdraw the client's consent: the partner's access ends at once",
        description="409 when already withdrawn. Logged as `referral_consent_revoked`.",
        parameters=[CLIENT_ID, REFERRAL_ID], request=WithdrawSerializer,
        responses={200: ReferralDetailSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, referral_id: int) -> Response:
        return self.referral_step(
            client_id, referral_id, lambda referral, data: services.withdraw_consent(
                actor=self.actor, referral=referral, withdrawn_on=data.get("withdrawn_on") or today(), via="api"),
            body=WithdrawSerializer,
        )  # fmt: skip


class ReferralFollowUpView(NetwerkApiView):
    @extend_schema(
        operation_id="clients_referrals_follow_up", tags=TAGS,
        summary="Follow a referral up: the next date on the caseload, or none",
        description="Logged as `referral_followed_up`.", parameters=[CLIENT_ID, REFERRAL_ID],
        request=FollowUpSerializer, responses={200: ReferralDetailSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, referral_id: int) -> Response:
        return self.referral_step(
            client_id, referral_id, lambda referral, data: services.set_follow_up(
                actor=self.actor, referral=referral, follow_up_on=data["follow_up_on"], via="api"),
            body=FollowUpSerializer,
        )  # fmt: skip


class ContactCardView(NetwerkApiView):
    @extend_schema(
        operation_id="clients_contact_card_retrieve", tags=TAGS,
        summary="The client's contact card: who is the contact for what, and how to reach them",
        description="Logged as `contact_card_viewed`.", parameters=[CLIENT_ID],
        responses={200: ContactEntrySerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        return self.listed(client_id, "contact_card_viewed", selectors.contact_card_for, ContactEntrySerializer)


class ContactsView(NetwerkApiView):
    @extend_schema(
        operation_id="clients_contacts_create", tags=TAGS, summary="Add a contact to the contact card",
        description="Logged as `contact_person_added`.", parameters=[CLIENT_ID], request=ContactCreateSerializer,
        responses={201: ContactEntrySerializer(many=True), **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        def add(client_file: ClientFile, data: dict[str, Any]) -> list[Any]:
            begeleiding.add_contact_person(actor=self.actor, client_file=client_file, data=data, via="api")
            return selectors.contact_card_for(client_file)

        return self.created(client_id, ContactCreateSerializer, add, ContactEntrySerializer, many=True)


class BegeleidingView(NetwerkApiView):
    @extend_schema(
        operation_id="clients_begeleiding_list", tags=TAGS,
        summary="The begeleiding part: activities, PVT support, practical help, contact moments, signals",
        description="Logged as `begeleiding_viewed`.", parameters=[CLIENT_ID],
        responses={200: BegeleidingSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        return self.listed(client_id, "begeleiding_viewed", selectors.begeleiding_of, BegeleidingSerializer)

    @extend_schema(
        operation_id="clients_begeleiding_create", tags=TAGS, summary="Record a begeleiding entry (insert-only)",
        description="Logged as `begeleiding_recorded`.", parameters=[CLIENT_ID], request=BegeleidingCreateSerializer,
        responses={201: BegeleidingSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        return self.created(
            client_id, BegeleidingCreateSerializer, lambda client_file, data: begeleiding.record_begeleiding(
                actor=self.actor, client_file=client_file, data=data, via="api"),
            BegeleidingSerializer,
        )  # fmt: skip


class BuddiesView(NetwerkApiView):
    @extend_schema(
        operation_id="clients_buddies_list", tags=TAGS, summary="Buddies and taalmaatjes of the client",
        description="Logged as `begeleiding_viewed`.", parameters=[CLIENT_ID],
        responses={200: BuddySerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        return self.listed(client_id, "begeleiding_viewed", selectors.buddies_of, BuddySerializer)

    @extend_schema(
        operation_id="clients_buddies_create", tags=TAGS,
        summary="Match a buddy or taalmaatje through an organisation (name and contact only)",
        description="Logged as `buddy_matched`.", parameters=[CLIENT_ID], request=BuddyCreateSerializer,
        responses={201: BuddySerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        return self.created(
            client_id, BuddyCreateSerializer, lambda client_file, data: begeleiding.match_buddy(
                actor=self.actor, client_file=client_file, data=data, via="api"),
            BuddySerializer,
        )  # fmt: skip


class BuddyEndView(NetwerkApiView):
    @extend_schema(
        operation_id="clients_buddies_end", tags=TAGS, summary="End a buddy or taalmaatje match",
        description="409 when already ended. Logged as `buddy_ended`.", parameters=[CLIENT_ID, MATCH_ID],
        request=BuddyEndSerializer, responses={200: BuddySerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, match_id: int) -> Response:
        data = self.body(BuddyEndSerializer)
        with transaction.atomic():
            client_file = self.file(client_id, for_write=True)
            match = BuddyMatch.objects.filter(pk=match_id, client_file=client_file).first()
            if match is None:
                raise NotFound()
            match.client_file = client_file
            ended = begeleiding.end_buddy(actor=self.actor, match=match, ended_on=data["ended_on"], via="api")
            return Response(BuddySerializer(ended).data)


# --- Partner paths ---------------------------------------------------------------------------------------------------


class PartnerInboxView(NetwerkApiView):
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
            return self.audited_page(
                selectors.inbox_for(organisation, self.actor.gemeente_id), PartnerReferralSerializer,
                lambda page: record_events(
                    actor=self.actor, event_type="referral_inbox_listed",
                    purpose="verwijzingen van de eigen organisatie", via="api",
                    subjects=[EventSubject(r.gemeente_id, r.client_file_id, "referral", str(r.pk)) for r in page],
                ),
            )  # fmt: skip


class PartnerReferralView(NetwerkApiView):
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
            return partner_answer(referral)


class PartnerAcknowledgeView(NetwerkApiView):
    @extend_schema(
        operation_id="referral_inbox_acknowledge", tags=TAGS, summary="Confirm receipt of the package",
        description="409 when confirmed already. Logged as `handover_package_acknowledged`.",
        parameters=[REFERRAL_ID], request=None,
        responses={200: PartnerReferralDetailSerializer, **problems(401, 404, 409)},
    )  # fmt: skip
    def post(self, request: Request, referral_id: int) -> Response:
        return self.partner_step(
            referral_id, lambda referral: services.acknowledge_package(actor=self.actor, referral=referral, via="api")
        )


class PartnerTransitionView(NetwerkApiView):
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
        return self.partner_step(
            referral_id, lambda referral: services.partner_transition(
                actor=self.actor, referral=referral, to_status=data["to_status"], message=data.get("message", ""),
                via="api")
        )  # fmt: skip


# --- Team paths ------------------------------------------------------------------------------------------------------


class BegeleidingCaseloadView(NetwerkApiView):
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
            return self.audited_page(
                selectors.begeleiding_caseload(self.actor), CaseloadRowSerializer,
                lambda page: record_events(
                    actor=self.actor, event_type="begeleiding_caseload_listed", purpose=services.PURPOSE, via="api",
                    subjects=[EventSubject(f.gemeente_id, f.pk, "clientfile", str(f.pk)) for f in page],
                ),
            )  # fmt: skip


class FollowUpQueueView(NetwerkApiView):
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
            return self.audited_page(
                selectors.follow_up_queue(self.actor, as_of=today()), FollowUpRowSerializer,
                lambda page: record_event(actor=self.actor, event_type="caseload_viewed", purpose=services.PURPOSE,
                                          changes={"scope": "verwijzingen", "result_count": len(page)}, via="api"),
            )  # fmt: skip


class FiguresView(NetwerkApiView):
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


class OffersView(NetwerkApiView):
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
        data = offer_row(self.body(OfferWriteSerializer))
        with transaction.atomic():
            offer = kaart.save_offer(actor=self.actor, data=data, via="api")
            return Response(OfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class OfferView(NetwerkApiView):
    @extend_schema(
        operation_id="sociale_kaart_offers_update", tags=TAGS, summary="Change an offer (functioneel beheerder)",
        description="404 for an offer outside the gemeente's sociale kaart. Logged as `sociale_kaart_changed`.",
        parameters=[OFFER_ID], request=OfferWriteSerializer,
        responses={200: OfferSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def put(self, request: Request, offer_id: int) -> Response:
        offer = kaart.offer_for_manager(self.actor, offer_id)
        data = offer_row(self.body(OfferWriteSerializer))
        with transaction.atomic():
            saved = kaart.save_offer(actor=self.actor, data=data, offer=offer, via="api")
            return Response(OfferSerializer(saved).data)


class BegeleiderView(NetwerkApiView):
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
            client_file = self.file(client_id, for_write=True)
            saved = begeleiding.assign_begeleider(actor=self.actor, client_file=client_file,
                                                  begeleider_id=data["begeleider"], via="api")  # fmt: skip
            return Response({"begeleider": saved.begeleider_id})
