"""What each validated message does to the gemeente's files. Called only by ``signals.services`` inside the
message's own transaction; every file change goes through ``clients.services`` so the file's audit shows it.

Remit (who may hold the data): a message for a person DUO or COA relates to another gemeente, a message about a
person without an open file here (for events that need one), or a plicht that does not exist, is
*quarantined*: kept apart, never linked to or stored in a file, and purged later.
"""

from .coa import handle_coa_koppeling
from .common import FIELD_LABELS, NO_FILE, Outcome, change_status, update_file
from .duo import EXEMPTION_TEXT, LBT_DUO_TO_RULES, handle_duo_event

__all__ = [
    "EXEMPTION_TEXT",
    "FIELD_LABELS",
    "LBT_DUO_TO_RULES",
    "NO_FILE",
    "Outcome",
    "change_status",
    "handle_coa_koppeling",
    "handle_duo_event",
    "update_file",
]
