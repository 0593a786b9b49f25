from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import template

from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today

from ..selectors import PipDeadline, pip_deadline_of, pip_overview
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


@register.inclusion_tag("plans/_pip_deadline.html")
def pip_deadline(client_file: ClientFile) -> dict[str, Any]:
    """ "PIP uiterlijk <date>" for the intake and PIP pages, from the file's stored deadline (no query, #11)."""
    return {"deadline": pip_deadline_of(client_file, as_of=today())}


@register.inclusion_tag("plans/_pip_deadline_badge.html")
def pip_deadline_badge(deadline: PipDeadline) -> dict[str, Any]:
    """The words next to a PIP date: "Te laat: 4 dagen", "Vandaag", "Nog 12 dagen" (never colour alone)."""
    return {"deadline": deadline}
