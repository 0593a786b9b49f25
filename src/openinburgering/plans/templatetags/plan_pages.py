from __future__ import annotations

from typing import Any

from django import template

from openinburgering.clients.models import ClientFile

register = template.Library()


@register.inclusion_tag("plans/_file_section.html")
def pip_section(client_file: ClientFile) -> dict[str, Any]:
    """The PIP block of the file page."""
    return {"client_file": client_file}
