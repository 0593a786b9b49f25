"""Intake API under /api/v1/clients/<client_id>/: oproepen, next step, brede intakes step by step, leerbaarheidstoets
and route advice. Same doors (access_client_file → 404), services and audit events as the pages."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.sections import Section
from openinburgering.api.schema import problems
from openinburgering.api.serializers.base import StrictSerializer
from openinburgering.api.serializers.fields import BooleanField, ChoiceField, DateField, IntegerField, TextField
from openinburgering.api.views.base import CLIENT_ID, ApiView
from openinburgering.clients.access import access_client_file, health_readable_persons
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import NotFound

from . import leefgebieden, selectors, services
from .access import access_call, access_intake, access_lbt
from .choices import CallOutcome, LbtOntheffing, Leefgebied, Leerroute
from .models import Intake, IntakeCall, LearnabilityTest, LeefgebiedAssessment, RouteAdvice

TAG = "intakes"
CALL_ID = OpenApiParameter("call_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Oproep id.")
INTAKE_ID = OpenApiParameter("intake_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Brede intake id.")
LBT_ID = OpenApiParameter("lbt_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Leerbaarheidstoets id.")
CODE = OpenApiParameter(
    "code", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(Leefgebied.values), description="Leefgebied code."
)


def health_context(actor: Any, client_file: ClientFile) -> dict[str, Any]:
    """Serializer context: whose health data this actor may receive in this file (#12 item 1)."""
    return {"health_persons": health_readable_persons(actor, client_file)}


class DateTimeField(serializers.DateTimeField):
    default_error_messages = {
        "required": "Vul dit veld in.",
        "null": "Dit veld mag niet leeg zijn.",
        "invalid": "Dit is geen geldige datum en tijd. Schrijf bijvoorbeeld 2026-03-31T09:30:00+02:00.",
    }


# ----------------------------------------------------------------------------------------------------- serializers


# Integer fields are declared explicitly: derived from the model they would carry the database's integer range,
# and the committed openapi.yaml would then differ between SQLite and PostgreSQL.
class IntakeCallSerializer(serializers.ModelSerializer[IntakeCall]):
    sequence = serializers.IntegerField(read_only=True, min_value=1, max_value=3)
    letters = serializers.SerializerMethodField(help_text="Ids of the letters about this oproep.")

    class Meta:
        model = IntakeCall
        fields: tuple[str, ...] = (
            "id", "sequence", "planned_at", "location", "interpreter_language", "outcome", "outcome_note",
            "outcome_recorded_at", "next_step", "fine_amount", "created_at", "letters",
        )  # fmt: skip

    def get_letters(self, call: IntakeCall) -> list[int]:
        letters = self.context.get("letters", {}).get(str(call.pk), [])
        return [letter.pk for letter in letters]


class CallPlanSerializer(StrictSerializer):
    planned_at = DateTimeField()
    location = TextField(max_length=200)
    interpreter_language = TextField(max_length=100, required=False, allow_blank=True, default=None)


class CallOutcomeSerializer(StrictSerializer):
    outcome = ChoiceField(choices=[CallOutcome.APPEARED, CallOutcome.NO_SHOW, CallOutcome.INSUFFICIENT_COOPERATION])
    note = TextField(max_length=5000, required=False, allow_blank=True, default="")


class NextStepSerializer(serializers.Serializer[Any]):
    next_step = serializers.CharField()
    fine = serializers.DecimalField(max_digits=8, decimal_places=2)
    calls = serializers.IntegerField()


HEALTH_NOTE = (
    " For the gezondheid step: null unless the caller's role may read the gezondheid section of this file and the "
    "person's own consent stands (AVG art. 9; see `health_visible`)."
)


class AssessmentSerializer(serializers.ModelSerializer[LeefgebiedAssessment]):
    """One leefgebied. The gezondheid step's score, finding, wishes and details are health data (AVG art. 9): they
    are sent only when ``context["health_persons"]`` (``clients.access.health_readable_persons``) holds the
    intake's person; otherwise null, and ``health_visible`` is false. Without that context nothing is sent."""

    score = serializers.IntegerField(
        read_only=True, allow_null=True, min_value=1, max_value=5, help_text="Zelfredzaamheid 1-5." + HEALTH_NOTE
    )
    finding = serializers.CharField(read_only=True, allow_null=True, help_text="Wat ziet u." + HEALTH_NOTE)
    wishes = serializers.CharField(read_only=True, allow_null=True, help_text="Wensen en doelen." + HEALTH_NOTE)
    details = serializers.JSONField(
        read_only=True, allow_null=True, help_text="The structured answers of this leefgebied." + HEALTH_NOTE
    )
    health_visible = serializers.SerializerMethodField(
        help_text="False when this is the gezondheid step and its health data are left out (null): the caller's "
        "role may not read the gezondheid section, or the person's consent is not recorded or was withdrawn."
    )
    done = serializers.SerializerMethodField()

    class Meta:
        model = LeefgebiedAssessment
        fields: tuple[str, ...] = (
            "leefgebied", "score", "finding", "wishes", "details", "health_visible", "done", "updated_at",
        )  # fmt: skip

    def get_health_visible(self, assessment: LeefgebiedAssessment) -> bool:
        if assessment.leefgebied != Leefgebied.GEZONDHEID:
            return True
        return assessment.intake.person_id in self.context.get("health_persons", frozenset())

    def get_done(self, assessment: LeefgebiedAssessment) -> bool:
        return leefgebieden.is_done(assessment.leefgebied, assessment.score, assessment.details or {})

    def to_representation(self, instance: LeefgebiedAssessment) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not data["health_visible"]:
            data.update(score=None, finding=None, wishes=None, details=None)
        return data


class IntakeSerializer(serializers.ModelSerializer[Intake]):
    person = serializers.SerializerMethodField()
    leefgebieden_done = serializers.SerializerMethodField()

    class Meta:
        model = Intake
        fields: tuple[str, ...] = (
            "id", "person", "status", "in_absence", "absence_reason", "started_at", "completed_at",
            "leefgebieden_done",
        )  # fmt: skip

    def get_person(self, intake: Intake) -> dict[str, Any]:
        return {"id": intake.person_id, "full_name": intake.person.full_name}

    def get_leefgebieden_done(self, intake: Intake) -> list[str]:
        return selectors.progress_of(intake).done


class IntakeDetailSerializer(IntakeSerializer):
    assessments = AssessmentSerializer(many=True, read_only=True)

    class Meta(IntakeSerializer.Meta):
        fields = (*IntakeSerializer.Meta.fields, "assessments")


class IntakeStartSerializer(StrictSerializer):
    person = IntegerField(min_value=1, help_text="Person id: the file's person or a current household member.")


class AssessmentSaveSerializer(StrictSerializer):
    score = IntegerField(min_value=1, max_value=5, required=False, allow_null=True, default=None)
    finding = TextField(max_length=10_000, required=False, allow_blank=True, default="")
    wishes = TextField(max_length=10_000, required=False, allow_blank=True, default="")
    details = serializers.DictField(
        required=False, default=dict,
        help_text="The leefgebied's own fields (see intakes/leefgebieden.py); unknown keys are refused. "
        "Kinderen: `children` maps a child's person id to {vve, school, kinderopvang}.",
    )  # fmt: skip


class CompleteSerializer(StrictSerializer):
    in_absence = BooleanField(required=False, default=False)
    absence_reason = TextField(max_length=5000, required=False, allow_blank=True, default="")


class LbtSerializer(serializers.ModelSerializer[LearnabilityTest]):
    score = serializers.IntegerField(read_only=True, allow_null=True, min_value=0, max_value=40)
    threshold = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The cesuur (28, or 31 before 2023-04-12)."
    )
    letters = serializers.SerializerMethodField()

    class Meta:
        model = LearnabilityTest
        fields: tuple[str, ...] = (
            "id", "planned_at", "location", "taken_on", "score", "ontheffing", "outcome", "threshold",
            "result_recorded_at", "created_at", "letters",
        )  # fmt: skip

    def get_letters(self, lbt: LearnabilityTest) -> list[int]:
        return [letter.pk for letter in self.context.get("letters", {}).get(str(lbt.pk), [])]


