"""Settling a reclaim in the API (#13 leftover a): the creditor's refund (with the bank line it arrived on, from
``GET /api/v1/ontzorgen/bank-worklist``) or offset of money paid too much for one vaste last. Same door as the
other ontzorgen paths: reading needs the file's financiën section (the klantregisseur reads), booking needs
MANAGE_ONTZORGEN and write access (financieel consulent, teamleider); anything else is 404. Every read and change
is audited in its transaction. Money is integer cents."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.api.schema import problems
from openinburgering.api.views.base import CLIENT_ID, ApiView
from openinburgering.audit.services import record_event

from . import reclaims, services
from .access import access_obligation, access_ontzorgen_file
from .api import OBLIGATION_ID, TAGS
from .models_reclaim import ReclaimSettlement, SettlementMethod


class ReclaimSettlementSerializer(serializers.ModelSerializer[ReclaimSettlement]):
    obligation_id = serializers.IntegerField(source="obligation.pk", read_only=True)
    statement_line_id = serializers.IntegerField(source="statement_line.pk", allow_null=True, read_only=True)
    ledger_entry_id = serializers.IntegerField(source="ledger_entry.pk", read_only=True)

    class Meta:
        model = ReclaimSettlement
        fields = (
            "id", "obligation_id", "method", "amount_cents", "settled_on", "statement_line_id", "note",
            "ledger_entry_id", "recorded_at",
        )  # fmt: skip
        read_only_fields = fields


class ReclaimSettlementWriteSerializer(serializers.Serializer[Any]):
    method = serializers.ChoiceField(
        choices=SettlementMethod.choices,
        help_text="refunded: the creditor paid it back to the ontzorgen account (name the bank line); "
        "offset: settled another way (a note says how).",
    )
    amount_cents = serializers.IntegerField(help_text="At most what is still open; a refund: the bank line's amount.")
    settled_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Empty for a refund: the bank's booking date."
    )
    statement_line = serializers.IntegerField(
        required=False, allow_null=True, default=None,
        help_text="A refund only: the id of an unmatched credit line of the bank worklist.",
    )  # fmt: skip
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.TEXT_LIMIT)


class ReclaimSettlementsView(ApiView):
    @extend_schema(
        operation_id="clients_ontzorgen_settlements_list", tags=TAGS,
        summary="Refunds and offsets booked for money paid too much on one vaste last",
        description="Logged as `ontzorgen_read`.", parameters=[CLIENT_ID, OBLIGATION_ID],
        responses={200: ReclaimSettlementSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int, obligation_id: int) -> Response:
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id)
            obligation = access_obligation(self.actor, client_file, obligation_id)
            record_event(
                actor=self.actor, event_type="ontzorgen_read", purpose=services.PURPOSE, client_file=client_file,
                subject=obligation, via="api",
            )  # fmt: skip
            rows = reclaims.settlements_of(client_file.pk).filter(obligation=obligation)
            return Response(ReclaimSettlementSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="clients_ontzorgen_settlements_create", tags=TAGS,
        summary="Book the creditor's refund or offset of money paid too much (closes the reclaim)",
        description=(
            "One ledger entry (refunded or offset) pointing at the correction that made the credit; a refund "
            "resolves its bank line. An amount above what is open, a bank line that is no unmatched credit or "
            "already used, a missing note for an offset: 400 with Dutch messages, nothing written. Nothing open: "
            "409. The same bank line again for the same vaste last and amount: 200 with the settlement already "
            "booked, nothing written. Logged as `ontzorgen_reclaim_settled`."
        ),
        parameters=[CLIENT_ID, OBLIGATION_ID], request=ReclaimSettlementWriteSerializer,
        responses={
            201: ReclaimSettlementSerializer, 200: ReclaimSettlementSerializer, **problems(400, 401, 404, 409, 413, 415)
        },
    )  # fmt: skip
    def post(self, request: Request, client_id: int, obligation_id: int) -> Response:
        data = self.body(ReclaimSettlementWriteSerializer)
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id, for_write=True)
            obligation = access_obligation(self.actor, client_file, obligation_id)
            settlement, created = reclaims.settle_reclaim(
                actor=self.actor, client_file=client_file, obligation=obligation, data=data, via="api"
            )
            return Response(
                ReclaimSettlementSerializer(settlement).data,
                status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            )
