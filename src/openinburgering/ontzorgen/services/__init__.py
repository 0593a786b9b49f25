"""Every change in financieel ontzorgen (#13): the period and maatwerk of a file, a Pw 57 extension, the
machtiging, the obligations (vaste lasten), the gemeente's account, and the monthly payment run with its four-eyes
approval and SEPA file. Keyword-only, atomic, audited in the same transaction. The period comes only from
``rules.ontzorgen``; money is integer cents.

How a run decides what to pay (documented in docs/ontzorgen.md):

- **Regular**: each obligation of a file whose ontzorgen covers the month, whose kind the gemeente pays for this
  person (maatwerk), that covers the month itself, with a standing machtiging or consent and a valid IBAN: one
  ``due`` entry of its monthly amount. A partial month is paid in full (the creditor bills by month).
- **Corrections**: an obligation changed with effect in a month already in an approved run (``corrections_from``)
  is checked again for those months: the difference between what is owed now and what was booked becomes a
  ``corrected`` entry pointing at the booked ``due`` (or, when nothing was booked, a ``due`` for that month).
- **Payment**: per obligation the sum of this run's entries plus an earlier credit with the creditor (paid too
  much before, ``selectors.credits_in``); when it is above zero, one credit transfer with a unique end-to-end id.
  A sum at or below zero is a credit with the creditor: booked, shown, not paid.
- **Catch-up**: months no approved run covered (before the gemeente's first run, or a month without a run) that
  are owed are paid in the next run, once (``plan.py``).
- **Paid too much**: when the period shrinks or an obligation ends back in time, months already paid are
  corrected at once with a negative entry (``corrections.py``); the credit is reclaimed or settled.
- Obligations without a valid IBAN or without a machtiging are left out (nothing booked) and are on the worklist.
"""

from .common import EARLIEST_MONTH, MAX_AMOUNT_CENTS, PURPOSE, TEXT_LIMIT, format_cents, parse_euros
from .ledger import append_ledger_entry
from .obligations import MONEY_FIELDS, change_obligation, check_obligation, record_obligation
from .plan import RunPlan, plan_run
from .record import check_ontzorgen, extend_ontzorgen, record_machtiging, record_ontzorgen, save_settings
from .runs import (
    approve_run,
    build_run,
    end_to_end_id,
    message_id_for,
    record_file_download,
    remittance_for,
)

__all__ = [
    "EARLIEST_MONTH",
    "MAX_AMOUNT_CENTS",
    "MONEY_FIELDS",
    "PURPOSE",
    "TEXT_LIMIT",
    "RunPlan",
    "append_ledger_entry",
    "approve_run",
    "build_run",
    "change_obligation",
    "check_obligation",
    "check_ontzorgen",
    "end_to_end_id",
    "extend_ontzorgen",
    "format_cents",
    "message_id_for",
    "parse_euros",
    "plan_run",
    "record_file_download",
    "record_machtiging",
    "record_obligation",
    "record_ontzorgen",
    "remittance_for",
    "save_settings",
]