class LbtPlanSerializer(StrictSerializer):
    planned_at = DateTimeField()
    location = TextField(max_length=200)
    send_letter = BooleanField(required=False, default=False)


class LbtResultSerializer(StrictSerializer):
    taken_on = DateField(required=False, allow_null=True, default=None)
    score = IntegerField(min_value=0, max_value=40, required=False, allow_null=True, default=None)
    ontheffing = ChoiceField(choices=[c.value for c in LbtOntheffing], required=False, allow_blank=True, default="")


class RouteAdviceSerializer(serializers.ModelSerializer[RouteAdvice]):
    created_by = serializers.CharField(source="created_by.display_name", read_only=True)

    class Meta:
        model = RouteAdvice
        fields: tuple[str, ...] = (
            "id", "advised_route", "advice_reasons", "chosen_route", "deviation_reason", "onderwijsroute_considered",
            "lbt", "created_at", "created_by",
        )  # fmt: skip


class RouteChooseSerializer(StrictSerializer):
    chosen_route = ChoiceField(choices=Leerroute.values)
    onderwijsroute_considered = TextField(max_length=5000, allow_blank=True)
    deviation_reason = TextField(max_length=5000, required=False, allow_blank=True, default="")


CURRENT_ADVICE = inline_serializer(
    "CurrentRouteAdvice",
    {"route": serializers.CharField(allow_null=True), "reasons": serializers.ListField(child=serializers.CharField())},
)
ROUTE_LIST = inline_serializer(
    "RouteAdviceList", {"current_advice": CURRENT_ADVICE, "results": RouteAdviceSerializer(many=True)}
)
CALL_PLANNED = inline_serializer(
    "IntakeCallPlanned", {"call": IntakeCallSerializer(), "letter": serializers.IntegerField()}
)
LBT_PLANNED = inline_serializer(
    "LbtPlanned", {"lbt": LbtSerializer(), "letter": serializers.IntegerField(allow_null=True)}
)


