"""Changing the leerroute and lowering the exam level to A2 (W 17 lid 2 and 3, B 5.4, B 5.5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .dates import period_end
from .deadlines import ROUTE_SWITCH_MONTHS
from .enums import Leerroute
from .errors import RuleInputError

AFSCHALEN_MIN_NT2_HOURS = 600
"""B 5.5 lid 1: aanzienlijke inspanningen need "in totaal 600 cursusuren Nederlands als tweede taal"."""


class SwitchException(StrEnum):
    """The exceptions to the 18-month window of B 5.4 lid 1."""

    NON_EXEMPTING_EDUCATION = "non_exempting_education"
    """B 5.4 lid 2: after finishing or leaving a niet-vrijstellende opleiding (B 4.3 lid 2)."""
    SPECIAL_CASE = "special_case"
    """B 5.4 lid 3: "In bijzondere gevallen"."""


class SwitchReason(StrEnum):
    """Why a route switch is or is not allowed; the first that holds, in this order."""

    SAME_ROUTE = "same_route"
    ONDERWIJS_TO_B1 = "onderwijs_to_b1"
    WITHIN_WINDOW = "within_window"
    NON_EXEMPTING_EDUCATION = "non_exempting_education"
    SPECIAL_CASE = "special_case"
    WINDOW_CLOSED = "window_closed"


@dataclass(frozen=True, slots=True)
class RouteSwitch:
    """The outcome of :func:`route_switch`; ``switch_until_on`` is the last day of the 18-month window."""

    allowed: bool
    reason: SwitchReason
    switch_until_on: date


def route_switch(
    *,
    termijn_start_on: date,
    decided_on: date,
    from_route: Leerroute,
    to_route: Leerroute,
    exception: SwitchException | None = None,
) -> RouteSwitch:
    """Decide whether the college may set a new leerroute (Wet inburgering 2021 art. 17.2; Besluit art. 5.4).

    B 5.4 lid 1: the termijn for a switch is at most anderhalf jaar from the start of the W 11 termijn, except
    that the onderwijsroute may be changed into the B1-route during the whole traject. The window is a period
    of 18 months starting on ``termijn_start_on`` (ADR 0006); a switch decided on its last day is within it.
    Outside it, B 5.4 lid 2 (a niet-vrijstellende opleiding ended) and lid 3 (bijzondere gevallen) allow it.
    """
    until = period_end(termijn_start_on, months=ROUTE_SWITCH_MONTHS)
    if from_route == to_route:
        return RouteSwitch(allowed=False, reason=SwitchReason.SAME_ROUTE, switch_until_on=until)
    if from_route == Leerroute.ONDERWIJS and to_route == Leerroute.B1:
        reason = SwitchReason.ONDERWIJS_TO_B1
    elif decided_on <= until:
        reason = SwitchReason.WITHIN_WINDOW
    elif exception is not None:
        reason = SwitchReason(exception.value)
    else:
        return RouteSwitch(allowed=False, reason=SwitchReason.WINDOW_CLOSED, switch_until_on=until)
    return RouteSwitch(allowed=True, reason=reason, switch_until_on=until)


class AfschalenReason(StrEnum):
    """Why lowering to A2 is or is not allowed; the first failing check, in this order."""

    NOT_B1_ROUTE = "not_b1_route"
    UNDER_600_HOURS = "under_600_hours"
    INSUFFICIENT_EFFORT = "insufficient_effort"
    B1_REACHABLE = "b1_reachable"
    ALLOWED = "allowed"


@dataclass(frozen=True, slots=True)
class Afschalen:
    """The outcome of :func:`afschalen`."""

    allowed: bool
    reason: AfschalenReason


def afschalen(
    *,
    leerroute: Leerroute,
    nt2_course_hours: Decimal | int,
    sufficient_effort: bool,
    b1_reachable_in_termijn: bool,
) -> Afschalen:
    """Decide whether the college may examine the language at A2 (Wet inburgering 2021 art. 17 lid 3; B 5.5).

    W 17 lid 3: only for the B1-route, after aanzienlijke inspanningen, when B1 is not reachable within the
    (extended or new) termijn. B 5.5 lid 1: aanzienlijke inspanningen are 600 NT2 course hours (intake hours
    may be credited, lid 2) and sufficient effort during those lessons. No time window applies.
    """
    if nt2_course_hours < 0:
        raise RuleInputError(f"nt2_course_hours must not be negative, got {nt2_course_hours}")
    if leerroute != Leerroute.B1:
        reason = AfschalenReason.NOT_B1_ROUTE
    elif nt2_course_hours < AFSCHALEN_MIN_NT2_HOURS:
        reason = AfschalenReason.UNDER_600_HOURS
    elif not sufficient_effort:
        reason = AfschalenReason.INSUFFICIENT_EFFORT
    elif b1_reachable_in_termijn:
        reason = AfschalenReason.B1_REACHABLE
    else:
        return Afschalen(allowed=True, reason=AfschalenReason.ALLOWED)
    return Afschalen(allowed=False, reason=reason)
