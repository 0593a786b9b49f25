from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import record_event
from openinburgering.clients.selectors import search_client_files
from openinburgering.clients.services import PURPOSE_CASEWORK

from ..errors import renamed_fields
from ..schema import problems
from ..serializers.clients import SearchQuerySerializer, SearchResultSerializer
from .base import ApiView


class PersonSearchView(ApiView):
    @extend_schema(
        operation_id="persons_search",
        tags=["persons"],
        summary="Find a person by BSN, V-nummer, birth date or name",
        description=(
            "Search-first access: at most 50 client files of the token's gemeente, with the minimum to recognise "
            "the person. Every search is logged (`person_search_performed`, with the number of results). There is "
            "no endpoint that lists every client of a gemeente."
        ),
        parameters=[SearchQuerySerializer],
        responses={200: SearchResultSerializer(many=True), **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        params = self.query(SearchQuerySerializer)
        self.require(Capability.SEARCH_PERSONS)
        with transaction.atomic(), renamed_fields({"": "q"}):
            results = search_client_files(actor=self.actor, query=params["q"])
            record_event(
                actor=self.actor, event_type="person_search_performed", purpose=PURPOSE_CASEWORK,
                changes={"result_count": len(results)}, via="api",
            )  # fmt: skip
        return Response(SearchResultSerializer(results, many=True).data)