# ------------------------------------------------------------------------------------------------------------ views


class IntakeCallsView(ApiView):
    @extend_schema(
        operation_id="clients_intake_calls_list", tags=[TAG], summary="Oproepen for the brede intake, oldest first",
        description="Logged as `intake_calls_read`.", parameters=[CLIENT_ID],
        responses={200: IntakeCallSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.INTAKE)
            services.record_read(actor=self.actor, client_file=client_file, event_type="intake_calls_read", via="api")
            calls = selectors.calls_of(client_file)
            letters = selectors.letters_by_subject(client_file, "intakecall")
        return Response(IntakeCallSerializer(calls, many=True, context={"letters": letters}).data)

    @extend_schema(
        operation_id="clients_intake_calls_create", tags=[TAG], summary="Plan the next oproep, with its letter",
        description=(
            "Allowed only when the rules' next step is `first_call`, `warning_and_repeat_call` or "
            "`fine_and_new_term` (at most 3 oproepen); otherwise 409. Creates the oproep letter, the waarschuwing "
            "with the herhaalde oproep, or the voornemen boete with the new termijn (W 22 lid 2). Logged as "
            "`intake_call_planned` and `letter_created`."
        ),
        parameters=[CLIENT_ID], request=CallPlanSerializer,
        responses={201: CALL_PLANNED, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(CallPlanSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.INTAKE)
            language = data.get("interpreter_language")
            if language is None:
                person = client_file.person
                language = person.interpreter_language if person.interpreter_needed else ""
            call, letter = services.plan_call(
                actor=self.actor, client_file=client_file, planned_at=data["planned_at"], location=data["location"],
                interpreter_language=language, via="api",
            )  # fmt: skip
        body = {
            "call": IntakeCallSerializer(call, context={"letters": {str(call.pk): [letter]}}).data,
            "letter": letter.pk,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class IntakeCallOutcomeView(ApiView):
    @extend_schema(
        operation_id="clients_intake_calls_outcome_create", tags=[TAG], summary="Record the outcome of an oproep",
        description="Once per oproep (409 after that). Stores the rules' next step and boete. Logged as "
        "`intake_call_outcome_recorded`.",
        parameters=[CLIENT_ID, CALL_ID], request=CallOutcomeSerializer,
        responses={200: IntakeCallSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, call_id: int) -> Response:
        data = self.body(CallOutcomeSerializer)
        with transaction.atomic():
            call = access_call(self.actor, client_id, call_id, for_write=True)
            call = services.record_call_outcome(
                actor=self.actor, client_file=call.client_file, call=call, via="api", **data
            )
        return Response(IntakeCallSerializer(call).data)


class IntakeNextStepView(ApiView):
    @extend_schema(
        operation_id="clients_intake_next_step_retrieve", tags=[TAG],
        summary="The next step after the oproepen, from the rules (W 14, W 22)",
        description="Logged as `intake_next_step_read`.", parameters=[CLIENT_ID],
        responses={200: NextStepSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.INTAKE)
            services.record_read(
                actor=self.actor, client_file=client_file, event_type="intake_next_step_read", via="api"
            )
            calls = selectors.calls_of(client_file)
        step = selectors.next_step_of(calls)
        return Response(
            NextStepSerializer({"next_step": step.next_step.value, "fine": step.fine, "calls": len(calls)}).data
        )


class IntakesView(ApiView):
    @extend_schema(
        operation_id="clients_intakes_list", tags=[TAG], summary="Brede intakes of the household",
        description="Logged as `intakes_listed`.", parameters=[CLIENT_ID],
        responses={200: IntakeSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.INTAKE)
            services.record_read(actor=self.actor, client_file=client_file, event_type="intakes_listed", via="api")
            intakes = list(selectors.intakes_of(client_file))
        return Response(IntakeSerializer(intakes, many=True).data)

    @extend_schema(
        operation_id="clients_intakes_create", tags=[TAG],
        summary="Start the brede intake of the file's person or a current household member",
        description="One intake per person per file (409 for a second). Logged as `intake_started`.",
        parameters=[CLIENT_ID], request=IntakeStartSerializer,
        responses={201: IntakeDetailSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(IntakeStartSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.INTAKE)
            intake = services.start_intake(
                actor=self.actor, client_file=client_file, person_id=data["person"], via="api"
            )
            intake = selectors.intakes_of(client_file).get(pk=intake.pk)
            context = health_context(self.actor, client_file)
        return Response(IntakeDetailSerializer(intake, context=context).data, status=status.HTTP_201_CREATED)


class IntakeView(ApiView):
    @extend_schema(
        operation_id="clients_intakes_retrieve", tags=[TAG], summary="One brede intake with its leefgebieden",
        description="Logged as `intake_viewed`.", parameters=[CLIENT_ID, INTAKE_ID],
        responses={200: IntakeDetailSerializer, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int, intake_id: int) -> Response:
        with transaction.atomic():
            intake = access_intake(self.actor, client_id, intake_id)
            services.record_read(
                actor=self.actor, client_file=intake.client_file, event_type="intake_viewed", subject=intake, via="api"
            )
            context = health_context(self.actor, intake.client_file)
            intake = selectors.intakes_of(intake.client_file).get(pk=intake.pk)
        return Response(IntakeDetailSerializer(intake, context=context).data)


class LeefgebiedView(ApiView):
    @extend_schema(
        operation_id="clients_intakes_leefgebieden_update", tags=[TAG],
        summary="Save one step of the brede intake (one leefgebied)",
        description="Replaces score, finding, wishes and details of this leefgebied. Gezondheid: health data only "
        "with `details.health_consent = \"ja\"`. Logged as `leefgebied_assessment_saved` (field names only).",
        parameters=[CLIENT_ID, INTAKE_ID, CODE], request=AssessmentSaveSerializer,
        responses={200: AssessmentSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def put(self, request: Request, client_id: int, intake_id: int, code: str) -> Response:
        if leefgebieden.spec_for(code) is None:
            raise NotFound()
        data = self.body(AssessmentSaveSerializer)
        with transaction.atomic():
            intake = access_intake(self.actor, client_id, intake_id, for_write=True)
            assessment = services.save_assessment(
                actor=self.actor, client_file=intake.client_file, intake=intake, leefgebied=code, via="api", **data
            )
            assessment.intake = intake
            context = health_context(self.actor, intake.client_file)
        return Response(AssessmentSerializer(assessment, context=context).data)


class IntakeCompleteView(ApiView):
    @extend_schema(
        operation_id="clients_intakes_complete_create", tags=[TAG], summary="Complete a brede intake",
        description="Every leefgebied done, or `in_absence` with a reason after the third failed oproep "
        "(W 14 lid 2). Logged as `intake_completed`.",
        parameters=[CLIENT_ID, INTAKE_ID], request=CompleteSerializer,
        responses={200: IntakeDetailSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, intake_id: int) -> Response:
        data = self.body(CompleteSerializer)
        with transaction.atomic():
            intake = access_intake(self.actor, client_id, intake_id, for_write=True)
            services.complete_intake(actor=self.actor, client_file=intake.client_file, intake=intake, via="api", **data)
            context = health_context(self.actor, intake.client_file)
            intake = selectors.intakes_of(intake.client_file).get(pk=intake.pk)
        return Response(IntakeDetailSerializer(intake, context=context).data)


class LbtView(ApiView):
    @extend_schema(
        operation_id="clients_lbt_list", tags=[TAG], summary="Leerbaarheidstoetsen, newest first",
        description="Logged as `lbt_tests_read`.", parameters=[CLIENT_ID],
        responses={200: LbtSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.INTAKE)
            services.record_read(actor=self.actor, client_file=client_file, event_type="lbt_tests_read", via="api")
            tests = list(selectors.lbt_tests_of(client_file))
            letters = selectors.letters_by_subject(client_file, "learnabilitytest")
        return Response(LbtSerializer(tests, many=True, context={"letters": letters}).data)

    @extend_schema(
        operation_id="clients_lbt_create", tags=[TAG], summary="Plan a leerbaarheidstoets (optionally with a letter)",
        description="Logged as `lbt_planned` (and `letter_created`).", parameters=[CLIENT_ID],
        request=LbtPlanSerializer, responses={201: LBT_PLANNED, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(LbtPlanSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.INTAKE)
            lbt, letter = services.plan_lbt(actor=self.actor, client_file=client_file, via="api", **data)
        letters = {str(lbt.pk): [letter]} if letter else {}
        body = {"lbt": LbtSerializer(lbt, context={"letters": letters}).data, "letter": letter.pk if letter else None}
        return Response(body, status=status.HTTP_201_CREATED)


class LbtResultView(ApiView):
    @extend_schema(
        operation_id="clients_lbt_result_create", tags=[TAG],
        summary="Record the result (date and score /40) or an ontheffing (W 14 lid 6)",
        description="Outcome and cesuur come from the rules (28 from 2023-04-12, 31 before). Once per toets. "
        "Logged as `lbt_result_recorded`.",
        parameters=[CLIENT_ID, LBT_ID], request=LbtResultSerializer,
        responses={200: LbtSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, lbt_id: int) -> Response:
        data = self.body(LbtResultSerializer)
        with transaction.atomic():
            lbt = access_lbt(self.actor, client_id, lbt_id, for_write=True)
            lbt = services.record_lbt_result(actor=self.actor, client_file=lbt.client_file, lbt=lbt, via="api", **data)
        return Response(LbtSerializer(lbt).data)


class RouteAdviceView(ApiView):
    @extend_schema(
        operation_id="clients_route_advice_list", tags=[TAG],
        summary="The current route advice (policy heuristic) and the routes chosen so far",
        description="Logged as `route_advice_read`.", parameters=[CLIENT_ID],
        responses={200: ROUTE_LIST, **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.INTAKE)
            services.record_read(actor=self.actor, client_file=client_file, event_type="route_advice_read", via="api")
            advice = selectors.current_advice(client_file, as_of=today())
            advices = list(selectors.route_advices_of(client_file))
        return Response({
            "current_advice": {"route": advice.route.value if advice.route else None, "reasons": list(advice.reasons)},
            "results": RouteAdviceSerializer(advices, many=True).data,
        })  # fmt: skip

    @extend_schema(
        operation_id="clients_route_advice_create", tags=[TAG], summary="Record the chosen leerroute",
        description="Stores the current advice with the chosen route (insert-only). Another route than advised "
        "needs `deviation_reason`; `onderwijsroute_considered` is always required (RvS 24-12-2024, "
        "ECLI:NL:RVS:2024:5413). Logged as `route_advice_recorded`.",
        parameters=[CLIENT_ID], request=RouteChooseSerializer,
        responses={201: RouteAdviceSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(RouteChooseSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.INTAKE)
            advice = services.choose_route(actor=self.actor, client_file=client_file, via="api", **data)
        return Response(RouteAdviceSerializer(advice).data, status=status.HTTP_201_CREATED)
