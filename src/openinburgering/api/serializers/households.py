from __future__ import annotations

from typing import Any

from rest_framework import serializers

from openinburgering.clients.models import Person
from openinburgering.households.models import EducationKind, HouseholdMember, Relation

from . import fields
from .base import StrictSerializer
from .clients import PersonWriteSerializer


class MemberPersonSerializer(serializers.ModelSerializer[Person]):
    class Meta:
        model = Person
        fields = ("id", "bsn", "v_number", "given_names", "surname_prefix", "surname", "birth_on", "sex")
        read_only_fields = fields


class HouseholdMemberSerializer(serializers.ModelSerializer[HouseholdMember]):
    person = MemberPersonSerializer(read_only=True)

    class Meta:
        model = HouseholdMember
        fields = (
            "id", "relation", "education_kind", "education_name", "started_on", "ended_on", "ended_reason",
            "is_current", "person",
        )  # fmt: skip
        read_only_fields = fields


class HouseholdMemberCreateSerializer(StrictSerializer):
    relation = fields.ChoiceField(choices=[(c.value, c.label) for c in Relation if c != Relation.AANVRAGER])
    started_on = fields.DateField()
    education_kind = fields.ChoiceField(
        choices=[(c.value, c.label) for c in EducationKind if c.value], allow_blank=True, required=False
    )
    education_name = fields.TextField(max_length=200, allow_blank=True, required=False)
    person = PersonWriteSerializer(help_text="A known person (same BSN in this gemeente) is reused.")


class HouseholdMemberEndSerializer(StrictSerializer):
    ended_on = fields.DateField()
    reason = fields.TextField(max_length=200, allow_blank=True)


class HouseholdQuerySerializer(serializers.Serializer[Any]):
    include_ended = fields.BooleanField(default=False, help_text="Also members whose membership ended.")
