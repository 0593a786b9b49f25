"""The shapes the zorg-en-netwerk API endpoints (``netwerk.api``) share, each written once: a list on a file with
its read audited, a create on a file, one step on a referral (from the file or the partner's inbox), and a page
whose rows' read is audited. The same doors (``clients.access``, ``netwerk.access``) and services as the pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from rest_framework import serializers, status
from rest_framework.response import Response

from openinburgering.accounts.sections import Section
from openinburgering.api.views.base import ApiView
from openinburgering.clients.access import access_client_file
from openinburgering.clients.models import ClientFile

from . import selectors, services
from .access import access_file_referral, access_partner_referral
from .api_serializers import PartnerReferralDetailSerializer, ReferralDetailSerializer
from .models import Referral

Body = dict[str, Any]


def referral_detail(referral: Referral) -> Referral:
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


def partner_answer(referral: Referral) -> Response:
    """What a partner path answers: the referral with its package and history (the partner's serializer)."""
    fresh = (Referral.objects.select_related("offer", "package", "package__receipt").prefetch_related("history")).get(
        pk=referral.pk
    )
    fresh.client_file = referral.client_file
    return Response(PartnerReferralDetailSerializer(fresh).data)


def referrals_with_consent(client_file: ClientFile) -> list[Referral]:
    referrals = selectors.referrals_of(client_file)
    for referral in referrals:
        if not hasattr(referral, "consent"):
            referral.consent = None  # shown as null
    return list(referrals)


def offer_row(data: Body) -> Body:
    """The API's typed offer as the CSV row ``kaart.save_offer`` checks (the same function as an imported row)."""
    data["gedeeld_in_regio"] = "ja" if data.get("gedeeld_in_regio") else "nee"
    data["wachttijd_weken"] = "" if data.get("wachttijd_weken") is None else str(data["wachttijd_weken"])
    return data


class NetwerkApiView(ApiView):
    """The shapes the endpoints of zorg en netwerk share. A client path reaches the file through ``clients.access``
    with the begeleiding section; every read is audited in the transaction that answers it."""

    def file(self, client_id: int, *, for_write: bool = False) -> ClientFile:
        return access_client_file(self.actor, client_id, section=Section.BEGELEIDING, for_write=for_write)

    def listed(
        self, client_id: int, event_type: str, rows: Callable[[ClientFile], Iterable[Any]],
        serializer_class: type[serializers.BaseSerializer[Any]],
    ) -> Response:  # fmt: skip
        """A list on the file, its read audited as ``event_type``."""
        with transaction.atomic():
            client_file = self.file(client_id)
            services.record_staff_read(actor=self.actor, client_file=client_file, event_type=event_type, via="api")
            return Response(serializer_class(rows(client_file), many=True).data)

    def created(
        self, client_id: int, body_class: type[serializers.Serializer[Any]],
        create: Callable[[ClientFile, Body], Any], serializer_class: type[serializers.BaseSerializer[Any]], *,
        many: bool = False,
    ) -> Response:  # fmt: skip
        """The body checked, then ``create`` (one service) on the file opened for writing: 201 with the result."""
        data = self.body(body_class)
        with transaction.atomic():
            result = create(self.file(client_id, for_write=True), data)
            return Response(serializer_class(result, many=many).data, status=status.HTTP_201_CREATED)

    def referral_step(
        self, client_id: int, referral_id: int, step: Callable[[Referral, Body], object], *,
        body: type[serializers.Serializer[Any]] | None = None,
    ) -> Response:  # fmt: skip
        """One service on a referral of the file (opened for writing), answered with the referral's detail."""
        data = self.body(body) if body is not None else {}
        with transaction.atomic():
            _, referral = access_file_referral(self.actor, client_id, referral_id, for_write=True)
            step(referral, data)
            return Response(ReferralDetailSerializer(referral_detail(referral)).data)

    def partner_step(self, referral_id: int, step: Callable[[Referral], object]) -> Response:
        """One service on a referral in the partner's inbox, answered with what the partner may see."""
        with transaction.atomic():
            referral = access_partner_referral(self.actor, referral_id, for_write=True)
            step(referral)
            return partner_answer(referral)

    def audited_page(
        self, queryset: QuerySet[Any], serializer_class: type[serializers.BaseSerializer[Any]],
        record: Callable[[list[Any]], object],
    ) -> Response:  # fmt: skip
        """One page; ``record`` audits the read of the rows on it before it is answered."""
        page = list(self.paginate_queryset(queryset) or [])
        record(page)
        return self.get_paginated_response(serializer_class(page, many=True).data)
