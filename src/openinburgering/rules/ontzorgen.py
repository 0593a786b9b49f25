"""Financieel ontzorgen of asielstatushouders on bijstand (Participatiewet art. 56a; W 15 lid 3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .dates import add_months, period_end
from .enums import Residence
from .errors import RuleInputError

ONTZORGEN_MONTHS = 6
"""Pw 56a lid 2: "gedurende een periode van zes maanden, gerekend vanaf de dag waarop het recht op bijstand
ontstaat"."""


class OntzorgenItem(StrEnum):
    """The fixed costs the college pays from the bijstand (Pw 56a lid 2)."""

    HUUR = "huur"
    GAS = "gas"
    WATER = "water"
    STROOM = "stroom"
    ZORGVERZEKERING = "zorgverzekering"


class OntzorgenReason(StrEnum):
    """Why ontzorgen does or does not apply; the first failing condition, in this order."""

    APPLIES = "applies"
    NOT_PLICHTIG_WI2021 = "not_plichtig_wi2021"
    NOT_ASIEL = "not_asiel"
    NO_BIJSTAND = "no_bijstand"


@dataclass(frozen=True, slots=True)
class Ontzorgen:
    """The outcome of :func:`ontzorgen`; dates are None and ``items`` empty when it does not apply."""

    applies: bool
    reason: OntzorgenReason
    start_on: date | None
    end_on: date | None
    items: tuple[OntzorgenItem, ...]


def ontzorgen(
    *,
    plichtig_wi2021: bool,
    residence: Residence,
    receives_bijstand: bool,
    bijstand_start_on: date | None = None,
    bijstand_end_on: date | None = None,
    extended_until_on: date | None = None,
) -> Ontzorgen:
    """Decide the ontzorgen duty and its period (Participatiewet art. 56a; Wet inburgering 2021 art. 15.3).

    Pw 56a lid 1: for a person plichtig under the Wet inburgering 2021 with an asylum permit (Vw 2000
    art. 28); family members on a regular permit fall outside it. Lid 2: the college attaches to the bijstand
    the duty to let it pay huur, gas, water, stroom and the verplichte zorgverzekering for six months from the
    day the right to bijstand arises: the last day of a 6-month period from ``bijstand_start_on``, or
    ``bijstand_end_on`` when earlier. Since April 2023 the gemeente may tailor the items; ``items`` gives the
    statutory default.

    Pw 57: the college may continue the duty after the six months by decision; ``extended_until_on`` is the last
    day of that decision (it lengthens the period, never shortens it). The end of the bijstand ends ontzorgen in
    every case.
    """
    if not plichtig_wi2021:
        reason = OntzorgenReason.NOT_PLICHTIG_WI2021
    elif residence != Residence.ASIEL:
        reason = OntzorgenReason.NOT_ASIEL
    elif not receives_bijstand:
        reason = OntzorgenReason.NO_BIJSTAND
    else:
        if bijstand_start_on is None:
            raise RuleInputError("missing input: bijstand_start_on is needed when receives_bijstand is true")
        if bijstand_end_on is not None and bijstand_end_on < bijstand_start_on:
            raise RuleInputError("bijstand_end_on must not be before bijstand_start_on")
        end = period_end(bijstand_start_on, months=ONTZORGEN_MONTHS)
        if extended_until_on is not None:
            end = max(end, extended_until_on)
        if bijstand_end_on is not None:
            end = min(end, bijstand_end_on)
        return Ontzorgen(
            applies=True,
            reason=OntzorgenReason.APPLIES,
            start_on=bijstand_start_on,
            end_on=end,
            items=tuple(OntzorgenItem),
        )
    return Ontzorgen(applies=False, reason=reason, start_on=None, end_on=None, items=())


LOSLATEN_MONTHS = 2
"""Begeleid loslaten (#13 item 5): the plan toward financial self-reliance covers the last two months of ontzorgen.
A gemeente task since 2022 (Divosa handreiking), legally part of the PIP's ondersteuning en begeleiding
(W 15 lid 1 onder b); the law sets no period, this is the project's policy reading."""


def loslaten_starts_on(*, ontzorgen_end_on: date) -> date:
    """The first day of the last two months of ontzorgen ending on ``ontzorgen_end_on`` (W 15 lid 1 onder b with
    Pw art. 56a lid 2): ontzorgen ending 2026-06-30 gives 2026-05-01; ending 2026-08-15 gives 2026-06-16."""
    return add_months(ontzorgen_end_on + timedelta(days=1), -LOSLATEN_MONTHS)


@dataclass(frozen=True, slots=True)
class LoslatenDates:
    """When the steps of begeleid loslaten are due (see :func:`loslaten_dates`)."""

    starts_on: date
    budgetcoaching_on: date
    zelf_betalen_on: date
    ends_on: date


def loslaten_dates(*, ontzorgen_end_on: date) -> LoslatenDates:
    """The plan for financial self-reliance in the last two months of ontzorgen (W 15 lid 1 onder b; Pw art. 56a
    lid 2 for the end): budget coaching starts on the first day of the last two months, the client pays one
    obligation themself from one month later (so one payment is made by the client before ontzorgen ends), and
    the end step (the letter) falls on the last day of ontzorgen. Policy reading of the Divosa handreiking; the
    law sets no such dates."""
    starts_on = loslaten_starts_on(ontzorgen_end_on=ontzorgen_end_on)
    return LoslatenDates(
        starts_on=starts_on,
        budgetcoaching_on=starts_on,
        zelf_betalen_on=min(add_months(starts_on, 1), ontzorgen_end_on),
        ends_on=ontzorgen_end_on,
    )
