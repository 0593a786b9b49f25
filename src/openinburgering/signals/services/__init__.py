"""Receiving DUO events and COA koppelingen, corrections and retractions, quarantine and purge.

Each message is processed in its own transaction (a savepoint when the caller holds one): a bad message is
rejected with a Dutch reason and leaves nothing half-written, while the good messages in the same batch are
kept. Importing the same message again changes nothing: (gemeente, source, berichtId) is unique, and a second
arrival is only reported as ``duplicate`` (and audited as ``signal_duplicate_ignored``).
"""

from .common import PURPOSE_SIGNALS, ImportReport, MessageResult
from .quarantine import (
    purge_quarantined_signals,
    purge_signal,
    record_inbox_read,
    record_signal_read,
    resolve_file_signal,
)
from .receiving import import_coa_koppelingen, import_duo_events

__all__ = [
    "PURPOSE_SIGNALS",
    "ImportReport",
    "MessageResult",
    "import_coa_koppelingen",
    "import_duo_events",
    "purge_quarantined_signals",
    "purge_signal",
    "record_inbox_read",
    "record_signal_read",
    "resolve_file_signal",
]
