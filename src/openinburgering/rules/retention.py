"""How long personal data may be kept (Besluit inburgering 2021 art. 9.9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .dates import period_end

RETENTION_YEARS = 5
"""B 9.9 lid 1 sub a: delete "na verloop van vijf jaren na beëindiging van de inburgeringsplicht"."""

CORE_RETENTION_MAX_YEARS = 50
"""B 9.9 lid 2: identity data and the voldaan/vrijstelling/ontheffing facts at most fifty years."""


@dataclass(frozen=True, slots=True)
class Retention:
    """The outcome of :func:`retention`; ``core_max_years`` is the outer limit for the B 9.9 lid 2 data."""

    retain_until_on: date
    core_max_years: int


def retention(*, plicht_ended_on: date) -> Retention:
    """Return the last day personal data may be kept (Besluit inburgering 2021 art. 9.9 lid 1 sub a).

    Five years after the plicht ended: the last day of a 5-year period starting the day after
    ``plicht_ended_on``. Lid 1 sub b (deletion on death) and lid 3 (loan data) are not computed here. The data
    of lid 2 (BSN, name, address, date of birth, vrijstelling, ontheffing, how the plicht was met) may be kept
    at most 50 years; the Besluit gives no start for that period, so no date is computed.
    """
    return Retention(
        retain_until_on=period_end(plicht_ended_on + timedelta(days=1), years=RETENTION_YEARS),
        core_max_years=CORE_RETENTION_MAX_YEARS,
    )


PAYMENT_FILE_RETENTION_YEARS = 7
"""The gemeente's financial records are kept seven years (Algemene wet inzake rijksbelastingen art. 52 lid 4, the
fiscal bewaarplicht; the Selectielijst gemeenten en intergemeentelijke organen 2020 gives financial records the same
seven years). A gemeente with a longer term in its own archive policy must not run the payment file destruction."""


def payment_file_retention(*, approved_on: date) -> date:
    """Return the last day a payment run's SEPA file may be kept (AWR art. 52 lid 4: seven years).

    The seven years count from the end of the calendar year (boekjaar) in which the run was approved: a file
    approved on 15 March 2026 is kept until 31 December 2033 and destroyed from 1 January 2034 on.
    """
    return date(approved_on.year + PAYMENT_FILE_RETENTION_YEARS, 12, 31)
