"""Voortgang of one client file: the figures (computed, nothing stored) and the three changes of this app — the
klantregisseur's afschalen judgement, starting a route switch (a new PIP concept through ``plans.services``) and
the gemeente's attendance threshold. Keyword-only, atomic, audited in the same transaction. Every statutory
check (voldaan, afschalen, route switch, extension, termijn) comes from ``openinburgering.rules``, through the
handhaving and plans helpers where they exist.

Readings (stated here because they are choices, not law):

- **Exam parts**: the exam is taken at DUO (#11). The klantregisseur's achievement records (DUO results) count,
  and so do passed exams that providers reported once the gemeente confirmed them with evidence (merged by
  handhaving.services.with_confirmed_exams, so both pages count the same exams); an unconfirmed report shows as
  "gemeld door aanbieder, nog niet bevestigd". The highest level per language part counts, KNM once passed.
- **NT2 course hours** for ``rules.afschalen`` (B 5.5) and lesson hours for ``rules.extension_for_effort``
  (B 4.4 lid 3): the attended hours that providers reported on the file's ``b1_lessen`` enrolments.
- **All lessons attended** (B 4.4 lid 2 sub b, asielstatushouders): hours were offered on the ``b1_lessen``
  enrolments and no hour was missed without a reason. The klantregisseur can still check otherwise on the
  handhaving page.
- **Planned hours** so far: the enrolment's planned hours per week × complete weeks from its start until today
  (or its end). Staff-planned figures, not a statutory date.
"""

from .changes import record_afschalen_judgement, settings_of, start_route_switch, update_settings
from .common import (
    AFSCHALEN_LABELS,
    EXAM_PART_LABELS,
    NT2_COMPONENTS,
    PURPOSE,
    ROUTE_LABELS,
    SWITCH_EXCEPTIONS,
    SWITCH_LABELS,
    TEXT_LIMIT,
    record_read,
)
from .figures import (
    AfschalenCheck,
    EnrolmentFigures,
    ExamPartRow,
    Progress,
    SwitchOption,
    SwitchWindow,
    merge_exam_results,
    progress_of,
    switch_window,
)

__all__ = [
    "AFSCHALEN_LABELS",
    "EXAM_PART_LABELS",
    "NT2_COMPONENTS",
    "PURPOSE",
    "ROUTE_LABELS",
    "SWITCH_EXCEPTIONS",
    "SWITCH_LABELS",
    "TEXT_LIMIT",
    "AfschalenCheck",
    "EnrolmentFigures",
    "ExamPartRow",
    "Progress",
    "SwitchOption",
    "SwitchWindow",
    "merge_exam_results",
    "progress_of",
    "record_afschalen_judgement",
    "record_read",
    "settings_of",
    "start_route_switch",
    "switch_window",
    "update_settings",
]
