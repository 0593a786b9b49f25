"""The webhook the gemeente's Notificaties API (NRC) calls: ``POST /api/v1/notificaties/<gemeente code>``.

Not a user endpoint: no session or token of ours. The NRC sends the ``auth`` value of the abonnement as the
``Authorization`` header; ``notificaties.check_authorisation`` compares it with the gemeente's configured value.
Without the header 401; a wrong one, or a gemeente without a Notificaties connection, 403 (nothing stored)."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from notifications_api_common.api.serializers import NotificatieSerializer
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request
from rest_framework.response import Response

from openinburgering.accounts.models import Gemeente
from openinburgering.api.schema import problems
from openinburgering.api.views.base import ApiView

from . import notificaties

_CAMEL = re.compile(r"(?<=[a-z])([A-Z])")


def snake_keys(data: dict[str, Any]) -> dict[str, Any]:
    """The NRC's camelCase keys (``hoofdObject``) as the serializer's (``hoofd_object``); kenmerken stay as sent."""
    return {_CAMEL.sub(lambda m: "_" + m.group(1).lower(), key): value for key, value in data.items()}


GEMEENTE_CODE = OpenApiParameter(
    "gemeente_code", OpenApiTypes.STR, OpenApiParameter.PATH, description="CBS code of the gemeente (GMxxxx)."
)


class NotificationCallbackAuthentication(authentication.BaseAuthentication):
    """The NRC's call: the ``Authorization`` header must be the gemeente's configured ``callback_auth``. No header:
    anonymous (401 through the permission); a wrong one: 403. ``request.auth`` is the gemeente."""

    def authenticate(self, request: Request) -> tuple[None, Gemeente] | None:
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        try:
            gemeente = notificaties.check_authorisation(request.parser_context["kwargs"]["gemeente_code"], header)
        except (notificaties.Unauthorised, KeyError):
            raise exceptions.PermissionDenied("Deze notificatie heeft geen geldige autorisatie.") from None
        return None, gemeente

    def authenticate_header(self, request: Request) -> str:
        return 'Token realm="Notificaties-abonnement"'


class NotificationCallbackScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # untyped hook
    target_class = "openinburgering.interop.api.NotificationCallbackAuthentication"
    name = "notificatiesAbonnement"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "The `auth` value of the gemeente's abonnement in its Notificaties API, sent as is.",
        }


class FromNotificaties(permissions.BasePermission):
    message = "Deze notificatie heeft geen autorisatie (Authorization-header ontbreekt)."

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, Gemeente)


class NotificationCallbackView(ApiView):
    authentication_classes = [NotificationCallbackAuthentication]
    permission_classes = [FromNotificaties]

    @extend_schema(
        operation_id="notificaties_callback",
        tags=["koppelingen"],
        summary="Webhook for the gemeente's Notificaties API (abonnement callback)",
        description=(
            "Called by the Notificaties API (NRC) for an abonnement of the gemeente. The `Authorization` header "
            "must be the `auth` value the functioneel beheerder configured for the gemeente's Notificaties "
            "connection (compared in constant time): without it 401, a wrong one (or a gemeente without the "
            "connection) 403; nothing is stored then. The body is a "
            "notification as the NRC sends it (camelCase: `kanaal`, `hoofdObject`, `resource`, `resourceUrl`, "
            "`actie`, `aanmaakdatum`, `kenmerken`). Stored and logged as `integration_notification_received`; "
            "linked to a client file when `hoofdObject` is the Zaak this application published for it."
        ),
        parameters=[GEMEENTE_CODE],
        request=NotificatieSerializer,
        responses={204: OpenApiResponse(description="Received and stored."), **problems(400, 401, 403)},
    )
    def post(self, request: Request, gemeente_code: str) -> Response:
        gemeente = request.auth
        assert isinstance(gemeente, Gemeente)  # FromNotificaties
        data = request.data if isinstance(request.data, dict) else {}
        serializer = NotificatieSerializer(data=snake_keys(data))
        serializer.is_valid(raise_exception=True)
        notificaties.receive(gemeente=gemeente, data=dict(serializer.validated_data))
        return Response(status=204)
