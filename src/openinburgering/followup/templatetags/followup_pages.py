from __future__ import annotations

from typing import Any

from django import template

from openinburgering.clients.choices import CLOSED_STATUSES
from openinburgering.clients.models import ClientFile

from ..choices import FOLLOW_UP_STATUSES
from ..selectors import latest_of

register = template.Library()


@register.inclusion_tag("followup/_file_section.html")
def followup_section(client_file: ClientFile) -> dict[str, Any]:
    """The vervolg block of the file page: after the plicht, and on a closed file that had a follow-up (1 query
    then; none before the plicht)."""
    shown = client_file.status in FOLLOW_UP_STATUSES or client_file.status in CLOSED_STATUSES
    return {
        "client_file": client_file,
        "shown": shown,
        "open": client_file.status in FOLLOW_UP_STATUSES,
        "current": latest_of(client_file) if shown else None,
    }
