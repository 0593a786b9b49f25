"""Every change in handhaving: a W 23 boetevoorstel, the four-eyes decision (with the boetebeschikking as a PDF),
a bezwaar against a decision, and an achievement for the voldaan check. Keyword-only, atomic, audited in the
same transaction. Amounts, caps, repeats, termijnen and voldaan come only from ``openinburgering.rules``.

Readings (stated here because the data of other apps is still young):

- **W 22 boetes toward the cap** (B 7.1 lid 5): ``intakes.IntakeCall.fine_amount`` is the rules' proposal per
  failed oproep. A W 22 boete counts as imposed only when the oproep's ``next_step`` is a fine step
  (``fine_and_new_term`` or ``fine_and_intake_in_absence``); other calls' amounts are not counted. There is no
  separate W 22 decision yet; when there is, ``w22_total`` must read it instead.
- **Earlier W 23 boetes** (B 7.1 lid 3, ``rules.PreviousW23``): the newest decision of each other proposal of
  this file with outcome ``opgelegd``; it is ``final`` (onherroepelijk) when its bezwaartermijn has ended
  before the day of the calculation and no bezwaar was registered against it.
- **Achievements** are the klantregisseur's own record for now; exam results reported by providers (the
  providers app) are not read here.
"""

from .common import (
    KEREN_CAUTION,
    KEREN_REFERENCE,
    LANGUAGE_PARTS,
    LETTER_TEMPLATE,
    LETTER_TITLE,
    MAX_HOURS,
    MISSING_LABELS,
    PURPOSE,
    TEXT_LIMIT,
    UNMET_LABELS,
    W22_FINE_STEPS,
    current_pip,
    is_asielstatushouder,
    record_read,
)
from .decisions import decide_fine, letter_context, register_fine_bezwaar
from .fines import (
    PROPOSAL_FIELDS,
    FineFigures,
    FineOutcome,
    check_proposal,
    compute_fine,
    decision_is_final,
    fine_figures,
    latest_decisions,
    preview_fine,
    propose_fine,
    w22_total,
)
from .voldaan import (
    EVIDENCE_LIMIT,
    EVIDENCE_MESSAGE,
    ROUTE_NAMES,
    AchievedSoFar,
    ExtensionCheck,
    VoldaanCheck,
    achieved_so_far,
    confirm_exam_result,
    current_voldaan_check,
    extension_check,
    is_confirmed,
    record_achievement,
    record_voldaan,
    voldaan_check,
    with_confirmed_exams,
)

__all__ = [
    "EVIDENCE_LIMIT",
    "EVIDENCE_MESSAGE",
    "KEREN_CAUTION",
    "KEREN_REFERENCE",
    "LANGUAGE_PARTS",
    "LETTER_TEMPLATE",
    "LETTER_TITLE",
    "MAX_HOURS",
    "MISSING_LABELS",
    "PROPOSAL_FIELDS",
    "PURPOSE",
    "ROUTE_NAMES",
    "TEXT_LIMIT",
    "UNMET_LABELS",
    "W22_FINE_STEPS",
    "AchievedSoFar",
    "ExtensionCheck",
    "FineFigures",
    "FineOutcome",
    "VoldaanCheck",
    "achieved_so_far",
    "check_proposal",
    "compute_fine",
    "confirm_exam_result",
    "current_pip",
    "current_voldaan_check",
    "decide_fine",
    "decision_is_final",
    "extension_check",
    "fine_figures",
    "is_asielstatushouder",
    "is_confirmed",
    "latest_decisions",
    "letter_context",
    "preview_fine",
    "propose_fine",
    "record_achievement",
    "record_read",
    "record_voldaan",
    "register_fine_bezwaar",
    "voldaan_check",
    "w22_total",
    "with_confirmed_exams",
]
