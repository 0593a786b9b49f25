"""The brede intake: the leerbaarheidstoets and the oproepen (W 14, W 22, B 7.1)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .errors import RuleInputError
from .money import ZERO, cents

LBT_MAX_SCORE = 40
"""The leerbaarheidstoets is scored out of 40."""

LBT_THRESHOLD_FROM = date(2023, 4, 12)
"""The day the cesuur of the leerbaarheidstoets was lowered from 31 to 28 (DUO, Divosa news)."""

LBT_THRESHOLD = 28
"""The cesuur for a toets taken on or after :data:`LBT_THRESHOLD_FROM`."""

LBT_THRESHOLD_BEFORE = 31
"""The cesuur for a toets taken before :data:`LBT_THRESHOLD_FROM`."""

INTAKE_FINE = cents(250)
"""Besluit inburgering 2021 art. 7.1 lid 1: the W 22 boete is € 250 (W 26 sub a caps it at € 250)."""

MAX_CALLS = 3
"""W 14 lid 2: after three oproepen the college completes the brede intake in absence."""


class LbtOutcome(StrEnum):
    """The outcome of the leerbaarheidstoets (DUO LBT API, W 14.6)."""

    ONTHEFFING = "ontheffing"
    HAALBAAR = "haalbaar"
    NIET_HAALBAAR = "niet_haalbaar"
    ONBEKEND = "onbekend"


@dataclass(frozen=True, slots=True)
class LbtResult:
    """The outcome of :func:`lbt_outcome`; ``threshold`` is None for ``ontheffing`` and ``onbekend``."""

    outcome: LbtOutcome
    threshold: int | None


def lbt_outcome(
    *,
    taken_on: date | None = None,
    score: int | None = None,
    visual_impairment: bool = False,
    auditive_impairment_unable: bool = False,
) -> LbtResult:
    """Read the result of the leerbaarheidstoets (Wet inburgering 2021 art. 14 lid 3 sub a and lid 6).

    W 14 lid 6: the college grants ontheffing from the toets for a visual impairment, or an auditive
    impairment that makes the person unable to take it. Otherwise the B1-route is haalbaar when the score (out
    of 40) reaches the cesuur: 28 for a toets taken on or after 2023-04-12, 31 before. Without a date or a
    score the outcome is ``onbekend``.
    """
    if score is not None and not 0 <= score <= LBT_MAX_SCORE:
        raise RuleInputError(f"score must be between 0 and {LBT_MAX_SCORE}, got {score}")
    if visual_impairment or auditive_impairment_unable:
        return LbtResult(outcome=LbtOutcome.ONTHEFFING, threshold=None)
    if taken_on is None or score is None:
        return LbtResult(outcome=LbtOutcome.ONBEKEND, threshold=None)
    threshold = LBT_THRESHOLD if taken_on >= LBT_THRESHOLD_FROM else LBT_THRESHOLD_BEFORE
    outcome = LbtOutcome.HAALBAAR if score >= threshold else LbtOutcome.NIET_HAALBAAR
    return LbtResult(outcome=outcome, threshold=threshold)


class CallStatus(StrEnum):
    """The status of one oproep for the brede intake."""

    PENDING = "pending"
    APPEARED = "appeared"
    NO_SHOW = "no_show"
    INSUFFICIENT_COOPERATION = "insufficient_cooperation"


FAILED_CALLS = frozenset({CallStatus.NO_SHOW, CallStatus.INSUFFICIENT_COOPERATION})
"""A call fails when the person does not appear or does not cooperate enough (W 14 lid 1, W 22 lid 1)."""


class IntakeStep(StrEnum):
    """What the college does next in the oproepen sequence."""

    FIRST_CALL = "first_call"
    NONE = "none"
    WAIT = "wait"
    WARNING_AND_REPEAT_CALL = "warning_and_repeat_call"
    FINE_AND_NEW_TERM = "fine_and_new_term"
    FINE_AND_INTAKE_IN_ABSENCE = "fine_and_intake_in_absence"


@dataclass(frozen=True, slots=True)
class IntakeNextStep:
    """The outcome of :func:`intake_next_step`; ``fine`` is the W 22 boete to impose now (€ 0.00 or € 250)."""

    next_step: IntakeStep
    fine: Decimal


_STEP_AFTER_FAILED_CALL = {
    1: IntakeStep.WARNING_AND_REPEAT_CALL,
    2: IntakeStep.FINE_AND_NEW_TERM,
    3: IntakeStep.FINE_AND_INTAKE_IN_ABSENCE,
}


def intake_next_step(*, calls: Sequence[CallStatus] = ()) -> IntakeNextStep:
    """Decide the next step after the oproepen so far, oldest first (Wet inburgering 2021 art. 14, 22; B 7.1).

    W 14 lid 1: a failed first oproep gives a schriftelijke waarschuwing and a herhaalde oproep. W 22 lid 1:
    missing the termijn of that herhaalde oproep gives a € 250 boete, whose beschikking sets a new termijn of
    at most two months (W 22 lid 2). W 22 lid 3 and W 14 lid 2: missing that too gives another € 250 and the
    intake is completed in absence. A call is failed when it is ``no_show`` or ``insufficient_cooperation``;
    only the last call may be ``pending`` or ``appeared``, and more than three calls is an input error.
    """
    if len(calls) > MAX_CALLS:
        raise RuleInputError(f"at most {MAX_CALLS} calls (W 14 lid 2), got {len(calls)}")
    if any(call not in FAILED_CALLS for call in calls[:-1]):
        raise RuleInputError("only the last call may be pending or appeared: a new call follows a failed one")
    if not calls:
        return IntakeNextStep(next_step=IntakeStep.FIRST_CALL, fine=ZERO)
    if calls[-1] == CallStatus.APPEARED:
        return IntakeNextStep(next_step=IntakeStep.NONE, fine=ZERO)
    if calls[-1] == CallStatus.PENDING:
        return IntakeNextStep(next_step=IntakeStep.WAIT, fine=ZERO)
    step = _STEP_AFTER_FAILED_CALL[len(calls)]
    fine = ZERO if step == IntakeStep.WARNING_AND_REPEAT_CALL else INTAKE_FINE
    return IntakeNextStep(next_step=step, fine=fine)
