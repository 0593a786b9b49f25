from __future__ import annotations

from typing import Any

from django import template

from openinburgering.clients.models import ClientFile

from ..selectors import pip_overview
from ..services import termijn_of

register = template.Library()


@register.inclusion_tag("plans/_file_section.html")
def pip_section(client_file: ClientFile) -> dict[str, Any]:
    """The PIP block of the file page: the current and the open version and the termijn (one query)."""
    return {"client_file": client_file, "overview": pip_overview(client_file), "termijn": termijn_of(client_file)}
