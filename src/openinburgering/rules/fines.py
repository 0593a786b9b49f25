"""Boetes imposed by the college: W 22 (brede intake) and W 23 (PIP), with W 26, W 27 and B 7.1."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from .dates import atw_shift, months_before, period_end
from .errors import RuleInputError
from .intake import INTAKE_FINE
from .money import ZERO, cents

REGULAR_CAP = cents(2400)
"""B 7.1 lid 5: W 22 + W 23 boetes total at most € 2.400 during the (extended) termijn."""

NEW_TERM_MONTHS = 2
"""W 22 lid 2: "een nieuwe termijn van ten hoogste twee maanden" after the boetebeschikking is published."""

PIP_FINE_BASE = cents(50)
"""B 7.1 lid 2: the W 23 boete is € 50."""

PIP_FINE_MAX = cents(800)
"""B 7.1 lid 3 and W 26 lid 1 sub c: the W 23 boete is at most € 800."""

REPEAT_WINDOW_MONTHS = 12
"""B 7.1 lid 3: an earlier violation counts when established in the twelve months before the new one."""


def _check_money(**amounts: Decimal) -> None:
    """Reject negative amounts of money."""
    for name, amount in amounts.items():
        if amount < 0:
            raise RuleInputError(f"{name} must not be negative, got {amount}")


def _limit(amount: Decimal, *, cap: Decimal, fines_total: Decimal) -> tuple[Decimal, bool]:
    """Limit ``amount`` to what is left under ``cap`` (never below 0); also tell whether the cap bit."""
    remaining = max(cap - fines_total, ZERO)
    return cents(min(amount, remaining)), amount > remaining


@dataclass(frozen=True, slots=True)
class FineIntake:
    """The outcome of :func:`fine_intake`; ``capped`` tells whether the B 7.1 lid 5 cap lowered the amount."""

    amount: Decimal
    new_term_until_on: date | None
    capped: bool


def fine_intake(
    *,
    bijstand_reduced_for_same_conduct: bool = False,
    fines_total: Decimal = ZERO,
    cap: Decimal = REGULAR_CAP,
    published_on: date | None = None,
) -> FineIntake:
    """Return the boete for the brede intake (Wet inburgering 2021 art. 22, 27; Besluit art. 7.1).

    B 7.1 lid 1: € 250, limited so that the W 22 + W 23 boetes stay within ``cap`` (lid 5); nothing when the
    bijstand was already lowered for the same conduct (W 27). W 22 lid 2: the boetebeschikking sets a new term
    of at most two months after its bekendmaking: the last day of a 2-month period from the day after
    ``published_on``, moved by the Atw (a period of at most 3 months, Atw art. 1, 4).
    """
    _check_money(fines_total=fines_total, cap=cap)
    new_term_until = None
    if published_on is not None:
        new_term_until = atw_shift(period_end(published_on + timedelta(days=1), months=NEW_TERM_MONTHS))
    if bijstand_reduced_for_same_conduct:
        return FineIntake(amount=ZERO, new_term_until_on=new_term_until, capped=False)
    amount, capped = _limit(INTAKE_FINE, cap=cap, fines_total=fines_total)
    return FineIntake(amount=amount, new_term_until_on=new_term_until, capped=capped)


class Culpability(StrEnum):
    """The degree of verwijtbaarheid (B 7.1 lid 4) with its percentage of the boete."""

    OPZET = "opzet"
    GROVE_SCHULD = "grove_schuld"
    NORMAAL = "normaal"
    VERMINDERD = "verminderd"

    @property
    def percentage(self) -> int:
        """B 7.1 lid 4: opzet 100 %, grove schuld 75 %, neither 50 %, verminderde verwijtbaarheid 25 %."""
        return {"opzet": 100, "grove_schuld": 75, "normaal": 50, "verminderd": 25}[self.value]


class TermijnKind(StrEnum):
    """The termijn a boete falls in, which sets the cap of B 7.1 lid 5."""

    REGULAR = "regular"
    NEW_6M = "new_6m"
    NEW_12M = "new_12m"
    NEW_18M = "new_18m"
    NEW_24M = "new_24m"

    @property
    def cap(self) -> Decimal:
        """B 7.1 lid 5: € 2.400 in the (extended) termijn; € 400/800/1.200/1.600 in a new W 24/25 termijn."""
        amounts = {"regular": 2400, "new_6m": 400, "new_12m": 800, "new_18m": 1200, "new_24m": 1600}
        return cents(amounts[self.value])


@dataclass(frozen=True, slots=True)
class PreviousW23:
    """An earlier W 23 violation: the day it was established, and whether its boete is onherroepelijk."""

    established_on: date
    final: bool


@dataclass(frozen=True, slots=True)
class FinePip:
    """The outcome of :func:`fine_pip`.

    ``base_amount`` is min(50 * 2^``repeat_count``, 800); ``amount`` is that times the culpability percentage,
    limited by the cap (``capped``), or 0 under W 27.
    """

    amount: Decimal
    base_amount: Decimal
    repeat_count: int
    capped: bool


def repeat_count(*, established_on: date, previous_w23: Sequence[PreviousW23]) -> int:
    """B 7.1 lid 3: the earlier W 23 violations with an onherroepelijke boete in the 12 months before.

    The window runs from the same calendar date a year earlier (a date that does not exist rolls to the first
    of the next month) up to the day before ``established_on``, both included (ADR 0004).
    """
    window_start = months_before(established_on, REPEAT_WINDOW_MONTHS)
    return sum(
        1 for previous in previous_w23 if previous.final and window_start <= previous.established_on < established_on
    )


def fine_pip(
    *,
    culpability: Culpability,
    established_on: date,
    previous_w23: Sequence[PreviousW23] = (),
    fines_total: Decimal = ZERO,
    termijn_kind: TermijnKind = TermijnKind.REGULAR,
    bijstand_reduced_for_same_conduct: bool = False,
) -> FinePip:
    """Return the boete for not following the PIP (Wet inburgering 2021 art. 23, 26, 27; Besluit art. 7.1).

    B 7.1 lid 2 and 3: € 50, raised by 100 % for each earlier W 23 violation established in the 12 months
    before whose boete is onherroepelijk, to at most € 800 (W 26 lid 1 sub c); lid 4: then the culpability
    percentage (ADR 0004: the cap applies before the percentage). Lid 5: the total of W 22 + W 23 boetes in
    the termijn stays within the cap of ``termijn_kind``. W 27: no boete when the bijstand was lowered for the
    same conduct.
    """
    _check_money(fines_total=fines_total)
    count = repeat_count(established_on=established_on, previous_w23=previous_w23)
    base = min(PIP_FINE_BASE * 2 ** min(count, 5), PIP_FINE_MAX)
    if bijstand_reduced_for_same_conduct:
        return FinePip(amount=ZERO, base_amount=base, repeat_count=count, capped=False)
    amount, capped = _limit(cents(base * culpability.percentage / 100), cap=termijn_kind.cap, fines_total=fines_total)
    return FinePip(amount=amount, base_amount=base, repeat_count=count, capped=capped)
