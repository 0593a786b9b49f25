from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.sections import Section
from openinburgering.clients.access import access_client_file
from openinburgering.clients.services import record_file_read
from openinburgering.households.selectors import household_members_of
from openinburgering.households.services import add_household_member, end_household_member

from ..errors import renamed_fields
from ..schema import problems
from ..serializers.households import (
    HouseholdMemberCreateSerializer,
    HouseholdMemberEndSerializer,
    HouseholdMemberSerializer,
    HouseholdQuerySerializer,
)
from .base import CLIENT_ID, MEMBER_ID, PERSON_ERROR_NAMES, ApiView


class HouseholdView(ApiView):
    @extend_schema(
        operation_id="clients_household_list",
        tags=["household"],
        summary="Members of the household of the file's person",
        description="Current members (and with `include_ended` the former ones too). Logged as `household_viewed`.",
        parameters=[CLIENT_ID, HouseholdQuerySerializer],
        responses={200: HouseholdMemberSerializer(many=True), **problems(400, 401, 404)},
    )
    def get(self, request: Request, client_id: int) -> Response:
        params = self.query(HouseholdQuerySerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, section=Section.BASIS)
            record_file_read(actor=self.actor, client_file=client_file, event_type="household_viewed", via="api")
            members = list(household_members_of(client_file, include_ended=params["include_ended"]))
        return Response(HouseholdMemberSerializer(members, many=True).data)

    @extend_schema(
        operation_id="clients_household_create",
        tags=["household"],
        summary="Add a partner, child or other member to the household",
        parameters=[CLIENT_ID],
        request=HouseholdMemberCreateSerializer,
        responses={201: HouseholdMemberSerializer, **problems(400, 401, 404, 409, 413, 415)},
    )
    def post(self, request: Request, client_id: int) -> Response:
        data = self.body(HouseholdMemberCreateSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.BASIS)
            with renamed_fields(PERSON_ERROR_NAMES):
                member = add_household_member(
                    actor=self.actor, client_file=client_file, relation=data["relation"],
                    started_on=data["started_on"], person_data=data["person"],
                    education_kind=data.get("education_kind", ""), education_name=data.get("education_name", ""),
                    via="api",
                )  # fmt: skip
        return Response(HouseholdMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class HouseholdMemberEndView(ApiView):
    @extend_schema(
        operation_id="clients_household_end",
        tags=["household"],
        summary="End a household membership (kept in history)",
        parameters=[CLIENT_ID, MEMBER_ID],
        request=HouseholdMemberEndSerializer,
        responses={200: HouseholdMemberSerializer, **problems(400, 401, 404, 413, 415)},
    )
    def post(self, request: Request, client_id: int, member_id: int) -> Response:
        data = self.body(HouseholdMemberEndSerializer)
        with transaction.atomic():
            client_file = access_client_file(self.actor, client_id, for_write=True, section=Section.BASIS)
            member = end_household_member(
                actor=self.actor, client_file=client_file, member_id=member_id, ended_on=data["ended_on"],
                reason=data["reason"], via="api",
            )  # fmt: skip
        return Response(HouseholdMemberSerializer(member).data)
