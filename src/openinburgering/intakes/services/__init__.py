"""Every change to oproepen, brede intakes, leerbaarheidstoetsen and route advice. Keyword-only, atomic, audited in
the same transaction; the next step after an oproep, the W 22 boete and its new termijn and the toets outcome come
from ``openinburgering.rules``. Callers pass a file they reached through ``access_client_file``."""

from .calls import create_absence_letter, plan_call, record_call_outcome
from .common import CALL_LETTERS, NOT_PLANNABLE, PLANNABLE_STEPS, WHAT_TO_BRING, record_read
from .intake import complete_intake, save_assessment, start_intake
from .lbt_route import choose_route, plan_lbt, record_lbt_result

__all__ = [
    "CALL_LETTERS",
    "NOT_PLANNABLE",
    "PLANNABLE_STEPS",
    "WHAT_TO_BRING",
    "choose_route",
    "complete_intake",
    "create_absence_letter",
    "plan_call",
    "plan_lbt",
    "record_call_outcome",
    "record_lbt_result",
    "record_read",
    "save_assessment",
    "start_intake",
]
