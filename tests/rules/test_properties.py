"""Properties that hold for every input: termijn length, the Atw shift, fine limits, voldaan monotonicity, and the
catalogue's clarifications of 2026-12-07 (pip_deadline, intake_next_step, voldaan in the onderwijsroute)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openinburgering.rules import (
    CallStatus,
    Culpability,
    Doelgroep,
    ExamPart,
    Leerroute,
    Level,
    PreviousW23,
    RuleInputError,
    TermijnKind,
    atw_shift,
    fine_pip,
    intake_next_step,
    is_feestdag,
    pip_deadline,
    termijn,
    voldaan,
)
from openinburgering.rules.dates import easter_sunday, koningsdag

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
    # The longest run of days off is five: Goede Vrijdag, the weekend, Tweede Paasdag and Koningsdag on the
    # Tuesday after Easter (Easter on 25 April, e.g. 2038). Every day in between is a day off.
    shift = (shifted - day).days
    assert shift <= 5
    assert all(
        (day + timedelta(days=offset)).weekday() >= 5 or is_feestdag(day + timedelta(days=offset))
        for offset in range(shift)
    )
    if shift == 5:
        assert day == easter_sunday(day.year) - timedelta(days=2)
        assert koningsdag(day.year) == easter_sunday(day.year) + timedelta(days=2)


def test_the_longest_atw_shift_is_five_days_from_goede_vrijdag_2038() -> None:
    assert atw_shift(date(2038, 4, 23)) == date(2038, 4, 28)


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


@given(days, st.booleans(), st.one_of(st.none(), days), days, st.one_of(st.none(), days))
def test_a_receipt_date_counts_only_while_awaiting_third_party(
    kennisgeving: date, housed: bool, registered: date | None, received: date, moved: date | None
) -> None:
    """Catalogue, clarified 2026-12-07: without ``awaiting_third_party`` a receipt date is ignored (B 5.3 lid 2)."""
    facts = {
        "kennisgeving_on": kennisgeving,
        "housed_under_taakstelling": housed,
        "registered_on": registered,
        "moved_registered_on": moved,
    }
    without_receipt = pip_deadline(**facts)
    assert pip_deadline(**facts, third_party_received_on=received) == without_receipt
    assert pip_deadline(**facts, awaiting_third_party=False, third_party_received_on=received) == without_receipt
    awaited = pip_deadline(**facts, awaiting_third_party=True, third_party_received_on=received)
    if without_receipt.pip_due_on is not None:
        assert awaited.pip_due_on is not None
        assert awaited.pip_due_on >= without_receipt.pip_due_on


CALLS = list(CallStatus)
FAILED = [CallStatus.NO_SHOW, CallStatus.INSUFFICIENT_COOPERATION]


@given(st.lists(st.sampled_from(CALLS), min_size=1, max_size=3))
def test_only_a_failed_call_may_come_before_another(calls: list[CallStatus]) -> None:
    """Catalogue, clarified 2026-12-07: an earlier call that did not fail is an input error (W 14 lid 1)."""
    if all(call in FAILED for call in calls[:-1]):
        assert intake_next_step(calls=calls).next_step.value in {
            "none",
            "wait",
            "warning_and_repeat_call",
            "fine_and_new_term",
            "fine_and_intake_in_absence",
        }
    else:
        with pytest.raises(RuleInputError) as raised:
            intake_next_step(calls=calls)
        assert str(raised.value) == "only the last call may be pending or appeared: a new call follows a failed one"


@given(exam_results, st.lists(st.sampled_from([*ExamPart]), unique=True))
def test_an_exempted_part_counts_as_passed_in_the_onderwijsroute_fallback(
    exams: dict[ExamPart, Level | bool | None], exempted: list[ExamPart]
) -> None:
    """Catalogue, clarified 2026-12-07: W 8 lid 4 with an exempted part counting as passed, as in the B1-route."""
    done = date(2025, 1, 1)
    onderwijs = voldaan(
        leerroute=Leerroute.ONDERWIJS,
        doelgroep=Doelgroep.GEZINSMIGRANT,
        pvt_signed_on=done,
        exams_passed=exams,
        exempted_parts=exempted,
    )
    b1 = voldaan(
        leerroute=Leerroute.B1,
        doelgroep=Doelgroep.GEZINSMIGRANT,
        pvt_signed_on=done,
        map_completed_on=done,
        exams_passed=exams,
        exempted_parts=exempted,
    )
    assert not set(exempted) & set(onderwijs.missing)
    # The same parts are missing as in the B1-route (no lowering here), plus the route itself when any is.
    parts = set(b1.missing)
    assert set(onderwijs.missing) == (parts | {"onderwijsroute"} if parts else set())
    assert onderwijs.voldaan == b1.voldaan
