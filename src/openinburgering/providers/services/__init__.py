"""Every change of the providers app: providers and contracts (contractmanager), enrolments (klantregisseur),
accept/decline, weekly reports, exam results and CSV uploads (provider). Keyword-only, atomic, audited in the same
transaction; bad input raises ApplicationError with Dutch B1 messages and writes nothing.

Concurrency: an enrolment locks its contract row (capacity is counted under the lock, so two klantregisseurs
cannot take the last place twice); a provider's reports lock the provider row (a week is written by one request at
a time); a CSV file is stored with its hash under a unique constraint (the same file twice changes nothing).

One module per subject (contracts, placements, reports, exams, milestones, csv_upload; shared helpers in
_common); this package re-exports their public names, so callers keep `from openinburgering.providers import services`.
"""

from ._common import (
    MAX_HOURS,
    MAX_HOURS_PER_WEEK,
    PURPOSE,
    PURPOSE_CONTRACTS,
    record_enrolment_read,
    record_enrolment_reads,
    record_file_read,
)
from .contracts import PRICE_FIELDS, PRICE_LABELS, SCOPE_GEMEENTE, SCOPE_REGIO, save_contract, save_provider
from .csv_upload import (
    CSV_COLUMNS,
    MAX_CSV_BYTES,
    MAX_CSV_ROWS,
    ROW_FIELD_NAMES,
    CsvResult,
    csv_rules,
    csv_template,
    import_csv,
)
from .exams import record_exam_result
from .milestones import MILESTONE_NOTE_LIMIT, record_milestone
from .placements import NEEDS_REASON, accept, change_status, contract_covers_file, create_enrolment, decline
from .reports import (
    CREATED,
    HOUR_FIELDS,
    REPLACED,
    REPLACED_FIELDS,
    REPORT_FIELDS,
    REPORT_RULES,
    UNCHANGED,
    WEEK_RE,
    UploadRule,
    check_report,
    parse_week,
    row_hash,
    save_weekly_report,
)

__all__ = [
    "CREATED",
    "CSV_COLUMNS",
    "HOUR_FIELDS",
    "MAX_CSV_BYTES",
    "MAX_CSV_ROWS",
    "MAX_HOURS",
    "MAX_HOURS_PER_WEEK",
    "MILESTONE_NOTE_LIMIT",
    "NEEDS_REASON",
    "PRICE_FIELDS",
    "PRICE_LABELS",
    "PURPOSE",
    "PURPOSE_CONTRACTS",
    "REPLACED",
    "REPLACED_FIELDS",
    "REPORT_FIELDS",
    "REPORT_RULES",
    "ROW_FIELD_NAMES",
    "SCOPE_GEMEENTE",
    "SCOPE_REGIO",
    "UNCHANGED",
    "WEEK_RE",
    "CsvResult",
    "UploadRule",
    "accept",
    "change_status",
    "check_report",
    "contract_covers_file",
    "create_enrolment",
    "csv_rules",
    "csv_template",
    "decline",
    "import_csv",
    "parse_week",
    "record_enrolment_read",
    "record_enrolment_reads",
    "record_exam_result",
    "record_file_read",
    "record_milestone",
    "row_hash",
    "save_contract",
    "save_provider",
    "save_weekly_report",
]
