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
from ..search_rows import search_result
from ..serializers.clients import PersonSearchSerializer, SearchResultSerializer
from .base import ApiView


class PersonSearchView(ApiView):
    @extend_schema(
        operation_id="persons_search",
        tags=["persons"],
        summary="Find a person by BSN, V-nummer, birth date or name",
        description=(
            "Search-first access: at most 50 client files of the token's gemeente, with the minimum to recognise "
            "the person. Every search is logged (`person_search_performed`, with the number of results). There is "
            "no endpoint that lists every client of a gemeente. The search term is sent in the JSON body, not in "
            "the URL, so a BSN or name never ends up in access logs or proxies (as in Haal Centraal BRP Personen). "
            "There is no paging: a search answers at most 50 files; search more precisely to narrow it down."
        ),
        request=PersonSearchSerializer,
        responses={200: SearchResultSerializer(many=True), **problems(400, 401, 403, 413, 415)},
    )
    def post(self, request: Request) -> Response:
        self.require(Capability.SEARCH_PERSONS)
        params = self.body(PersonSearchSerializer)
        with transaction.atomic(), renamed_fields({"": "q"}):
            results = search_client_files(actor=self.actor, query=params["q"])
            record_event(
                actor=self.actor, event_type="person_search_performed", purpose=PURPOSE_CASEWORK,
                changes={"result_count": len(results)}, via="api",
            )  # fmt: skip
        # Plain dicts (#18: api.search_rows); SearchResultSerializer is their schema.
        return Response([search_result(client_file) for client_file in results])
