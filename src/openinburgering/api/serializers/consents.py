"""The consent register of a file (AVG art. 9 lid 2 sub a for health data; #12 item 1): one consent per person and
purpose at a time, insert-only, a withdrawal its own record."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from openinburgering.clients.models import Consent, ConsentPurpose

from . import fields
from .base import MAX_ID, StrictSerializer


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    person = serializers.SerializerMethodField(
        help_text="The person who gave the consent: the file's own person (the inburgeraar) or a household member."
    )
    recorded_by = serializers.CharField(source="recorded_by.get_full_name", read_only=True)
    is_active = serializers.SerializerMethodField(help_text="True while the consent stands (not withdrawn).")
    withdrawn_on = serializers.SerializerMethodField(help_text="The day the consent was withdrawn, or null.")

    class Meta:
        model = Consent
        fields = (
            "id", "purpose", "person", "given_on", "how", "recorded_by", "recorded_at", "is_active", "withdrawn_on",
        )  # fmt: skip
        read_only_fields = fields

    def _withdrawal(self, consent: Consent) -> Any:
        return getattr(consent, "withdrawal", None)

    def get_person(self, consent: Consent) -> dict[str, Any]:
        person = consent.person or consent.client_file.person
        return {"id": person.pk, "full_name": person.full_name, "is_file_person": consent.person_id is None}

    def get_is_active(self, consent: Consent) -> bool:
        return self._withdrawal(consent) is None

    def get_withdrawn_on(self, consent: Consent) -> str | None:
        withdrawal = self._withdrawal(consent)
        return withdrawal.withdrawn_on.isoformat() if withdrawal is not None else None


class ConsentCreateSerializer(StrictSerializer):
    purpose = fields.ChoiceField(choices=ConsentPurpose.choices)
    person = fields.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID, default=None,
        help_text="Person id of a household member; leave out (or null) for the file's own person.",
    )  # fmt: skip
    given_on = fields.DateField()
    how = fields.TextField(max_length=200, help_text="How the consent was given, e.g. 'mondeling, met tolk'.")


class ConsentWithdrawSerializer(StrictSerializer):
    withdrawn_on = fields.DateField()
