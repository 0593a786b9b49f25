from __future__ import annotations

from typing import Any

from django import template

from openinburgering.clients.models import ClientFile

from ..models import ContactPerson, Referral
from ..selectors import OPEN_STATUSES

register = template.Library()


@register.inclusion_tag("netwerk/_file_section.html")
def netwerk_section(client_file: ClientFile) -> dict[str, Any]:
    """The zorg-en-netwerk block of the file page: counts only, the page behind the link shows the rest (2
    queries). Shown when the begeleiding section is visible to the actor (clients/detail.html)."""
    return {
        "client_file": client_file,
        "open_count": Referral.objects.filter(client_file=client_file, status__in=OPEN_STATUSES).count(),
        "contact_count": ContactPerson.objects.filter(client_file=client_file).count(),
    }
