"""How long personal data may be kept: client files (Besluit inburgering 2021 art. 9.9), the SEPA payment files of
ontzorgen (AWR art. 52 lid 4) and the stored CBS delivery files (our default, the gemeente's choice)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .dates import period_end
from .statistics import cbs_levering

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


CBS_DELIVERY_RETENTION_YEARS = 2
"""Our default term for a stored CBS delivery file (Statistiek Wet inburgering, Wi 2021 art. 39, B 9.12). No law sets
it: the Wet and the Besluit name the duty to deliver, not how long the gemeente keeps its copy. The file holds BSNs,
so the AVG (art. 5 lid 1 sub e, opslagbeperking) asks that it goes once it is no longer needed; how long that is
follows the gemeente's own archive policy (the selectielijst it applies), so the two years are a choice, not law."""


def cbs_delivery_retention(*, year: int, quarter: int) -> date:
    """Return the last day a stored CBS file for ``quarter`` of ``year`` may be kept: two years after the quarter.

    Why two years: the file is needed until CBS has processed it and no correction of that quarter can follow. The
    files of the four quarters after it may still correct its records (``monitoring.cbs.services``,
    ``CORRECTION_QUARTERS``); the last of those is due four weeks after the fourth next quarter, about thirteen
    months after the quarter ended. The second year leaves room for CBS's questions about what it received. Every
    version of the quarter (also one replaced by a later version) gets the same term.

    No statute sets this term (see ``CBS_DELIVERY_RETENTION_YEARS``): it is the gemeente's choice under its
    selectielijst, and this is our default. The third quarter of 2026 (1 July - 30 September) is kept until
    30 September 2028 and destroyed from 1 October 2028 on. The quarter must be one of the SWI
    (``statistics.cbs_levering``: from 2022, quarter 1-4), otherwise :class:`RuleInputError`.
    """
    quarter_end = cbs_levering(year=year, quarter=quarter).period_end_on
    # The last day of a quarter (31 March, 30 June, 30 September, 31 December) exists in every year.
    return quarter_end.replace(year=quarter_end.year + CBS_DELIVERY_RETENTION_YEARS)
