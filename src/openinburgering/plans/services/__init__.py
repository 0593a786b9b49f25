"""Every change to a PIP: draft, edit, submit, four-eyes approval (vaststelling with the beschikking), rejection,
the person's response, bezwaren and voortgangsgesprekken. Keyword-only, atomic, audited in the same transaction.

Callers reach the file with ``access_client_file(..., for_write=True)`` (the file row is locked, so two approvals
or two drafts cannot race). Every statutory date and check comes from ``openinburgering.rules``.
"""

from openinburgering.clients.deadlines import termijn_of

from .after_vaststelling import (
    clean_bezwaar,
    record_client_response,
    record_progress_talk,
    register_bezwaar,
    update_bezwaar,
)
from .approval import approve, beschikking_context, reject, submit
from .common import (
    AGREEMENT_FIELDS,
    COPIED_FIELDS,
    DRAFT_FIELDS,
    LETTER_TEMPLATE,
    LETTER_TITLE,
    MAX_AGREEMENTS,
    MAX_PROGRESS_TALKS,
    ONTZORGEN_LABELS,
    PIP_ERROR_MESSAGES,
    PURPOSE,
    SWITCH_EXCEPTION_LABELS,
    TEXT_LIMIT,
    effective_level_label,
    health_open,
    ontzorgen_for,
    ontzorgen_labels,
    record_pip_read,
)
from .drafts import check_version, create_draft, update_draft

__all__ = [
    "AGREEMENT_FIELDS",
    "COPIED_FIELDS",
    "DRAFT_FIELDS",
    "LETTER_TEMPLATE",
    "LETTER_TITLE",
    "MAX_AGREEMENTS",
    "MAX_PROGRESS_TALKS",
    "ONTZORGEN_LABELS",
    "PIP_ERROR_MESSAGES",
    "PURPOSE",
    "SWITCH_EXCEPTION_LABELS",
    "TEXT_LIMIT",
    "approve",
    "beschikking_context",
    "check_version",
    "clean_bezwaar",
    "create_draft",
    "effective_level_label",
    "health_open",
    "ontzorgen_for",
    "ontzorgen_labels",
    "record_client_response",
    "record_pip_read",
    "record_progress_talk",
    "register_bezwaar",
    "reject",
    "submit",
    "termijn_of",
    "update_bezwaar",
    "update_draft",
]
