"""Inputs no rule can apply the law to raise RuleInputError; the Python API behaves as documented."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from openinburgering.rules import (
    CallStatus,
    Doelgroep,
    ExamPart,
    Leerroute,
    Level,
    Residence,
    RuleInputError,
    afschalen,
    extension_for_effort,
    fine_intake,
    fine_pip,
    intake_next_step,
    lbt_outcome,
    ontzorgen,
    pip_validation,
    termijn,
    voldaan,
)
from openinburgering.rules.fines import Culpability, TermijnKind
from openinburgering.rules.plicht import aow_age_months


@pytest.mark.parametrize("score", [-1, 41])
def test_lbt_score_outside_0_to_40(score: int) -> None:
    with pytest.raises(RuleInputError, match=f"score must be between 0 and 40, got {score}"):
        lbt_outcome(taken_on=date(2025, 1, 1), score=score)


def test_more_than_three_calls() -> None:
    with pytest.raises(RuleInputError, match=r"at most 3 calls \(W 14 lid 2\), got 4"):
        intake_next_step(calls=[CallStatus.NO_SHOW] * 4)


@pytest.mark.parametrize("earlier", [CallStatus.PENDING, CallStatus.APPEARED])
def test_only_the_last_call_may_be_open_or_attended(earlier: CallStatus) -> None:
    with pytest.raises(RuleInputError, match="only the last call may be pending or appeared"):
        intake_next_step(calls=[earlier, CallStatus.NO_SHOW])


def test_negative_extension() -> None:
    with pytest.raises(RuleInputError, match=r"extensions_months must not be negative, got \[6, -6\]"):
        termijn(pip_dagtekening_on=date(2025, 1, 1), extensions_months=[6, -6])


def test_a_minus_one_month_extension_is_an_input_error() -> None:
    with pytest.raises(RuleInputError, match=r"extensions_months must not be negative, got \[-1\]"):
        termijn(pip_dagtekening_on=date(2025, 1, 1), extensions_months=[-1])


def test_a_zero_month_extension_changes_nothing() -> None:
    plain = termijn(pip_dagtekening_on=date(2025, 1, 31))
    assert termijn(pip_dagtekening_on=date(2025, 1, 31), extensions_months=[0]) == plain
    assert plain.termijn_end_on == date(2028, 1, 31)


def test_negative_hours() -> None:
    with pytest.raises(RuleInputError, match="nt2_course_hours must not be negative, got -1"):
        afschalen(leerroute=Leerroute.B1, nt2_course_hours=-1, sufficient_effort=True, b1_reachable_in_termijn=False)


@pytest.mark.parametrize("level", [Level.A1, Level.B2])
def test_pip_level_other_than_a2_or_b1(level: Level) -> None:
    with pytest.raises(RuleInputError, match=f"level must be A2, B1 or null, got {level}"):
        pip_validation(leerroute=Leerroute.B1, first_pip=False, doelgroep=Doelgroep.OVERIG, level=level)


@pytest.mark.parametrize("intensity", [0, 10000])
def test_intensity_outside_duo_bounds(intensity: int) -> None:
    with pytest.raises(RuleInputError, match=f"between 1 and 9999, got {intensity}"):
        pip_validation(
            leerroute=Leerroute.B1,
            first_pip=False,
            doelgroep=Doelgroep.ASIELSTATUSHOUDER,
            estimated_b1_intensity=intensity,
        )


def test_knm_cannot_be_lowered() -> None:
    with pytest.raises(RuleInputError, match="knm has no level and cannot be lowered"):
        voldaan(leerroute=Leerroute.B1, doelgroep=Doelgroep.OVERIG, lowered_to_a2=[ExamPart.KNM])


def test_exam_results_of_the_wrong_kind() -> None:
    with pytest.raises(RuleInputError, match="exams_passed: knm is true or false, got B1"):
        voldaan(leerroute=Leerroute.B1, doelgroep=Doelgroep.OVERIG, exams_passed={ExamPart.KNM: Level.B1})
    with pytest.raises(RuleInputError, match=r"exams_passed: lezen takes a level \(A1, A2, B1, B2\), got True"):
        extension_for_effort(
            doelgroep=Doelgroep.OVERIG,
            leerroute=Leerroute.B1,
            requested_on=date(2027, 1, 1),
            termijn_end_on=date(2027, 3, 15),
            exams_passed={ExamPart.LEZEN: True},
        )


def test_bijstand_end_before_start() -> None:
    with pytest.raises(RuleInputError, match="bijstand_end_on must not be before bijstand_start_on"):
        ontzorgen(
            plichtig_wi2021=True,
            residence=Residence.ASIEL,
            receives_bijstand=True,
            bijstand_start_on=date(2025, 3, 1),
            bijstand_end_on=date(2025, 2, 28),
        )


def test_negative_money() -> None:
    with pytest.raises(RuleInputError, match="fines_total must not be negative, got -1"):
        fine_intake(fines_total=Decimal(-1))
    with pytest.raises(RuleInputError, match="cap must not be negative, got -1"):
        fine_intake(cap=Decimal(-1))
    with pytest.raises(RuleInputError, match=r"fines_total must not be negative, got -0\.01"):
        fine_pip(culpability=Culpability.OPZET, established_on=date(2025, 1, 1), fines_total=Decimal("-0.01"))


def test_codes_are_plain_strings_for_the_app() -> None:
    result = fine_pip(culpability=Culpability.GROVE_SCHULD, established_on=date(2025, 1, 1))
    assert (result.amount, str(result.amount), result.capped) == (Decimal("37.50"), "37.50", False)
    assert TermijnKind.NEW_6M.cap == Decimal("400.00")
    validation = pip_validation(leerroute=Leerroute.Z, first_pip=True, doelgroep=Doelgroep.OVERIG, level=Level.B1)
    assert validation.errors == ("b1_not_with_z",)


def test_results_are_frozen() -> None:
    result = termijn(pip_dagtekening_on=date(2024, 3, 15))
    field = "termijn_end_on"
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(result, field, date(2030, 1, 1))


def test_aow_age_table_edges() -> None:
    assert (aow_age_months(2012), aow_age_months(2013), aow_age_months(2028), aow_age_months(2029)) == (
        780,
        781,
        804,
        807,
    )
