"""Handhaving in the API: W 23 boetevoorstellen, the four-eyes decision, bezwaren, the voldaan check with the
achievements, and the teamleider's queue. Every path goes through access_client_file (404 for another gemeente or
a role without access); every read and change is audited in its transaction. Amounts come from rules.fine_pip."""

from __future__ import annotations

from datetime import date
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
from openinburgering.audit.services import record_event
from openinburgering.clients.access import access_client_file
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import Conflict, NotFound

from . import selectors, services
from .access import access_decision, access_proposal, require_decider
from .models import (
    Achievement,
    AchievementKind,
    CulpabilityChoice,
    DecisionOutcome,
    ExamConfirmation,
    ExamPartChoice,
    FineBezwaar,
    FineDecision,
    FineGround,
    FineProposal,
    LevelChoice,
    TermijnKindChoice,
)

TAGS = ["handhaving"]
FINE_ID = OpenApiParameter("fine_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Boetevoorstel id.")
EXAM_RESULT_ID = OpenApiParameter(
    "exam_result_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Id of the provider's exam report."
)


# ---------------------------------------------------------------------------------------------------------------
# Serializers


class FineBezwaarSerializer(serializers.ModelSerializer[FineBezwaar]):
    registered_by = serializers.CharField(source="registered_by.display_name", read_only=True)

    class Meta:
        model = FineBezwaar
        fields: tuple[str, ...] = (
            "id", "decision", "received_on", "term_ends_on", "on_time", "grounds", "registered_at", "registered_by",
        )  # fmt: skip
        read_only_fields = fields


class FineDecisionSerializer(serializers.ModelSerializer[FineDecision]):
    decided_by = serializers.CharField(source="decided_by.display_name", read_only=True)
    sequence = serializers.IntegerField(read_only=True)
    repeat_count = serializers.IntegerField(read_only=True)
    letter_id = serializers.IntegerField(read_only=True, allow_null=True)
    bezwaren = FineBezwaarSerializer(many=True, read_only=True)

    class Meta:
        model = FineDecision
        fields: tuple[str, ...] = (
            "id", "sequence", "outcome", "reason", "amount", "repeat_count", "capped", "decided_on",
            "bezwaar_term_ends_on", "letter_id", "decided_at", "decided_by", "bezwaren",
        )  # fmt: skip
        read_only_fields = fields


class FineProposalSerializer(serializers.ModelSerializer[FineProposal]):
    proposed_by = serializers.CharField(source="proposed_by.display_name", read_only=True)
    pip_version_number = serializers.IntegerField(source="pip_version.number", read_only=True)
    repeat_count = serializers.IntegerField(read_only=True)
    decisions = FineDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = FineProposal
        fields: tuple[str, ...] = (
            "id", "pip_version", "pip_version_number", "ground", "established_on", "facts", "reasoning",
            "culpability", "termijn_kind", "bijstand_reduced", "asielstatushouder", "persistent_onwil",
            "keren_reasoning", "amount", "base_amount", "repeat_count", "capped", "w22_total", "w23_total",
            "proposed_at", "proposed_by", "decisions",
        )  # fmt: skip
        read_only_fields = fields


class FineProposalCreateSerializer(serializers.Serializer[Any]):
    """``persistent_onwil`` and ``keren_reasoning`` are required for asielstatushouders (Keren, C-158/23)."""

    ground = serializers.ChoiceField(choices=FineGround.choices)
    established_on = serializers.DateField()
    facts = serializers.CharField(max_length=10_000)
    reasoning = serializers.CharField(max_length=10_000)
    culpability = serializers.ChoiceField(choices=CulpabilityChoice.choices)
    termijn_kind = serializers.ChoiceField(choices=TermijnKindChoice.choices, required=False, default="regular")
    bijstand_reduced = serializers.BooleanField(required=False, default=False)
    persistent_onwil = serializers.BooleanField(required=False, default=False)
    keren_reasoning = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")


class FineDecideSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    reason = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")


