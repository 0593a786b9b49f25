from __future__ import annotations

from typing import Any

from django import template

from openinburgering.clients.models import ClientFile

from ..selectors import file_count_annotations

register = template.Library()


@register.inclusion_tag("netwerk/_file_section.html")
def netwerk_section(client_file: ClientFile, facts: Any = None) -> dict[str, Any]:
    """The zorg-en-netwerk block of the file page: counts only, the page behind the link shows the rest (1 query,
    both counts as subqueries, #18; none when ``facts`` holds them, read with ``selectors.file_count_annotations``
    in the file page's summary row). Shown when the begeleiding section is visible to the actor
    (clients/detail.html)."""
    counts: dict[str, Any]
    if facts is not None:
        counts = {"open_count": facts["open_count"], "contact_count": facts["contact_count"]}
    else:
        counts = dict(ClientFile.objects.filter(pk=client_file.pk).values(**file_count_annotations()).get())
    return {"client_file": client_file, **counts}
