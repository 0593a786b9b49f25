from __future__ import annotations

from django.db.models import QuerySet

from openinburgering.clients.models import ClientFile

from .models import HouseholdMember


def household_members_of(client_file: ClientFile, *, include_ended: bool = False) -> QuerySet[HouseholdMember]:
    """The members of the household the file's person currently belongs to (one query)."""
    queryset = HouseholdMember.objects.filter(
        household__members__person_id=client_file.person_id,
        household__members__ended_on__isnull=True,
        household__gemeente_id=client_file.gemeente_id,
    ).select_related("person")
    if not include_ended:
        queryset = queryset.filter(ended_on__isnull=True)
    return queryset.order_by("relation", "person__birth_on", "pk")