class FineBezwaarCreateSerializer(serializers.Serializer[Any]):
    received_on = serializers.DateField()
    grounds = serializers.CharField(max_length=10_000)


class AchievementSerializer(serializers.ModelSerializer[Achievement]):
    recorded_by = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = Achievement
        fields: tuple[str, ...] = (
            "id", "kind", "exam_part", "level", "hours", "achieved_on", "note", "recorded_at", "recorded_by",
        )  # fmt: skip
        read_only_fields = fields


class AchievementCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=AchievementKind.choices)
    exam_part = serializers.ChoiceField(choices=ExamPartChoice.choices, required=False, allow_blank=True, default="")
    level = serializers.ChoiceField(choices=LevelChoice.choices, required=False, allow_blank=True, default="")
    hours = serializers.DecimalField(max_digits=7, decimal_places=1, required=False, allow_null=True, default=None)
    achieved_on = serializers.DateField()
    note = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")


class VoldaanQuerySerializer(serializers.Serializer[Any]):
    requested_on = serializers.DateField(required=False)
    lesson_hours = serializers.IntegerField(required=False, min_value=0, max_value=10_000, default=0)
    all_lessons_attended = serializers.BooleanField(required=False, default=False)


class VoldaanResultSerializer(serializers.Serializer[Any]):
    leerroute = serializers.CharField()
    voldaan = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())
    missing_labels = serializers.ListField(child=serializers.CharField())


class ExtensionResultSerializer(serializers.Serializer[Any]):
    requested_on = serializers.DateField()
    termijn_end_on = serializers.DateField()
    request_from_on = serializers.DateField()
    window_open = serializers.BooleanField()
    eligible = serializers.BooleanField()
    extension_months = serializers.IntegerField()
    unmet = serializers.ListField(child=serializers.CharField())
    unmet_labels = serializers.ListField(child=serializers.CharField())


class ExamConfirmationSerializer(serializers.ModelSerializer[ExamConfirmation]):
    confirmed_by = serializers.CharField(source="confirmed_by.display_name", read_only=True)

    class Meta:
        model = ExamConfirmation
        fields: tuple[str, ...] = ("id", "exam_result", "evidence", "confirmed_at", "confirmed_by")
        read_only_fields = fields


class ExamConfirmationCreateSerializer(serializers.Serializer[Any]):
    evidence = serializers.CharField(
        max_length=500, allow_blank=True,
        help_text="Where the DUO result was seen, e.g. 'uitslag gezien in Mijn Inburgering' or 'DUO-bericht'.",
    )  # fmt: skip


class ProviderExamSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    part = serializers.CharField()
    level = serializers.CharField(help_text="Empty for KNM.")
    exam_on = serializers.DateField()
    provider = serializers.CharField(source="enrolment.provider.name")
    status = serializers.ChoiceField(
        choices=[("bevestigd", "bevestigd"), ("gemeld_niet_bevestigd", "gemeld_niet_bevestigd")],
        help_text="`gemeld_niet_bevestigd`: reported by the provider, not confirmed: does not count toward voldaan.",
    )
    status_label = serializers.CharField()
    confirmation = ExamConfirmationSerializer(allow_null=True)


class VoldaanSerializer(serializers.Serializer[Any]):
    achievements = AchievementSerializer(many=True)
    provider_exams = ProviderExamSerializer(
        many=True, help_text="Passed exams the providers reported; only confirmed ones count (the exam is at DUO)."
    )
    voldaan = VoldaanResultSerializer(allow_null=True, help_text="Null without a vastgesteld PIP or doelgroep.")
    extension = ExtensionResultSerializer(allow_null=True, help_text="Null before the termijn is known.")


class FineQueueSerializer(serializers.ModelSerializer[FineProposal]):
    client_id = serializers.IntegerField(source="client_file_id", read_only=True)
    person_name = serializers.CharField(source="client_file.person.full_name", read_only=True)
    proposed_by = serializers.CharField(source="proposed_by.display_name", read_only=True)
    own_proposal = serializers.SerializerMethodField()

    class Meta:
        model = FineProposal
        fields: tuple[str, ...] = (
            "id", "client_id", "person_name", "ground", "amount", "proposed_at", "proposed_by", "own_proposal",
        )  # fmt: skip
        read_only_fields = fields

    def get_own_proposal(self, proposal: FineProposal) -> bool:
        return bool(proposal.proposed_by_id == self.context.get("user_id"))


