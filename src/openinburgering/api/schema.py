"""OpenAPI helpers: the security schemes of our authenticators and the Problem Details responses."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi as drf_spectacular_openapi
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


BLANK_STRING = {"type": "string", "enum": [""]}


def _model_fields(field: serializers.Field[Any, Any, Any, Any]) -> tuple[Any, Any]:
    """(the model field a read-only serializer field shows, the first field on its dotted source path), when its
    serializer is a ModelSerializer; `submitted_by.display_name` gives (None, the `submitted_by` foreign key)."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", "") or ""
    if model is None or not source or source == "*":
        return None, None
    first, _, rest = source.partition(".")
    try:
        head = model._meta.get_field(first)
    except Exception:  # a property or method, not a model field
        return None, None
    return (None if rest else head), head


class AutoSchema(drf_spectacular_openapi.AutoSchema):
    """drf-spectacular's schema, honest about what read-only model fields send (#12 item 9).

    DRF drops `allow_blank` and `allow_null` from read-only ModelSerializer fields, so the schema said "one of the
    enum values" or "an e-mail address" where the API sends "" for a value not filled in (a blank model field),
    and "object" where it sends null (a nullable foreign key). The wire format stays as it is; the schema now
    says so: "" is allowed beside the enum or format (anyOf: a schema that already allowed "" stays valid), null
    where the model field, or the first foreign key of a dotted source, is nullable."""

    def _map_serializer_field(
        self, field: serializers.Field[Any, Any, Any, Any], direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(  # type: ignore[no-untyped-call]  # untyped library
            field, direction, bypass_extensions
        )
        if direction != "response" or not field.read_only:
            return schema
        model_field, head = _model_fields(field)
        if head is None:
            return schema
        if getattr(head, "null", False) and not schema.get("nullable"):
            if "$ref" in schema:
                schema = {"allOf": [{"$ref": schema.pop("$ref")}], **schema}
            schema["nullable"] = True
        # A text field may hold "" when the model allows blank, or when it has no default of its own (Django's
        # implicit default is "": e.g. a PIP concept's leerroute before it is chosen).
        blank_text = (
            model_field is not None
            and model_field.get_internal_type() in {"CharField", "TextField", "EmailField"}
            and (model_field.blank or not model_field.has_default())
        )
        if blank_text and ("$ref" in schema or "enum" in schema or "format" in schema):
            schema = {"anyOf": [schema, BLANK_STRING]}
        return schema

    def _get_request_for_media_type(self, serializer: Any, direction: str = "request") -> Any:
        """A PATCH body is partial (every field optional) unless its serializer says `patch_is_partial = False`:
        then the schema requires what the endpoint requires (e.g. a bezwaar's new status), as the view does."""
        if self.method == "PATCH" and getattr(serializer, "patch_is_partial", True) is False:
            self.method = "PUT"  # drf-spectacular marks a PATCH body partial; this one is not
            try:
                return super()._get_request_for_media_type(serializer, direction)  # type: ignore[no-untyped-call]  # untyped library
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)  # type: ignore[no-untyped-call]  # untyped library
