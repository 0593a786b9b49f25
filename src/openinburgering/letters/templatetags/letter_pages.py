from __future__ import annotations

from typing import Any

from django import template

from openinburgering.clients.models import ClientFile

from ..selectors import letters_of

register = template.Library()


@register.inclusion_tag("letters/_file_section.html")
def letters_section(client_file: ClientFile) -> dict[str, Any]:
    """The letters block of the file page (one query)."""
    return {"client_file": client_file, "letters": list(letters_of(client_file)[:50])}