# ---------------------------------------------------------------------------------------------------------------
# Views


def _proposal_body(client_file: ClientFile, proposal_id: int) -> dict[str, Any]:
    proposal = selectors.proposal_detail(client_file, proposal_id)
    if proposal is None:  # pragma: no cover - the caller reached the proposal through access_proposal
        raise NotFound()
    return dict(FineProposalSerializer(proposal).data)


class FinesView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="clients_fines_list", tags=TAGS,
        summary="W 23 boetevoorstellen of a client file with their decisions and bezwaren, newest first",
        description="Logged as `fines_read`.", parameters=[CLIENT_ID],
        responses={200: FineProposalSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.HANDHAVING)
            services.record_read(actor=self.actor, client_file=client_file, event_type="fines_read", via="api")
            return self.paged(selectors.proposals_of(client_file), FineProposalSerializer)

    @extend_schema(
        operation_id="clients_fines_create", tags=TAGS,
        summary="Propose a W 23 boete; the amount comes from rules.fine_pip",
        description=(
            "Needs a vastgesteld PIP (409 otherwise) and a written reasoning. For asielstatushouders "
            "`persistent_onwil` must be true and `keren_reasoning` filled (HvJ EU 4-2-2025, C-158/23, Keren). "
            "W 22 intake boetes count toward the cap. Logged as `fine_proposed`."
        ),
        parameters=[CLIENT_ID], request=FineProposalCreateSerializer,
        responses={201: FineProposalSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(FineProposalCreateSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.HANDHAVING)
            proposal = services.propose_fine(actor=self.actor, client_file=client_file, data=data, via="api")
            body = _proposal_body(client_file, proposal.pk)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": f"{request.path}/{proposal.pk}"})


class FineDecideView(ApiView):
    @extend_schema(
        operation_id="clients_fines_decide", tags=TAGS,
        summary="Decide on a boetevoorstel (four eyes: never the proposer); a later decision is a new row",
        description=(
            "Needs the decide_fines capability (404 otherwise). `opgelegd` recomputes the amount with the rules and "
            "generates the boetebeschikking (`letter_id`); `afgezien` needs a `reason`. Logged as `fine_decided`."
        ),
        parameters=[CLIENT_ID, FINE_ID], request=FineDecideSerializer,
        responses={201: FineProposalSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, fine_id: int) -> Response:
        require_decider(self.actor)
        data = self.body(FineDecideSerializer)
        with transaction.atomic():
            client_file, proposal = access_proposal(self.actor, client_id, fine_id, for_write=True)
            services.decide_fine(
                actor=self.actor, client_file=client_file, proposal=proposal, outcome=data["outcome"],
                reason=data["reason"], via="api",
            )  # fmt: skip
            body = _proposal_body(client_file, proposal.pk)
        return Response(body, status=status.HTTP_201_CREATED)


class FineBezwarenView(ApiView):
    @extend_schema(
        operation_id="clients_fines_bezwaren_list", tags=TAGS, summary="Bezwaren against the decisions on a boete",
        description="Logged as `fines_read`.", parameters=[CLIENT_ID, FINE_ID],
        responses={200: FineBezwaarSerializer(many=True), **problems(401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int, fine_id: int) -> Response:
        with transaction.atomic():
            client_file, proposal = access_proposal(self.actor, client_id, fine_id)
            services.record_read(
                actor=self.actor, client_file=client_file, event_type="fines_read", via="api", subject=proposal
            )
            bezwaren = (
                FineBezwaar.objects.filter(decision__proposal=proposal)
                .select_related("registered_by")
                .order_by("received_on", "id")
            )
            return Response(FineBezwaarSerializer(bezwaren, many=True).data)

    @extend_schema(
        operation_id="clients_fines_bezwaren_create", tags=TAGS,
        summary="Register a bezwaar against the newest imposed decision (`decision` to choose another)",
        description=(
            "`term_ends_on` and `on_time` come from rules.bezwaar_termijn (Awb 6:7-6:9). Only against an "
            "opgelegde boete (409 otherwise). Logged as `fine_bezwaar_registered`."
        ),
        parameters=[CLIENT_ID, FINE_ID], request=FineBezwaarCreateSerializer,
        responses={201: FineBezwaarSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, fine_id: int) -> Response:
        data = self.body(FineBezwaarCreateSerializer)
        with transaction.atomic():
            client_file, proposal = access_proposal(self.actor, client_id, fine_id, for_write=True)
            latest = FineDecision.objects.filter(proposal=proposal).order_by("-sequence").first()
            if latest is None:
                raise Conflict("Er is nog geen besluit over deze boete. Bezwaar kan pas na een besluit.")
            decision = access_decision(proposal, latest.pk)
            bezwaar = services.register_fine_bezwaar(
                actor=self.actor, client_file=client_file, decision=decision, received_on=data["received_on"],
                grounds=data["grounds"], via="api",
            )  # fmt: skip
        return Response(FineBezwaarSerializer(bezwaar).data, status=status.HTTP_201_CREATED)


def _voldaan_body(client_file: ClientFile, *, requested_on: date, lesson_hours: int, all_lessons: bool) -> Any:
    version = services.current_pip(client_file)
    achievements = list(selectors.achievements_of(client_file))
    provider_exams = selectors.passed_provider_exams(client_file)
    achieved = services.with_confirmed_exams(services.achieved_so_far(achievements), provider_exams)
    check = services.voldaan_check(client_file, version, achieved)
    extension = services.extension_check(
        client_file, version, achieved, requested_on=requested_on, lesson_hours=lesson_hours,
        all_lessons_attended=all_lessons,
    )  # fmt: skip
    return VoldaanSerializer(
        {
            "achievements": achievements,
            "provider_exams": [
                {
                    "id": result.pk,
                    "part": result.part,
                    "level": result.level,
                    "exam_on": result.exam_on,
                    "enrolment": result.enrolment,
                    "status": "bevestigd" if services.is_confirmed(result) else "gemeld_niet_bevestigd",
                    "status_label": "bevestigd door gemeente"
                    if services.is_confirmed(result)
                    else "gemeld door aanbieder, nog niet bevestigd",
                    "confirmation": getattr(result, "confirmation", None),
                }
                for result in provider_exams
            ],
            "voldaan": None
            if check is None
            else {
                "leerroute": str(check.leerroute),
                "voldaan": check.result.voldaan,
                "missing": [str(code) for code in check.result.missing],
                "missing_labels": list(check.missing_labels),
            },
            "extension": None
            if extension is None
            else {
                "requested_on": extension.requested_on,
                "termijn_end_on": extension.termijn_end_on,
                "request_from_on": extension.result.request_from_on,
                "window_open": extension.window_open,
                "eligible": extension.result.eligible,
                "extension_months": extension.result.extension_months,
                "unmet": [str(code) for code in extension.result.unmet],
                "unmet_labels": list(extension.unmet_labels),
            },
        }
    ).data


class VoldaanView(ApiView):
    @extend_schema(
        operation_id="clients_voldaan_retrieve", tags=TAGS,
        summary="Achievements, rules.voldaan (what is missing) and rules.extension_for_effort for a client file",
        description=(
            "Computed, nothing is stored. The achievements are the klantregisseur's own record. `requested_on` "
            "(default today), `lesson_hours` and `all_lessons_attended` feed the extension check. Logged as "
            "`voldaan_read`."
        ),
        parameters=[CLIENT_ID, VoldaanQuerySerializer], responses={200: VoldaanSerializer, **problems(400, 401, 404)},
    )  # fmt: skip
    def get(self, request: Request, client_id: int) -> Response:
        query = self.query(VoldaanQuerySerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.HANDHAVING)
            services.record_read(actor=self.actor, client_file=client_file, event_type="voldaan_read", via="api")
            body = _voldaan_body(
                client_file, requested_on=query.get("requested_on") or today(),
                lesson_hours=query["lesson_hours"], all_lessons=query["all_lessons_attended"],
            )  # fmt: skip
            return Response(body)

    @extend_schema(
        operation_id="clients_voldaan_achievements_create", tags=TAGS,
        summary="Record an achieved part (PVT, MAP, exam part at a level, onderwijsroute, Z-route)",
        description="Insert-only. Logged as `achievement_recorded`.", parameters=[CLIENT_ID],
        request=AchievementCreateSerializer,
        responses={201: AchievementSerializer, **problems(400, 401, 404, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(AchievementCreateSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.HANDHAVING)
            achievement = services.record_achievement(actor=self.actor, client_file=client_file, data=data, via="api")
        return Response(AchievementSerializer(achievement).data, status=status.HTTP_201_CREATED)


class ExamConfirmView(ApiView):
    @extend_schema(
        operation_id="clients_voldaan_provider_exams_confirm", tags=TAGS,
        summary="Confirm a passed exam a provider reported, with where the DUO result was seen",
        description=(
            "The exam is taken at DUO: a provider's report counts toward voldaan only after this confirmation. "
            "Insert-only, once per report (409 the second time). Needs the right to change client files (404 "
            "otherwise). Logged as `exam_result_confirmed`."
        ),
        parameters=[CLIENT_ID, EXAM_RESULT_ID], request=ExamConfirmationCreateSerializer,
        responses={201: ExamConfirmationSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int, exam_result_id: int) -> Response:
        data = self.body(ExamConfirmationCreateSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.HANDHAVING)
            confirmation = services.confirm_exam_result(
                actor=self.actor, client_file=client_file, exam_result_id=exam_result_id,
                evidence=data["evidence"], via="api",
            )  # fmt: skip
        return Response(ExamConfirmationSerializer(confirmation).data, status=status.HTTP_201_CREATED)


class VoldaanStatusSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    reason = serializers.CharField()


class VoldaanRecordView(ApiView):
    @extend_schema(
        operation_id="clients_voldaan_record_create", tags=TAGS,
        summary="Confirm voldaan: the file gets status voldaan when rules.voldaan says every part is done",
        description=(
            "Only for a file in traject; 400 with what is still missing otherwise. The file then moves on to the "
            "vervolg (`/clients/{id}/follow-up`). Logged as `client_status_changed`."
        ),
        parameters=[CLIENT_ID], request=None,
        responses={201: VoldaanStatusSerializer, **problems(400, 401, 404)},
    )  # fmt: skip
    def post(self, request: Request, client_id: int) -> Response:
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.HANDHAVING)
            change = services.record_voldaan(actor=self.actor, client_file=client_file, via="api")
        body = VoldaanStatusSerializer({"status": change.to_status, "reason": change.reason}).data
        return Response(body, status=status.HTTP_201_CREATED)


class FineDecisionQueueView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="fine_decisions_queue_list", tags=TAGS,
        summary="The teamleider's queue: boetevoorstellen without a decision in the gemeente, oldest first",
        description="Needs the decide_fines capability (403 otherwise). Logged as `fine_queue_viewed`.",
        responses={200: FineQueueSerializer(many=True), **problems(401, 403)},
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        self.require(Capability.DECIDE_FINES)
        with transaction.atomic():
            queryset = selectors.decision_queue(self.actor)
            page = self.paginate_queryset(queryset)
            if page is None:  # pragma: no cover -- this view has a paginator
                raise RuntimeError("paged() needs a pagination_class")
            data = FineQueueSerializer(page, many=True, context={"user_id": self.actor.user.pk}).data
            response = self.get_paginated_response(data)
            record_event(
                actor=self.actor, event_type="fine_queue_viewed", purpose=services.PURPOSE,
                changes={"result_count": len(data)}, via="api",
            )  # fmt: skip
        return response
