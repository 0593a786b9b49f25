"""Intake pages under /dossiers/<file>/intake/: oproepen, brede intake per person and leefgebied (step by step),
leerbaarheidstoets and route advice.

Every page goes through ``access_client_file`` (404 for missing, another gemeente and a missing capability);
showing data is audited in the same transaction as the read; every change goes through ``intakes.services``.
Form pages: GET shows, POST validates, errors re-render with an error summary and status 400.
"""

from .calls import absence_letter, call_outcome, call_plan
from .intake import HEALTH_CLOSED, HEALTH_HIDDEN, HEALTH_SHOWN, intake_complete, intake_detail, intake_start, leefgebied
from .lbt_route import lbt_plan, lbt_result, route
from .overview import overview

__all__ = [
    "HEALTH_CLOSED",
    "HEALTH_HIDDEN",
    "HEALTH_SHOWN",
    "absence_letter",
    "call_outcome",
    "call_plan",
    "intake_complete",
    "intake_detail",
    "intake_start",
    "lbt_plan",
    "lbt_result",
    "leefgebied",
    "overview",
    "route",
]
