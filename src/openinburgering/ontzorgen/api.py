"""Financieel ontzorgen in the API: a file's ontzorgen (period from rules.ontzorgen, maatwerk, Pw 57 extension),
machtigingen, obligations, the append-only ledger with computed balances, the worklist, the gemeente's account and
the monthly payment runs (build, four-eyes approval, the validated SEPA file). Every path goes through access (404
for another gemeente, a closed financiën section or a missing capability); every read and change is audited in
its transaction. Money is integer cents (``*_cents``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.api.pagination import PageNumberPagination
from openinburgering.api.schema import problems
from openinburgering.api.views.base import CLIENT_ID, ApiView
from openinburgering.audit.services import EventSubject, record_event, record_events
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import NotFound

from . import selectors, services
from .access import access_obligation, access_ontzorgen_file, access_run, may_approve, may_manage, require_manager
from .api_serializers import (
    AccountSerializer,
    AccountWriteSerializer,
    ExtensionSerializer,
    ExtensionWriteSerializer,
    LedgerEntrySerializer,
    MachtigingSerializer,
    MachtigingWriteSerializer,
    ObligationChangeSerializer,
    ObligationSerializer,
    ObligationWriteSerializer,
    OntzorgenSerializer,
    OntzorgenWriteSerializer,
    RunBuildSerializer,
    RunDetailSerializer,
    RunSerializer,
    WorklistSerializer,
)
from .models import (
    OntzorgenSettings,
)

TAGS = ["ontzorgen"]
OBLIGATION_ID = OpenApiParameter("obligation_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Vaste last.")
RUN_ID = OpenApiParameter("run_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Payment run id.")


def _read(actor: Any, client_file: ClientFile, subject: Any = None) -> None:
    record_event(
        actor=actor, event_type="ontzorgen_read", purpose=services.PURPOSE, client_file=client_file,
        subject=subject if subject is not None else client_file, via="api",
    )  # fmt: skip


def _ontzorgen_body(client_file: ClientFile) -> dict[str, Any]:
    record = selectors.record_of(client_file.pk)
    body = {
        "stage": str(selectors.stage_of(record, as_of=today())),
        "receives_bijstand": record.receives_bijstand if record else None,
        "bijstand_start_on": record.bijstand_start_on if record else None,
        "bijstand_end_on": record.bijstand_end_on if record else None,
        "applies": bool(record and record.applies),
        "reason": record.reason if record else "",
        "start_on": record.start_on if record else None,
        "end_on": record.end_on if record else None,
        "items": record.items if record else [],
        "maatwerk_reason": record.maatwerk_reason if record else "",
        "extensions": list(record.extensions.select_related("recorded_by").order_by("recorded_at")) if record else [],
        "balances": selectors.balances_of(client_file.pk),
        "reclaims": selectors.reclaims_of(client_file.pk),
    }
    return dict(OntzorgenSerializer(body).data)


class OntzorgenView(ApiView):
    @extend_schema(
        operation_id="clients_ontzorgen_read", tags=TAGS,
        summary="Ontzorgen of a client file: stage, period (rules.ontzorgen), maatwerk, extensions and balances",
        description="Financiën section (the klantregisseur reads). Logged as `ontzorgen_read`.",
        parameters=[CLIENT_ID], responses={200: OntzorgenSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id)
            _read(self.actor, client_file)
            return Response(_ontzorgen_body(client_file))

    @extend_schema(
        operation_id="clients_ontzorgen_record", tags=TAGS,
        summary="Record the bijstand dates and the maatwerk; the period follows from rules.ontzorgen",
        description="Financieel consulent or teamleider. Logged as `ontzorgen_recorded`.",
        parameters=[CLIENT_ID], request=OntzorgenWriteSerializer,
        responses={200: OntzorgenSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def put(self, request: Request, client_id: int) -> Response:
        data = self.body(OntzorgenWriteSerializer)
        if "items" not in self.request.data:
            data.pop("items", None)
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id, for_write=True)
            services.record_ontzorgen(actor=self.actor, client_file=client_file, data=data, via="api")
            return Response(_ontzorgen_body(client_file))


class ExtensionsView(ApiView):
    @extend_schema(
        operation_id="clients_ontzorgen_extensions_create", tags=TAGS,
        summary="Record a Pw 57 decision to continue ontzorgen until a date, with its reason",
        description="Logged as `ontzorgen_extended`.", parameters=[CLIENT_ID], request=ExtensionWriteSerializer,
        responses={201: ExtensionSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(ExtensionWriteSerializer)
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id, for_write=True)
            extension = services.extend_ontzorgen(actor=self.actor, client_file=client_file, data=data, via="api")
            return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)


class MachtigingenView(ApiView):
    @extend_schema(
        operation_id="clients_ontzorgen_machtigingen_list", tags=TAGS,
        summary="Machtigingen, consents, refusals and withdrawals, newest first (the first one counts)",
        description="Logged as `ontzorgen_read`.", parameters=[CLIENT_ID],
        responses={200: MachtigingSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id)
            _read(self.actor, client_file)
            rows = selectors.machtigingen_of(client_file.pk).select_related("recorded_by")
            return Response(MachtigingSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="clients_ontzorgen_machtigingen_create", tags=TAGS,
        summary="Record a machtiging or consent, or a refusal or withdrawal with its consequence",
        description="Logged as `machtiging_recorded`.", parameters=[CLIENT_ID], request=MachtigingWriteSerializer,
        responses={201: MachtigingSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(MachtigingWriteSerializer)
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id, for_write=True)
            item = services.record_machtiging(actor=self.actor, client_file=client_file, data=data, via="api")
            return Response(MachtigingSerializer(item).data, status=status.HTTP_201_CREATED)


class ObligationsView(ApiView):
    @extend_schema(
        operation_id="clients_ontzorgen_obligations_list", tags=TAGS, summary="The vaste lasten of a client file",
        description="Logged as `ontzorgen_read`.", parameters=[CLIENT_ID],
        responses={200: ObligationSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id)
            _read(self.actor, client_file)
            return Response(ObligationSerializer(selectors.obligations_of(client_file.pk), many=True).data)

    @extend_schema(
        operation_id="clients_ontzorgen_obligations_create", tags=TAGS,
        summary="Record a vaste last (creditor, IBAN checked, reference, amount in cents, day, start and end)",
        description=(
            "A wrong IBAN, an amount of 0 or less, an end before the start: 400 with a Dutch message per field, "
            "nothing written. Logged as `obligation_recorded`."
        ),
        parameters=[CLIENT_ID], request=ObligationWriteSerializer,
        responses={201: ObligationSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(ObligationWriteSerializer)
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id, for_write=True)
            item = services.record_obligation(actor=self.actor, client_file=client_file, data=data, via="api")
            return Response(ObligationSerializer(item).data, status=status.HTTP_201_CREATED)


class ObligationDetailView(ApiView):
    @extend_schema(
        operation_id="clients_ontzorgen_obligations_read", tags=TAGS, summary="One vaste last",
        description="Logged as `ontzorgen_read`.", parameters=[CLIENT_ID, OBLIGATION_ID],
        responses={200: ObligationSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int, obligation_id: int) -> Response:
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id)
            item = access_obligation(self.actor, client_file, obligation_id)
            _read(self.actor, client_file, item)
            return Response(ObligationSerializer(item).data)

    @extend_schema(
        operation_id="clients_ontzorgen_obligations_change", tags=TAGS,
        summary="Change a vaste last; months already paid are corrected in the next run, never in a sent file",
        description="A new amount needs `changed_from`. Logged as `obligation_changed`.",
        parameters=[CLIENT_ID, OBLIGATION_ID], request=ObligationChangeSerializer,
        responses={200: ObligationSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def patch(self, request: Request, client_id: int, obligation_id: int) -> Response:
        data = self.body(ObligationChangeSerializer, partial=True)
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id, for_write=True)
            item = access_obligation(self.actor, client_file, obligation_id)
            changed = services.change_obligation(
                actor=self.actor, client_file=client_file, obligation=item, data=data, via="api"
            )
            return Response(ObligationSerializer(changed).data)


class LedgerView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="clients_ontzorgen_ledger_list", tags=TAGS,
        summary="The append-only ledger of a client file, oldest first (balances are in the ontzorgen resource)",
        description="Logged as `ontzorgen_read`.", parameters=[CLIENT_ID],
        responses={200: LedgerEntrySerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id)
            _read(self.actor, client_file)
            return self.paged(selectors.ledger_of(client_file.pk), LedgerEntrySerializer)


class WorklistView(ApiView):
    @extend_schema(
        operation_id="ontzorgen_worklist", tags=TAGS,
        summary="Starting this month, ending within 60 days, vaste lasten without IBAN or machtiging",
        description="Financieel consulent and teamleider. Logged as `ontzorgen_worklist_viewed`, one per file.",
        responses={200: WorklistSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        actor = require_manager(self.actor)
        as_of = today()
        with transaction.atomic():
            starting = list(selectors.starting_this_month(actor.gemeente_id, as_of=as_of))
            ending = list(selectors.ending_soon(actor.gemeente_id, as_of=as_of))
            missing = list(selectors.obligations_missing_iban_or_machtiging(actor.gemeente_id, as_of=as_of))
            file_ids = sorted({r.client_file_id for r in (*starting, *ending)} | {o.client_file_id for o in missing})
            record_events(
                event_type="ontzorgen_worklist_viewed", purpose=services.PURPOSE, actor=actor, via="api",
                subjects=[EventSubject(actor.gemeente_id, file_id, "clientfile", str(file_id)) for file_id in file_ids],
            )  # fmt: skip
            body = {"starting_this_month": starting, "ending_soon": ending, "missing_iban_or_machtiging": missing}
            return Response(WorklistSerializer(body).data)


class AccountView(ApiView):
    @extend_schema(
        operation_id="ontzorgen_account_read", tags=TAGS, summary="The gemeente's paying account (SEPA debtor)",
        responses={200: AccountSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        actor = require_manager(self.actor)
        current = OntzorgenSettings.objects.filter(gemeente_id=actor.gemeente_id).first()
        if current is None:
            raise NotFound("De rekening van de gemeente is nog niet ingevuld.")
        return Response(AccountSerializer(current).data)

    @extend_schema(
        operation_id="ontzorgen_account_save", tags=TAGS, summary="Set the gemeente's paying account (IBAN checked)",
        description="Logged as `ontzorgen_settings_changed`.", request=AccountWriteSerializer,
        responses={200: AccountSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def put(self, request: Request) -> Response:
        actor = require_manager(self.actor)
        data = self.body(AccountWriteSerializer)
        with transaction.atomic():
            saved = services.save_settings(actor=actor, data=data, via="api")
            return Response(AccountSerializer(saved).data)


def _require_runs(actor: Any) -> None:
    if not (may_manage(actor) or may_approve(actor)):
        raise NotFound()


class RunsView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="payment_runs_list", tags=TAGS, summary="The payment runs of the gemeente, newest month first",
        description="Logged as `payment_runs_listed`.", responses={200: RunSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        _require_runs(self.actor)
        with transaction.atomic():
            record_event(
                actor=self.actor, event_type="payment_runs_listed", purpose=services.PURPOSE,
                subject_type="paymentrun", subject_id="list", via="api",
            )  # fmt: skip
            return self.paged(selectors.runs_of(self.actor.gemeente_id), RunSerializer)

    @extend_schema(
        operation_id="payment_runs_build", tags=TAGS,
        summary="Build the run of a month (idempotent: an existing run waiting for approval is returned, 200)",
        description=(
            "All or nothing. 201 when built, 200 when the month's run already waits for approval; 409 when the "
            "month is already approved (sent), when another month waits for approval, or a later month exists. "
            "Logged as `payment_run_created` and `ontzorgen_payments_prepared` per file."
        ),
        request=RunBuildSerializer,
        responses={201: RunSerializer, 200: RunSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        actor = require_manager(self.actor)
        data = self.body(RunBuildSerializer)
        run, created = services.build_run(actor=actor, month=data["month"], via="api")
        body = RunSerializer(selectors.runs_of(actor.gemeente_id).get(pk=run.pk)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class RunDetailView(ApiView):
    @extend_schema(
        operation_id="payment_runs_read", tags=TAGS, summary="One payment run with its payments",
        description="Logged as `payment_run_viewed`, one per file.", parameters=[RUN_ID],
        responses={200: RunDetailSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, run_id: int) -> Response:
        with transaction.atomic():
            run = access_run(self.actor, run_id)
            full = selectors.runs_of(self.actor.gemeente_id).prefetch_related("payments").get(pk=run.pk)
            payments = list(full.payments.all())
            record_events(
                event_type="payment_run_viewed", purpose=services.PURPOSE, actor=self.actor, via="api",
                subjects=[EventSubject(run.gemeente_id, file_id, "paymentrun", str(run.pk))
                          for file_id in sorted({payment.client_file_id for payment in payments})],
            )  # fmt: skip
            return Response(RunDetailSerializer(full).data)


class RunApproveView(ApiView):
    @extend_schema(
        operation_id="payment_runs_approve", tags=TAGS,
        summary="Approve a run (four eyes: never its builder); writes and validates the SEPA file",
        description=(
            "Approve payment runs capability (404 otherwise). The builder gets 400. 200 with the run; approving an "
            "approved run changes nothing. Logged as `payment_run_approved` and `ontzorgen_payments_approved`."
        ),
        parameters=[RUN_ID], request=None, responses={200: RunSerializer, **problems(400, 401, 404)},
    )  # fmt: skip
    def post(self, request: Request, run_id: int) -> Response:
        if not may_approve(self.actor):
            raise NotFound()
        with transaction.atomic():
            run = access_run(self.actor, run_id, for_write=True)
            services.approve_run(actor=self.actor, run=run, via="api")
            return Response(RunSerializer(selectors.runs_of(self.actor.gemeente_id).get(pk=run.pk)).data)


class RunFileView(ApiView):
    @extend_schema(
        operation_id="payment_runs_file", tags=TAGS,
        summary="The validated SEPA Credit Transfer file (pain.001.001.09) of an approved run",
        description="404 before approval; 409 once the retention job destroyed the file (seven years, AWR art. 52 "
        "lid 4). Logged as `payment_file_downloaded` and `ontzorgen_payments_exported`.",
        parameters=[RUN_ID],
        responses={
            (200, "application/xml"): OpenApiResponse(response=OpenApiTypes.BINARY, description="The file."),
            **problems(401, 404, 409),
        },
    )  # fmt: skip
    def get(self, request: Request, run_id: int) -> HttpResponse:
        with transaction.atomic():
            run = access_run(self.actor, run_id)
            payment_file = services.record_file_download(actor=self.actor, run=run, via="api")
            response = HttpResponse(bytes(payment_file.content), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{payment_file.message_id}.xml"'
        return response
