"""The quarterly delivery to CBS for the Statistiek Wet inburgering (SWI): its period and its deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .dates import add_months
from .errors import RuleInputError

CBS_DELIVERY_WEEKS = 4
"""CBS, "Wet Inburgering" (deelnemers enquêtes, decentrale overheden): "Na afloop van ieder kwartaal zijn alle
gemeenten en berichtgevers van gemeenten verplicht om de gegevens ten behoeve van de SWI over het kwartaal uiterlijk
binnen 4 weken aan te leveren aan het CBS"."""

FIRST_YEAR = 2022
"""The Wet inburgering 2021 applies from 1 January 2022; there is no SWI delivery for an earlier quarter."""


@dataclass(frozen=True, slots=True)
class CbsLevering:
    """The outcome of :func:`cbs_levering`: the first and last day of the quarter (inclusive) and the last day the
    gemeente may deliver its file for it."""

    period_start_on: date
    period_end_on: date
    deliver_by_on: date


def cbs_levering(*, year: int, quarter: int) -> CbsLevering:
    """Return the period and the delivery deadline of the SWI file for one quarter (Wet inburgering 2021 art. 39;
    Besluit inburgering 2021 art. 9.12: the college provides CBS with the data for the statistics).

    The law names the duty; the rhythm and the term are CBS's agreement with the gemeenten (its SWI guidelines and
    web page): each quarter, at the latest within 4 weeks after the quarter has ended. "Within 4 weeks after" the
    last day of the quarter ends on the same weekday 4 weeks later (the convention of :func:`add_weeks`). This is
    an agreed term, not a term set by law, so the Algemene termijnenwet does not move it off a weekend.
    """
    if quarter not in (1, 2, 3, 4):
        raise RuleInputError(f"quarter must be 1, 2, 3 or 4, got {quarter}")
    if year < FIRST_YEAR:
        raise RuleInputError(f"the SWI starts with {FIRST_YEAR}, got {year}")
    start = date(year, 3 * (quarter - 1) + 1, 1)
    end = add_months(start, 3) - timedelta(days=1)
    return CbsLevering(
        period_start_on=start,
        period_end_on=end,
        deliver_by_on=end + timedelta(weeks=CBS_DELIVERY_WEEKS),
    )
