from __future__ import annotations

from collections.abc import Sequence
from datetime import date
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


@register.filter
def talk_dates(days: Sequence[date]) -> str:
    """Planned voortgangsgesprekken in words: "2 gesprekken: 15-01-2027 en 15-06-2027" (dd-mm-jjjj, #11)."""
    if not days:
        return "Geen gesprekken gepland"
    texts = [f"{day:%d-%m-%Y}" for day in days]
    listed = texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} en {texts[-1]}"
    return f"{len(texts)} {'gesprek' if len(texts) == 1 else 'gesprekken'}: {listed}"
