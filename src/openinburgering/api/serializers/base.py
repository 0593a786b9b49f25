"""Shared serializer parts: strict bodies (unknown fields are refused), blank codes as null, fields that only
see staff and teams of the actor's gemeente."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Team, User

from .fields import COMMON, TextField

MAX_ID = 2**63 - 1
UNKNOWN_FIELD = "Dit veld bestaat niet of kan niet worden meegestuurd."


class StrictSerializer(serializers.Serializer[Any]):
    """Refuses fields it does not know (a typo or a read-only field must not be silently ignored), and
    reports them together with the other errors."""

    default_error_messages = {**COMMON, "invalid": "Verwacht een object met velden ({{...}}), geen {datatype}."}

    def to_internal_value(self, data: Any) -> Any:
        errors: dict[str, Any] = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            errors.update({str(key): [UNKNOWN_FIELD] for key in data if key not in writable})
        try:
            value = super().to_internal_value(data)
        except ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            errors = {**exc.detail, **errors}
        if errors:
            raise ValidationError(errors)
        return value


class CodeField(TextField):
    """A code from a reference table; blank means none (null)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def run_validation(self, data: Any = empty) -> str | None:
        # DRF's CharField answers "" for a blank value before to_internal_value runs; "" is no code (#12 item 9).
        value = super().run_validation(data)
        return value or None

    def to_internal_value(self, data: Any) -> str | None:  # type: ignore[override]  # None means: no code
        value = super().to_internal_value(data)
        return value.upper() or None


def _actor(field: serializers.Field[Any, Any, Any, Any]) -> Actor:
    actor = field.context.get("actor")
    if actor is None:
        raise RuntimeError("Serializer context needs the actor.")
    return actor  # type: ignore[no-any-return]  # the context is an untyped dict


@extend_schema_field(OpenApiTypes.INT)
class _ScopedIdField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]  # stubs' generic model
    default_error_messages = {**COMMON, "incorrect_type": "Vul een nummer (id) in."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool) and not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        if isinstance(data, str) and (not data.isdigit() or len(data) > len(str(MAX_ID))):
            self.fail("incorrect_type", data_type="str")
        return super().to_internal_value(data)


class StaffField(_ScopedIdField):
    """A staff user (id) who works for the actor's gemeente; whether their role fits is the service's rule."""

    default_error_messages = {"does_not_exist": "Deze medewerker werkt niet voor deze gemeente."}

    def get_queryset(self) -> QuerySet[User]:
        gemeente_id = _actor(self).gemeente_id
        return User.objects.filter(memberships__gemeente_id=gemeente_id, memberships__is_active=True).distinct()


class TeamField(_ScopedIdField):
    default_error_messages = {"does_not_exist": "Dit team hoort niet bij deze gemeente."}

    def get_queryset(self) -> QuerySet[Team]:
        return Team.objects.filter(gemeente_id=_actor(self).gemeente_id)


class StaffRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class TeamRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
