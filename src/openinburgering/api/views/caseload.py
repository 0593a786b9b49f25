from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.roles import Capability
from openinburgering.api.pagination import PageNumberPagination
from openinburgering.audit.services import record_event
from openinburgering.casefile.summary import summaries_for
from openinburgering.clients.models import ClientFile
from openinburgering.clients.selectors import CaseloadFilters, caseload_for, vroege_start_for
from openinburgering.clients.services import PURPOSE_CASEWORK
from openinburgering.core.dates import today
from openinburgering.progress.selectors import attendance_rates, threshold_percent

from ..schema import problems
from ..serializers.clients import CaseloadItemSerializer, CaseloadQuerySerializer, VroegeStartItemSerializer
from .base import ApiView


class CaseloadView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="caseload_list",
        tags=["caseload"],
        summary="The caseload worklist: own files, or the team's (teamleider)",
        description=(
            "Open files only, with the next statutory step (from the rules module), the days left and the "
            "attendance signal (last 4 complete ISO weeks against the gemeente's threshold); filtered (status, "
            "doelgroep, `overdue`, `due_within_days`, `kind`, `low_attendance`), sorted and paged in the database. "
            "Logged as `caseload_viewed`."
        ),
        parameters=[CaseloadQuerySerializer],
        responses={200: CaseloadItemSerializer(many=True), **problems(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        params = self.query(CaseloadQuerySerializer)
        scope = params.pop("scope")
        self.require(Capability.VIEW_TEAM_CASELOAD if scope == "team" else Capability.VIEW_OWN_CASELOAD)
        as_of = today()
        with transaction.atomic():
            threshold = threshold_percent(self.actor.gemeente_id)
            queryset = caseload_for(
                actor=self.actor, scope=scope, filters=CaseloadFilters(**params), as_of=as_of,
                soon_days=settings.DEADLINE_SOON_DAYS, attendance_threshold=threshold,
            )  # fmt: skip

            def attendance_of(page: list[ClientFile]) -> dict[str, Any]:
                file_ids = [client_file.pk for client_file in page]
                rates = attendance_rates(
                    gemeente_id=self.actor.gemeente_id, file_ids=file_ids, as_of=as_of, threshold=threshold
                )
                return {"attendance": rates, "summaries": summaries_for(page)}

            response = self.paged(queryset, CaseloadItemSerializer, page_context=attendance_of)
            page = cast(PageNumberPagination, self.paginator).page
            assert page is not None  # set by paged()
            record_event(
                actor=self.actor, event_type="caseload_viewed", purpose=PURPOSE_CASEWORK, via="api",
                changes={"scope": scope, "page": page.number, "result_count": page.paginator.count},
            )  # fmt: skip
        return response


class VroegeStartView(ApiView):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="caseload_vroege_start",
        tags=["caseload"],
        summary="Vroege start: asielstatushouders linked by the COA who still live in the AZC",
        description=(
            "Open files of asielstatushouders with a COA koppeling and no housing date, with their intake and PIP "
            "progress (B 5.3 lid 1). A teamleider sees every such file of the gemeente, a klantregisseur their own "
            "and the unassigned ones. Paged in the database; logged as `caseload_viewed` (list `vroege_start`)."
        ),
        responses={200: VroegeStartItemSerializer(many=True), **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        if not (self.actor.can(Capability.VIEW_TEAM_CASELOAD) or self.actor.can(Capability.VIEW_OWN_CASELOAD)):
            self.require(Capability.VIEW_OWN_CASELOAD)  # answers 403
        scope = "team" if self.actor.can(Capability.VIEW_TEAM_CASELOAD) else "mine"
        with transaction.atomic():
            response = self.paged(
                vroege_start_for(actor=self.actor), VroegeStartItemSerializer,
                page_context=lambda page: {"summaries": summaries_for(page)},
            )  # fmt: skip
            page = cast(PageNumberPagination, self.paginator).page
            assert page is not None  # set by paged()
            record_event(
                actor=self.actor, event_type="caseload_viewed", purpose=PURPOSE_CASEWORK, via="api",
                subject_type="worklist", subject_id="vroege_start",
                changes={"list": "vroege_start", "scope": scope, "page": page.number,
                         "result_count": page.paginator.count},
            )  # fmt: skip
        return response
