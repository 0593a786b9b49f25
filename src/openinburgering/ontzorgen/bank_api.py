"""Ontzorgen part B in the API (/api/v1/): bank statements (camt.053 import, lines), the bank worklist, toeslagen,
begeleid loslaten and the client statement PDF. The same services and selectors as the pages; every read and
change audited in its transaction. Gemeente-level endpoints need MANAGE_ONTZORGEN (404 otherwise, like a missing
object); file endpoints go through ``access_ontzorgen_file`` (the financiën section)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import IO, Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.api.pagination import PageNumberPagination
from openinburgering.api.parsers import JsonParser, RequestTooLarge
from openinburgering.api.schema import problems
from openinburgering.api.views.base import CLIENT_ID, ApiView
from openinburgering.audit.services import record_event
from openinburgering.core.dates import today
from openinburgering.core.errors import NotFound
from openinburgering.letters.views import pdf_response

from . import bank_selectors, camt, loslaten, reconcile, statement, toeslagen
from .access import access_ontzorgen_file, require_manager
from .bank_views import _audit_files
from .models_aftercare import LoslatenStep, ToeslagKind, ToeslagRecord, ToeslagStatus
from .models_bank import BankStatement, StatementLine
from .services import PURPOSE

TAGS = ["ontzorgen"]
STATEMENT_ID = OpenApiParameter("statement_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Statement id.")
LINE_ID = OpenApiParameter("line_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Statement line id.")
STEP_ID = OpenApiParameter("step_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Loslaten step id.")


class XmlParser(parsers.BaseParser):
    """The camt.053 document (``application/xml``) as ``{"xml": bytes}``; 413 past ``camt.MAX_BYTES``."""

    media_type = "application/xml"

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> dict[str, bytes]:
        raw = stream.read(camt.MAX_BYTES + 1) if stream is not None else b""
        if len(raw) > camt.MAX_BYTES:
            raise RequestTooLarge(f"Het afschrift is te groot (maximaal {camt.MAX_BYTES // (1024 * 1024)} MB).")
        return {"xml": bytes(raw)}


# ---------------------------------------------------------------------------------------------------------------
# Serializers


class BankStatementSerializer(serializers.ModelSerializer[BankStatement]):
    imported_by = serializers.CharField(source="imported_by.display_name", read_only=True)
    line_count = serializers.IntegerField(read_only=True)
    paid_count = serializers.IntegerField(read_only=True)
    returned_count = serializers.IntegerField(read_only=True)
    unmatched_count = serializers.IntegerField(read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="Bytes.")

    class Meta:
        model = BankStatement
        fields: tuple[str, ...] = (
            "id", "account_iban", "statement_id", "message_id", "version", "sha256", "size", "from_on", "to_on",
            "line_count", "paid_count", "returned_count", "unmatched_count", "imported_at", "imported_by",
        )  # fmt: skip
        read_only_fields = fields


class ImportResultSerializer(serializers.Serializer[Any]):
    created = serializers.BooleanField(help_text="False when the statement had been imported before: nothing changed.")
    statements = BankStatementSerializer(many=True)


class StatementLineSerializer(serializers.ModelSerializer[StatementLine]):
    client_id = serializers.IntegerField(source="client_file_id", read_only=True, allow_null=True)
    payment_id = serializers.IntegerField(read_only=True, allow_null=True)
    statement_id = serializers.IntegerField(read_only=True)
    entry_index = serializers.IntegerField(read_only=True)
    amount_cents = serializers.IntegerField(read_only=True, help_text="Integer cents, never negative.")
    resolved = serializers.SerializerMethodField()

    class Meta:
        model = StatementLine
        fields: tuple[str, ...] = (
            "id", "statement_id", "entry_index", "end_to_end_id", "amount_cents", "is_credit", "booked_on",
            "outcome", "return_reason", "counterparty_name", "counterparty_iban", "description", "payment_id",
            "client_id", "resolved",
        )  # fmt: skip
        read_only_fields = fields

    def get_resolved(self, line: StatementLine) -> bool:
        return hasattr(line, "resolution")


class StatementLineResolveSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=reconcile.MAX_NOTE)


class ToeslagGapSerializer(serializers.Serializer[Any]):
    client_id = serializers.IntegerField(source="record.client_file_id")
    ends_on = serializers.DateField()
    missing = serializers.ListField(child=serializers.CharField())


class LoslatenStepSerializer(serializers.ModelSerializer[LoslatenStep]):
    client_id = serializers.IntegerField(source="client_file_id", read_only=True)
    obligation_id = serializers.IntegerField(read_only=True, allow_null=True)
    done_on = serializers.SerializerMethodField()
    letter_id = serializers.SerializerMethodField()
    client_pays_from = serializers.SerializerMethodField(
        help_text="Zelf betalen step, done: the first day the client pays the obligation (the gemeente no longer does)."
    )

    class Meta:
        model = LoslatenStep
        fields: tuple[str, ...] = (
            "id", "client_id", "kind", "description", "due_on", "obligation_id", "done_on", "letter_id",
            "client_pays_from",
        )  # fmt: skip
        read_only_fields = fields

    def get_client_pays_from(self, step: LoslatenStep) -> date | None:
        if step.kind != "zelf_betalen" or getattr(step, "done", None) is None or step.obligation is None:
            return None
        end_on = step.obligation.end_on
        return end_on + timedelta(days=1) if end_on is not None else None

    def get_done_on(self, step: LoslatenStep) -> str | None:
        done = getattr(step, "done", None)
        return done.done_on.isoformat() if done is not None else None

    def get_letter_id(self, step: LoslatenStep) -> int | None:
        done = getattr(step, "done", None)
        return done.letter_id if done is not None else None


class BankWorklistSerializer(serializers.Serializer[Any]):
    lines = StatementLineSerializer(many=True, help_text="Returned and unmatched lines not yet handled (max 200).")
    toeslagen_gap = ToeslagGapSerializer(many=True)
    loslaten_steps = LoslatenStepSerializer(many=True, help_text="Open steps due within two weeks or overdue.")
    needing_plan = serializers.ListField(child=serializers.IntegerField(), help_text="Client ids without a plan.")


class ToeslagSerializer(serializers.ModelSerializer[ToeslagRecord]):
    recorded_by = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = ToeslagRecord
        fields: tuple[str, ...] = (
            "id", "kind", "status", "applied_on", "granted_on", "first_payment_on", "monthly_amount", "note",
            "recorded_at", "recorded_by",
        )  # fmt: skip
        read_only_fields = fields


class ToeslagCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ToeslagKind.choices)
    status = serializers.ChoiceField(choices=ToeslagStatus.choices)
    applied_on = serializers.DateField(required=False, allow_null=True, default=None)
    granted_on = serializers.DateField(required=False, allow_null=True, default=None)
    first_payment_on = serializers.DateField(required=False, allow_null=True, default=None)
    monthly_amount = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=2_000, required=False, allow_blank=True, default="")


class LoslatenPlanSerializer(serializers.Serializer[Any]):
    obligation = serializers.IntegerField(help_text="Id of the obligation the client pays themself first.")
    coaching = serializers.CharField(max_length=2_000, required=False, allow_blank=True, default="")


class LoslatenStepCreateSerializer(serializers.Serializer[Any]):
    description = serializers.CharField(max_length=2_000)
    due_on = serializers.DateField()


class LoslatenStepDoneSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2_000, required=False, allow_blank=True, default="")
    done_on = serializers.DateField(required=False, allow_null=True, default=None)
    pays_from = serializers.DateField(
        required=False, allow_null=True, default=None,
        help_text="Zelf betalen step: the first day the client pays the obligation (default: the first of next month). "
        "The obligation ends the day before; later runs no longer pay it.",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Views: the gemeente's bank statements and worklist


class BankStatementsView(ApiView):
    pagination_class = PageNumberPagination
    parser_classes = [XmlParser, JsonParser]

    @extend_schema(
        operation_id="ontzorgen_bank_statements_list", tags=TAGS, summary="Imported camt.053 statements, newest first",
        description="Needs manage_ontzorgen (404 otherwise). Statement-level figures only (no client data).",
        responses={200: BankStatementSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        actor = require_manager(self.actor)
        return self.paged(bank_selectors.statements_of(gemeente_id=actor.gemeente_id), BankStatementSerializer)

    @extend_schema(
        operation_id="ontzorgen_bank_statements_create", tags=TAGS,
        summary="Import a camt.053 statement (body: the XML file) and reconcile it with the payments",
        description=(
            "Validated against the official ISO 20022 XSD (camt.053.001.02 or .001.08); the account must be the "
            "gemeente's ontzorgen account. Debits with a known end-to-end id are marked paid, returns become a "
            "`returned` ledger entry, everything else is unmatched (the worklist). All or nothing. The same "
            "statement again answers 200 with `created: false` and changes nothing. Logged as "
            "`bank_statement_imported` and `ontzorgen_payments_reconciled` (one per file)."
        ),
        request={"application/xml": OpenApiTypes.BINARY},
        responses={201: ImportResultSerializer, 200: ImportResultSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        actor = require_manager(self.actor)
        data = request.data.get("xml") if isinstance(request.data, dict) else None
        if not isinstance(data, bytes):
            raise exceptions.UnsupportedMediaType(request.content_type or "")
        result = reconcile.import_statement(actor=actor, data=data, via="api")
        body = {
            "created": result.created,
            "statements": BankStatementSerializer(result.statements, many=True).data,
        }
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class BankStatementLinesView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="ontzorgen_bank_statements_lines_list", tags=TAGS,
        summary="The lines of one statement with their outcome",
        description="Logged as `bank_statements_viewed`, one per client file on the page.",
        parameters=[STATEMENT_ID], responses={200: StatementLineSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, statement_id: int) -> Response:
        actor = require_manager(self.actor)
        found = BankStatement.objects.filter(pk=statement_id, gemeente_id=actor.gemeente_id).first()
        if found is None:
            raise NotFound()
        lines = StatementLine.objects.filter(statement=found).select_related("resolution").order_by("entry_index", "id")
        with transaction.atomic():
            response = self.paged(lines, StatementLineSerializer)
            file_ids = {row["client_id"] for row in response.data["results"] if row["client_id"]}
            _audit_files(actor, "bank_statements_viewed", file_ids, str(found.pk))
            if not file_ids:
                record_event(actor=actor, event_type="bank_statements_viewed", purpose=PURPOSE, subject=found,
                             gemeente=actor.gemeente, via="api")  # fmt: skip
        return response


class BankWorklistView(ApiView):
    @extend_schema(
        operation_id="ontzorgen_bank_worklist", tags=TAGS,
        summary="Returned and unmatched bank lines, toeslagen not started, loslaten steps due",
        description="Logged as `bank_worklist_viewed`, one per client file listed.",
        responses={200: BankWorklistSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        actor = require_manager(self.actor)
        as_of = today()
        with transaction.atomic():
            lines = bank_selectors.open_lines(gemeente_id=actor.gemeente_id)
            gap = toeslagen.toeslagen_gap(gemeente_id=actor.gemeente_id, as_of=as_of)
            steps = [row.step for row in loslaten.open_steps(gemeente_id=actor.gemeente_id, as_of=as_of)]
            needing = loslaten.files_needing_a_plan(gemeente_id=actor.gemeente_id, as_of=as_of)
            file_ids = (
                {line.client_file_id for line in lines if line.client_file_id}
                | {row.record.client_file_id for row in gap}
                | {step.client_file_id for step in steps}
                | {record.client_file_id for record in needing}
            )
            _audit_files(actor, "bank_worklist_viewed", file_ids, "")
        body = {
            "lines": lines, "toeslagen_gap": gap, "loslaten_steps": steps,
            "needing_plan": [record.client_file_id for record in needing],
        }  # fmt: skip
        return Response(BankWorklistSerializer(body).data)


class StatementLineResolveView(ApiView):
    @extend_schema(
        operation_id="ontzorgen_statement_lines_resolve", tags=TAGS,
        summary="Say what was done about a returned or unmatched line; it leaves the worklist",
        description="Once per line (400 the second time). Logged as `statement_line_resolved`.",
        parameters=[LINE_ID], request=StatementLineResolveSerializer,
        responses={201: StatementLineSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, line_id: int) -> Response:
        actor = require_manager(self.actor)
        data = self.body(StatementLineResolveSerializer)
        line = (
            StatementLine.objects.filter(pk=line_id, gemeente_id=actor.gemeente_id)
            .select_related("client_file")
            .first()
        )
        if line is None:
            raise NotFound()
        reconcile.resolve_line(actor=actor, line=line, note=data["note"], via="api")
        line = StatementLine.objects.select_related("resolution").get(pk=line.pk)
        return Response(StatementLineSerializer(line).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------------------------------------------------------
# Views: one client file


class ToeslagenView(ApiView):
    @extend_schema(
        operation_id="clients_toeslagen_list", tags=TAGS, summary="Toeslagen of a client file, newest first",
        description="Logged as `toeslagen_viewed`.", parameters=[CLIENT_ID],
        responses={200: ToeslagSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id)
            record_event(actor=self.actor, event_type="toeslagen_viewed", purpose=PURPOSE, client_file=client_file,
                         subject=client_file, via="api")  # fmt: skip
            rows = ToeslagRecord.objects.filter(client_file=client_file).select_related("recorded_by")
            return Response(ToeslagSerializer(rows.order_by("-recorded_at", "-id"), many=True).data)

    @extend_schema(
        operation_id="clients_toeslagen_create", tags=TAGS, summary="Record a new state of a toeslag",
        description="Needs manage_ontzorgen. The newest record per kind counts. Logged as `toeslag_recorded`.",
        parameters=[CLIENT_ID], request=ToeslagCreateSerializer,
        responses={201: ToeslagSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(ToeslagCreateSerializer)
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id, for_write=True)
            record = toeslagen.record_toeslag(
                actor=self.actor, client_file=client_file, data=data, today=today(), via="api"
            )
        return Response(ToeslagSerializer(record).data, status=status.HTTP_201_CREATED)


def _steps_body(client_file: Any) -> Any:
    return LoslatenStepSerializer(loslaten.steps_of(client_file), many=True).data


class LoslatenView(ApiView):
    @extend_schema(
        operation_id="clients_loslaten_list", tags=TAGS, summary="The steps of begeleid loslaten of a client file",
        description="Logged as `loslaten_viewed`.", parameters=[CLIENT_ID],
        responses={200: LoslatenStepSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id)
            record_event(actor=self.actor, event_type="loslaten_viewed", purpose=PURPOSE, client_file=client_file,
                         subject=client_file, via="api")  # fmt: skip
            return Response(_steps_body(client_file))

    @extend_schema(
        operation_id="clients_loslaten_create", tags=TAGS,
        summary="Make the plan: four steps with due dates from rules.ontzorgen.loslaten_dates",
        description="Once per file (409 the second time). Logged as `loslaten_planned`.",
        parameters=[CLIENT_ID], request=LoslatenPlanSerializer,
        responses={201: LoslatenStepSerializer(many=True), **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(LoslatenPlanSerializer)
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id, for_write=True)
            loslaten.plan_loslaten(actor=self.actor, client_file=client_file, data=data, via="api")
            body = _steps_body(client_file)
        return Response(body, status=status.HTTP_201_CREATED)


class LoslatenStepsView(ApiView):
    @extend_schema(
        operation_id="clients_loslaten_steps_create", tags=TAGS, summary="Add a step to the plan",
        description="Logged as `loslaten_step_added`.", parameters=[CLIENT_ID], request=LoslatenStepCreateSerializer,
        responses={201: LoslatenStepSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(LoslatenStepCreateSerializer)
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id, for_write=True)
            step = loslaten.add_step(actor=self.actor, client_file=client_file, data=data, via="api")
        return Response(LoslatenStepSerializer(step).data, status=status.HTTP_201_CREATED)


class LoslatenStepDoneView(ApiView):
    @extend_schema(
        operation_id="clients_loslaten_steps_done", tags=TAGS,
        summary="Mark a step done; the end step makes the letter to the client (`letter_id`)",
        description="Once per step (409 the second time). Logged as `loslaten_step_completed`.",
        parameters=[CLIENT_ID, STEP_ID], request=LoslatenStepDoneSerializer,
        responses={201: LoslatenStepSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, step_id: int) -> Response:
        data = self.body(LoslatenStepDoneSerializer)
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id, for_write=True)
            step = loslaten.access_step(client_file, step_id)
            loslaten.complete_step(
                actor=self.actor, client_file=client_file, step=step,
                data={"note": data["note"], "done_on": data["done_on"], "pays_from": data["pays_from"]}, today=today(),
                via="api",
            )  # fmt: skip
            step = loslaten.access_step(client_file, step_id)
            body = LoslatenStepSerializer(
                LoslatenStep.objects.select_related("done", "obligation").get(pk=step.pk)
            ).data
        return Response(body, status=status.HTTP_201_CREATED)


class ClientStatementPdfView(ApiView):
    @extend_schema(
        operation_id="clients_ontzorgen_statement", tags=TAGS,
        summary="The client statement: what was paid for the client each month (PDF, B1 Dutch)",
        description=(
            "Made from the ledger on demand; answers `application/pdf`. Logged as `ontzorgen_statement_printed`."
        ),
        parameters=[CLIENT_ID],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Any:
        with transaction.atomic():
            client_file = access_ontzorgen_file(self.actor, client_id)
            pdf = statement.render_statement(actor=self.actor, client_file=client_file, via="api")
        return pdf_response(pdf, f"overzicht-ontzorgen-{client_file.pk}.pdf")
