from __future__ import annotations

from typing import Any

from django import template
from django.db.models import F, Func, IntegerField, OuterRef, QuerySet, Subquery

from openinburgering.clients.models import ClientFile

from ..models import ContactPerson, Referral
from ..selectors import OPEN_STATUSES

register = template.Library()


def _count_of(rows: QuerySet[Any]) -> Subquery:
    """The number of ``rows`` as a subquery (COUNT without GROUP BY: one row, 0 when there are none)."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField())).values("n")
    return Subquery(counted, output_field=IntegerField())


@register.inclusion_tag("netwerk/_file_section.html")
def netwerk_section(client_file: ClientFile) -> dict[str, Any]:
    """The zorg-en-netwerk block of the file page: counts only, the page behind the link shows the rest (1 query,
    both counts as subqueries, #18). Shown when the begeleiding section is visible to the actor
    (clients/detail.html)."""
    counts = (
        ClientFile.objects.filter(pk=client_file.pk)
        .values(
            open_count=_count_of(Referral.objects.filter(client_file=OuterRef("pk"), status__in=OPEN_STATUSES)),
            contact_count=_count_of(ContactPerson.objects.filter(client_file=OuterRef("pk"))),
        )
        .get()
    )
    return {"client_file": client_file, **counts}
