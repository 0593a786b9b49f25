from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.models import ApiToken

from ..schema import problems
from ..serializers.accounts import MeSerializer
from .base import ApiView


class MeView(ApiView):
    @extend_schema(
        operation_id="me_retrieve",
        tags=["me"],
        summary="Who this token (or session) acts as",
        description="The user, and the gemeente, role and capabilities of the membership the token belongs to.",
        responses={200: MeSerializer, **problems(401, 403)},
    )
    def get(self, request: Request) -> Response:
        actor = self.actor
        membership = actor.membership
        token = request.auth if isinstance(request.auth, ApiToken) else None
        body = {
            "id": actor.user.pk,
            "username": actor.user.username,
            "display_name": actor.user.display_name,
            "gemeente": {"code": membership.gemeente.code, "name": membership.gemeente.name},
            "role": {"code": membership.role.code, "name": membership.role.name},
            "team": membership.team.name if membership.team else None,
            "capabilities": sorted(membership.role.capabilities),
            "authenticated_by": "token" if token else "session",
            "token": {"name": token.name, "prefix": token.prefix, "expires_at": token.expires_at} if token else None,
        }
        return Response(MeSerializer(body).data)
