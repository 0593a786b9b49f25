from __future__ import annotations

from typing import Any

from django import template

from openinburgering import rules
from openinburgering.clients.models import ClientFile
from openinburgering.rules import IntakeNextStep
from openinburgering.rules.money import ZERO

from ..choices import IntakeStep
from ..selectors import file_summary

register = template.Library()


@register.inclusion_tag("intakes/_file_section.html")
def intake_section(client_file: ClientFile, overall: Any = None, facts: Any = None) -> dict[str, Any]:
    """The oproepen / brede intake / leerbaarheidstoets block of the file page (three queries, whatever the size;
    two when ``facts`` holds the toets and route of ``selectors.toets_and_route_annotations``, as the file page's
    summary row does, #18). ``overall`` is the file's ``casefile.summary.FileSummary`` (the file page passes it):
    its next oproep step is the one the whole page shows, so a file past its intake never says "Eerste oproep
    plannen" (issue #11)."""
    summary = file_summary(client_file, facts)
    next_step_label = str(IntakeStep(summary.next_step.next_step).label)
    if overall is not None:
        next_step_label = overall.oproep_step_label
        if not overall.oproep_step:  # no oproep step applies any more: no boete to show with it either
            summary.next_step = IntakeNextStep(next_step=rules.IntakeStep.NONE, fine=ZERO)
    return {"client_file": client_file, "summary": summary, "next_step_label": next_step_label}
