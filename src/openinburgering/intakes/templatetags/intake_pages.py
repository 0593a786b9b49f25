from __future__ import annotations

from typing import Any

from django import template

from openinburgering.clients.models import ClientFile

from ..choices import IntakeStep
from ..selectors import file_summary

register = template.Library()


@register.inclusion_tag("intakes/_file_section.html")
def intake_section(client_file: ClientFile) -> dict[str, Any]:
    """The oproepen / brede intake / leerbaarheidstoets block of the file page (five queries, whatever the size)."""
    summary = file_summary(client_file)
    return {
        "client_file": client_file,
        "summary": summary,
        "next_step_label": IntakeStep(summary.next_step.next_step).label,
    }
