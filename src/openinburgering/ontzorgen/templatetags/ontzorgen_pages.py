from __future__ import annotations

from typing import Any

from django import template

from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today

from .. import selectors, services
from ..models import ObligationKind

register = template.Library()


@register.filter
def euro(cents: int | None) -> str:
    """Integer cents as ``€ 1.234,56``."""
    return "" if cents is None else services.format_cents(int(cents))


@register.inclusion_tag("ontzorgen/_file_section.html")
def ontzorgen_section(client_file: ClientFile) -> dict[str, Any]:
    """The ontzorgen status on the file page (read only; the file page's read event names the financiën section).
    One query: the record with the count of its file's obligations as a subquery (#18; it was two)."""
    record = selectors.record_with_obligation_count_of(client_file.pk)
    labels = dict(ObligationKind.choices)
    return {
        "client_file": client_file,
        "record": record,
        "stage": selectors.stage_of(record, as_of=today()),
        "stage_labels": selectors.STAGE_LABELS,
        "items": [labels[item] for item in (record.items if record else []) if item in labels],
        "obligation_count": getattr(record, "obligation_count", 0),
    }
