"""Properties that hold for every input: termijn length, the Atw shift, fine limits, voldaan monotonicity."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from openinburgering.rules import (
    Culpability,
    Doelgroep,
    ExamPart,
    Leerroute,
    Level,
    PreviousW23,
    TermijnKind,
    atw_shift,
    fine_pip,
    is_feestdag,
    termijn,
    voldaan,
)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
money = st.decimals(min_value=0, max_value=5000, places=2)
LANGUAGE = [ExamPart.LEZEN, ExamPart.LUISTEREN, ExamPart.SCHRIJVEN, ExamPart.SPREKEN]


@given(days, st.lists(st.sampled_from([6, 12]), max_size=2))
def test_termijn_ends_after_it_starts_and_lasts_three_years(dagtekening: date, extensions: list[int]) -> None:
    result = termijn(pip_dagtekening_on=dagtekening, extensions_months=extensions)
    assert result.termijn_start_on == dagtekening + timedelta(days=1)
    assert result.termijn_end_on > result.termijn_start_on
    without_extensions = termijn(pip_dagtekening_on=dagtekening)
    length = (without_extensions.termijn_end_on - without_extensions.termijn_start_on).days + 1
    assert length in {3 * 365, 3 * 365 + 1}
    assert result.termijn_end_on >= without_extensions.termijn_end_on
    assert result.route_switch_until_on == without_extensions.route_switch_until_on
    assert result.extension_request_from_on <= result.termijn_end_on


@given(days)
def test_atw_shift_gives_a_working_day_never_earlier(day: date) -> None:
    shifted = atw_shift(day)
    assert shifted >= day
    assert shifted.weekday() < 5
    assert not is_feestdag(shifted)
    assert (shifted - day).days <= 4


@given(
    st.sampled_from(list(Culpability)),
    days,
    st.lists(st.tuples(days, st.booleans()), max_size=8),
    money,
    st.sampled_from(list(TermijnKind)),
    st.booleans(),
)
def test_a_fine_never_exceeds_800_nor_the_remaining_cap(
    culpability: Culpability,
    established_on: date,
    previous: list[tuple[date, bool]],
    fines_total: Decimal,
    termijn_kind: TermijnKind,
    bijstand_reduced: bool,
) -> None:
    result = fine_pip(
        culpability=culpability,
        established_on=established_on,
        previous_w23=[PreviousW23(established_on=day, final=final) for day, final in previous],
        fines_total=fines_total,
        termijn_kind=termijn_kind,
        bijstand_reduced_for_same_conduct=bijstand_reduced,
    )
    assert Decimal(0) <= result.amount <= Decimal(800)
    assert result.amount <= max(termijn_kind.cap - fines_total, Decimal(0))
    assert result.amount <= result.base_amount <= Decimal(800)
    assert result.amount.as_tuple().exponent == -2


levels = st.sampled_from([None, *Level])
exam_results = st.fixed_dictionaries(dict.fromkeys(LANGUAGE, levels) | {ExamPart.KNM: st.booleans()})


@given(
    st.sampled_from(list(Leerroute)),
    st.sampled_from(list(Doelgroep)),
    exam_results,
    st.lists(st.sampled_from(LANGUAGE), unique=True),
    st.lists(st.sampled_from([*ExamPart]), unique=True),
    st.sampled_from([*LANGUAGE, ExamPart.KNM]),
    st.sampled_from(list(Level)),
    st.booleans(),
)
def test_voldaan_is_monotone_in_passed_parts(
    leerroute: Leerroute,
    doelgroep: Doelgroep,
    exams: dict[ExamPart, Level | bool | None],
    lowered: list[ExamPart],
    exempted: list[ExamPart],
    improved_part: ExamPart,
    improved_level: Level,
    other_parts_done: bool,
) -> None:
    done = date(2025, 1, 1) if other_parts_done else None

    def outcome(exams_passed: dict[ExamPart, Level | bool | None]) -> tuple[bool, set[str]]:
        result = voldaan(
            leerroute=leerroute,
            doelgroep=doelgroep,
            pvt_signed_on=done,
            map_completed_on=done,
            exams_passed=exams_passed,
            lowered_to_a2=lowered,
            exempted_parts=exempted,
        )
        return result.voldaan, set(result.missing)

    better = dict(exams)
    current = exams[improved_part]
    if improved_part == ExamPart.KNM:
        better[ExamPart.KNM] = True
    elif not isinstance(current, Level) or improved_level.rank > current.rank:
        better[improved_part] = improved_level
    before_voldaan, before_missing = outcome(exams)
    after_voldaan, after_missing = outcome(better)
    assert after_missing <= before_missing
    assert after_voldaan or not before_voldaan
