from __future__ import annotations

from rest_framework import serializers

from openinburgering.audit.catalogue import EVENT_TYPES
from openinburgering.audit.models import AuditEvent

from .base import StaffRefSerializer

_KINDS = {event.code: event.kind for event in EVENT_TYPES}


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    """Who read or changed a file. Old and new values are not shown here, only which fields changed."""

    actor = StaffRefSerializer(read_only=True, allow_null=True)
    kind = serializers.SerializerMethodField(help_text="read, change, security or export.")
    changed_fields = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = (
            "id", "occurred_at", "actor", "actor_role", "event_type", "kind", "via", "purpose", "subject_type",
            "subject_id", "changed_fields",
        )  # fmt: skip
        read_only_fields = fields

    def get_kind(self, obj: AuditEvent) -> str:
        return _KINDS.get(obj.event_type, "")

    def get_changed_fields(self, obj: AuditEvent) -> list[str]:
        return sorted(obj.changes) if isinstance(obj.changes, dict) else []
