from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.clients.services import PERSON_FIELDS
from openinburgering.core.dates import today

from ..parsers import JsonParser

# Service errors name person fields plainly (`bsn`); in request bodies they sit under `person`.
PERSON_ERROR_NAMES = {name: f"person.{name}" for name in (*PERSON_FIELDS, "nationality", "birth_country")}
PERSON_ERROR_NAMES |= {"nationality_id": "person.nationality", "birth_country_id": "person.birth_country"}

EMPTY_QUERY_VALUE = "Laat deze parameter weg of geef hem een waarde."

CLIENT_ID = OpenApiParameter("client_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Client file id.")
MEMBER_ID = OpenApiParameter("member_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Household member id.")


class ApiView(GenericAPIView):  # type: ignore[type-arg]  # no model-bound queryset: views call selectors
    parser_classes = [JsonParser]
    pagination_class: type[BasePagination] | None = None

    @property
    def actor(self) -> Actor:
        actor: Actor = self.request._request.actor  # type: ignore[attr-defined]  # set by api.authentication
        return actor

    def require(self, capability: Capability) -> None:
        """For endpoints that reach no object: a missing capability is no secret, so it answers 403."""
        if not self.actor.can(capability):
            raise exceptions.PermissionDenied("Je rol mag dit niet.")

    def query(self, serializer_class: type[serializers.Serializer[Any]]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.query_params)
        # DRF reads `?scope=` as "left out" (the default); the schema allows "" only where a field allows blank
        # (#12 item 9), so an empty value elsewhere is a 400 like any other value the schema does not allow.
        empty = {
            name: [EMPTY_QUERY_VALUE]
            for name, field in serializer.fields.items()
            if self.request.query_params.get(name, None) == "" and not getattr(field, "allow_blank", False)
        }
        if empty:
            raise exceptions.ValidationError(empty)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def body(self, serializer_class: type[serializers.Serializer[Any]], *, partial: bool = False) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, partial=partial, context={"actor": self.actor})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def context(self) -> dict[str, Any]:
        return {"today": today(), "request": self.request}

    def paged(
        self,
        queryset: QuerySet[Any] | Sequence[Any],
        serializer_class: type[serializers.Serializer[Any]],
        *,
        page_context: Callable[[list[Any]], Mapping[str, Any]] | None = None,
    ) -> Response:
        """One page, serialized. ``page_context`` adds to the serializer's context what is read for the rows of
        this page only (one query for the whole page, e.g. the caseload's attendance rates)."""
        page = self.paginate_queryset(queryset)
        if page is None:  # pragma: no cover -- every paged view has a paginator
            raise RuntimeError("paged() needs a pagination_class")
        context = {**self.context(), **(page_context(page) if page_context else {})}
        return self.get_paginated_response(serializer_class(page, many=True, context=context).data)


@extend_schema(exclude=True)
class UnknownPathView(ApiView):
    """Any other path under /api/v1/ answers 404 as Problem Details, whoever asks."""

    authentication_classes = ()
    permission_classes = ()

    def dispatch_unknown(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.NotFound("Dit adres bestaat niet in de API.")

    get = post = put = patch = delete = dispatch_unknown
    options = dispatch_unknown  # type: ignore[assignment]  # DRF's Request is an HttpRequest in practice
