"""Who is inburgeringsplichtig, and under which law (W 3, B 2.2, W 54)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .dates import add_months
from .enums import TEMPORARY_PURPOSES, Doelgroep, Residence, ResidencePurpose

MIN_AGE_YEARS = 16
"""W 3 lid 1: "die 16 jaar of ouder is"."""

WI2021_FROM = date(2022, 1, 1)
"""W 54 lid 1: the Wet inburgering 2021 applies to people who become plichtig on or after 1 January 2022."""

AOW_AGE_MONTHS: dict[int, int] = {
    2013: 65 * 12 + 1,
    2014: 65 * 12 + 2,
    2015: 65 * 12 + 3,
    2016: 65 * 12 + 6,
    2017: 65 * 12 + 9,
    2018: 66 * 12,
    2019: 66 * 12 + 4,
    2020: 66 * 12 + 4,
    2021: 66 * 12 + 4,
    2022: 66 * 12 + 7,
    2023: 66 * 12 + 10,
    2024: 67 * 12,
    2025: 67 * 12,
    2026: 67 * 12,
    2027: 67 * 12,
    2028: 67 * 12,
}
"""The pensioengerechtigde leeftijd (AOW art. 7a lid 1) per calendar year in months, per the catalogue."""

AOW_AGE_MONTHS_BEFORE_2013 = 65 * 12
"""The AOW age before 2013: 65 years."""

AOW_AGE_MONTHS_FROM_2029 = 67 * 12 + 3
"""The AOW age from 2029 on, as the catalogue fixes it: 67 years and 3 months."""


class PlichtReason(StrEnum):
    """Why someone is, or is not, inburgeringsplichtig; checks run in this order after ``plichtig``."""

    PLICHTIG = "plichtig"
    TOO_YOUNG = "too_young"
    AOW_AGE = "aow_age"
    EU = "eu"
    TEMPORARY_PURPOSE = "temporary_purpose"
    NO_QUALIFYING_RESIDENCE = "no_qualifying_residence"
    LONG_TERM_RESIDENT_ELSEWHERE = "long_term_resident_elsewhere"
    TREATY = "treaty"


class Law(StrEnum):
    """The integration law that governs a plicht (W 54)."""

    WI2021 = "wi2021"
    WI2013 = "wi2013"


@dataclass(frozen=True, slots=True)
class Inburgeringsplicht:
    """The outcome of :func:`inburgeringsplicht`."""

    plichtig: bool
    reason: PlichtReason
    doelgroep: Doelgroep | None
    law: Law | None


def aow_age_months(year: int) -> int:
    """Return the AOW age, in months, that the catalogue fixes for a residence right starting in ``year``."""
    if year < min(AOW_AGE_MONTHS):
        return AOW_AGE_MONTHS_BEFORE_2013
    return AOW_AGE_MONTHS.get(year, AOW_AGE_MONTHS_FROM_2029)


def _is_temporary(purpose: ResidencePurpose, *, temporary_by_decision: bool) -> bool:
    """B 2.2: temporary by the list or by decision of the IND; a geestelijk bedienaar never is (W 3.1 b)."""
    if purpose == ResidencePurpose.GEESTELIJK_BEDIENAAR:
        return False
    return temporary_by_decision or purpose in TEMPORARY_PURPOSES


def _doelgroep(residence: Residence, purpose: ResidencePurpose) -> Doelgroep:
    """W 13 lid 1 and W 19: the doelgroep of a plichtige."""
    if residence == Residence.ASIEL or purpose == ResidencePurpose.GEZIN_BIJ_ASIELSTATUSHOUDER:
        return Doelgroep.ASIELSTATUSHOUDER
    if purpose in (ResidencePurpose.GEZINSHERENIGING, ResidencePurpose.GEZINSVORMING):
        return Doelgroep.GEZINSMIGRANT
    return Doelgroep.OVERIG


def inburgeringsplicht(
    *,
    birth_on: date,
    residence: Residence,
    residence_from_on: date,
    residence_purpose: ResidencePurpose | None = None,
    temporary_by_decision: bool = False,
    long_term_resident_elsewhere: bool = False,
    treaty_exempt: bool = False,
) -> Inburgeringsplicht:
    """Decide whether someone is inburgeringsplichtig (Wet inburgering 2021 art. 3; Besluit art. 2.2; W 54).

    W 3 lid 1: plichtig is the vreemdeling who obtains lawful residence under Vw 2000 art. 8 sub a or c, is
    16 or older and has not reached the AOW age, and stays other than for a temporary purpose (B 2.2) or is a
    geestelijk bedienaar. W 3 lid 2 excludes EU/EEA/Swiss citizens and their family members (sub a, b),
    long-term residents who met an integration requirement elsewhere (sub c) and treaty cases (sub d).

    Age is taken on ``residence_from_on``; an age is reached on the anniversary computed like
    :func:`~openinburgering.rules.dates.add_months` (born 29 February: 1 March in other years). The checks run
    in the order of :class:`PlichtReason`. ``residence_purpose`` matters only for ``regulier`` (none counts as
    ``overig``) and ``temporary_by_decision`` (B 2.2 lid 2) only for a regular permit.
    ``law`` is ``wi2021`` from 2022-01-01 (W 54 lid 1), else ``wi2013``.
    """
    purpose = residence_purpose if residence == Residence.REGULIER and residence_purpose else ResidencePurpose.OVERIG
    if residence_from_on < add_months(birth_on, 12 * MIN_AGE_YEARS):
        reason = PlichtReason.TOO_YOUNG
    elif residence_from_on >= add_months(birth_on, aow_age_months(residence_from_on.year)):
        reason = PlichtReason.AOW_AGE
    elif residence == Residence.EU:
        reason = PlichtReason.EU
    elif residence == Residence.REGULIER and _is_temporary(purpose, temporary_by_decision=temporary_by_decision):
        reason = PlichtReason.TEMPORARY_PURPOSE
    elif residence == Residence.OTHER:
        reason = PlichtReason.NO_QUALIFYING_RESIDENCE
    elif long_term_resident_elsewhere:
        reason = PlichtReason.LONG_TERM_RESIDENT_ELSEWHERE
    elif treaty_exempt:
        reason = PlichtReason.TREATY
    else:
        law = Law.WI2021 if residence_from_on >= WI2021_FROM else Law.WI2013
        return Inburgeringsplicht(
            plichtig=True, reason=PlichtReason.PLICHTIG, doelgroep=_doelgroep(residence, purpose), law=law
        )
    return Inburgeringsplicht(plichtig=False, reason=reason, doelgroep=None, law=None)
