from __future__ import annotations

from typing import cast

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.roles import Capability
from openinburgering.api.pagination import PageNumberPagination
from openinburgering.audit.services import record_event
from openinburgering.casefile.summary import summaries_for
from openinburgering.clients.selectors import CaseloadFilters, caseload_for, vroege_start_for
from openinburgering.clients.services import PURPOSE_CASEWORK
from openinburgering.core.dates import today
from openinburgering.progress.selectors import threshold_percent

from ..caseload_rows import CaseloadRows
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
            # The rows as values and plain dicts (#18: api.caseload_rows); CaseloadItemSerializer is their schema.
            rows = self.paginate_queryset(CaseloadRows(queryset, as_of=as_of, threshold=threshold))  # type: ignore[arg-type]  # a paginator's object list, not a queryset: count() and slices
            assert rows is not None  # every paged view has a paginator
            response = self.get_paginated_response(rows)
            page = cast(PageNumberPagination, self.paginator).page
            assert page is not None  # set by paginate_queryset()
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
