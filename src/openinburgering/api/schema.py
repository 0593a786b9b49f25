"""OpenAPI helpers: the security schemes of our authenticators and the Problem Details responses."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

PROBLEM_MEDIA_TYPE = "application/problem+json"


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # untyped library hook
    target_class = "openinburgering.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Token oi_<prefix>_<secret>`. A token acts as one membership (user, gemeente, role); create one "
                "with `python -m django api_token create`."
            ),
        }


class ActorSessionScheme(SessionScheme):  # type: ignore[no-untyped-call]  # untyped library hook
    target_class = "openinburgering.api.authentication.ActorSessionAuthentication"


class InvalidParamSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="The field, dotted for nested fields (`person.bsn`).")
    code = serializers.CharField()
    reason = serializers.CharField(help_text="What is wrong, in Dutch.")


class ProblemSerializer(serializers.Serializer[Any]):
    """Problem Details (RFC 9457), as the VNG API design rules use them."""

    type = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    invalidParams = InvalidParamSerializer(many=True, required=False)  # noqa: N815 -- the VNG field name


_DESCRIPTIONS = {
    400: "Invalid input; `invalidParams` names every field with its reason.",
    401: "No, an invalid, a revoked or an expired token.",
    403: "The token's role may not use this endpoint.",
    404: "Not found, or not visible to this token (another gemeente, or a role without access).",
    405: "Method not allowed.",
    409: "Conflict with the current state (e.g. the person was just registered by someone else).",
    413: "The request body is larger than the limit.",
    415: "The request body is not JSON.",
}


def problems(*codes: int) -> dict[Any, Any]:
    return {
        (code, PROBLEM_MEDIA_TYPE): OpenApiResponse(response=ProblemSerializer, description=_DESCRIPTIONS[code])
        for code in codes
    }


READ_ERRORS = (401, 404)
WRITE_ERRORS = (400, 401, 404, 409, 413, 415)
