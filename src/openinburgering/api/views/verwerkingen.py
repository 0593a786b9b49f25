"""Verwerkingenlogging (VNG) for one client file, and the register of processing activities (#12 items 7-8)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.roles import Capability
from openinburgering.api.pagination import PageNumberPagination
from openinburgering.audit.labels import event_label
from openinburgering.audit.processing import ACTIVITIES
from openinburgering.audit.verwerkingen import actie_for
from openinburgering.clients.access import access_client_file_audit
from openinburgering.clients.selectors import file_readers
from openinburgering.clients.services import record_file_read

from ..schema import problems
from ..serializers.verwerkingen import ActieQuerySerializer, ActieSerializer, ProcessingActivitySerializer
from .base import CLIENT_ID, ApiView


class VerwerkingenView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="clients_verwerkingen_list",
        tags=["audit"],
        summary="Processing actions on this person's data, as VNG Verwerkingenlogging 'acties'",
        description=(
            "Every logged read, change and export of the file, newest first, each as an `Actie` of the VNG "
            "Verwerkingenlogging API (field names as in the standard), for the privacy officer and an "
            "inzageverzoek (AVG art. 15). The person is addressed by the file's internal id, never by BSN in the URL. "
            "For roles that may review a file's audit trail; logged as `verwerkingen_exported`."
        ),
        parameters=[CLIENT_ID, ActieQuerySerializer],
        responses={200: ActieSerializer(many=True), **problems(400, 401, 404)},
    )
    def get(self, request: Request, client_id: int) -> Response:
        params = self.query(ActieQuerySerializer)
        with transaction.atomic():
            client_file = access_client_file_audit(self.actor, client_id)
            events = file_readers(actor=self.actor, client_file=client_file)
            zone = timezone.get_current_timezone()
            if params.get("beginDatum") is not None:
                events = events.filter(occurred_at__gte=datetime.combine(params["beginDatum"], time.min, zone))
            if params.get("eindDatum") is not None:
                end = datetime.combine(params["eindDatum"] + timedelta(days=1), time.min, zone)
                events = events.filter(occurred_at__lt=end)
            record_file_read(actor=self.actor, client_file=client_file, event_type="verwerkingen_exported", via="api")
            page = self.paginate_queryset(events)
            assert page is not None
            bsn = client_file.person.bsn
            acties = [
                actie_for(event, bsn=bsn, label=event_label, beperkte_set=params["beperkteSet"] == "true")
                for event in page
            ]
            return self.get_paginated_response(ActieSerializer(acties, many=True).data)


class ProcessingActivitiesView(ApiView):
    @extend_schema(
        operation_id="processing_activities_list",
        tags=["audit"],
        summary="The register of processing activities (AVG art. 30)",
        description="What Open Inburgering processes, why, on which legal basis, for whom and how long. No personal "
        "data. For roles that may review the gemeente's audit log.",
        responses={200: ProcessingActivitySerializer(many=True), **problems(401, 403)},
    )
    def get(self, request: Request) -> Response:
        self.require(Capability.VIEW_GEMEENTE_AUDIT)
        return Response(ProcessingActivitySerializer(ACTIVITIES, many=True).data)
