from __future__ import annotations

from typing import Any

from django import template

from openinburgering.clients.models import ClientFile

from ..selectors import enrolments_of_file

register = template.Library()


@register.inclusion_tag("providers/_file_section.html")
def enrolment_section(client_file: ClientFile) -> dict[str, Any]:
    """The plaatsingen block of the file page (one query)."""
    return {"client_file": client_file, "enrolments": enrolments_of_file(client_file)}
