"""DUO's checks on a MAP or PVT date (DUO M2M README, "Module Arbeidsmarkt en Participatie (MAP)"; the PVT list is
the same): every check alone, and the verwijtbaar flag around DUO's exclusive einddatum of the termijn."""

from __future__ import annotations

from datetime import date

from openinburgering.rules import RULES, ResultaatError, ResultaatValidation, duo_resultaat_validation

START = date(2025, 3, 16)
EINDDATUM = date(2028, 3, 16)  # DUO's einddatum is exclusive: the termijn's last day is 15-03-2028
TODAY = date(2026, 12, 7)


def check(
    reported_on: date,
    *,
    as_of: date = TODAY,
    termijn_start_on: date | None = START,
    duo_einddatum_on: date | None = EINDDATUM,
    zroute_completed_on: date | None = None,
    verwijtbaar: bool | None = None,
) -> ResultaatValidation:
    return duo_resultaat_validation(
        reported_on=reported_on, as_of=as_of, termijn_start_on=termijn_start_on, duo_einddatum_on=duo_einddatum_on,
        zroute_completed_on=zroute_completed_on, verwijtbaar=verwijtbaar,
    )  # fmt: skip


def test_a_date_inside_the_termijn_and_not_in_the_future_is_valid() -> None:
    assert check(date(2026, 6, 1)) == ResultaatValidation(valid=True, errors=(), overschreden=False)


def test_the_first_day_of_the_termijn_and_today_are_allowed() -> None:
    assert check(START).valid is True
    assert check(TODAY).valid is True


def test_refuses_a_date_before_the_termijn_started() -> None:
    assert check(date(2025, 3, 15)).errors == (ResultaatError.BEFORE_TERMIJN,)


def test_refuses_a_date_in_the_future() -> None:
    assert check(date(2026, 12, 8)).errors == (ResultaatError.IN_FUTURE,)


def test_refuses_when_duo_knows_no_termijn_no_current_pip() -> None:
    result = check(date(2026, 6, 1), termijn_start_on=None, duo_einddatum_on=None)
    assert result.errors == (ResultaatError.NO_TERMIJN,)
    assert result.overschreden is False


def test_refuses_a_date_after_the_z_route_was_completed_but_not_on_that_day() -> None:
    assert check(date(2026, 6, 2), zroute_completed_on=date(2026, 6, 1)).errors == (ResultaatError.AFTER_ZROUTE,)
    assert check(date(2026, 6, 1), zroute_completed_on=date(2026, 6, 1)).valid is True


def test_on_or_after_the_exclusive_einddatum_the_termijn_is_exceeded_and_verwijtbaar_is_required() -> None:
    as_of = date(2028, 6, 1)
    assert check(date(2028, 3, 15), as_of=as_of).overschreden is False  # the termijn's last day
    result = check(EINDDATUM, as_of=as_of)
    assert result.overschreden is True
    assert result.errors == (ResultaatError.VERWIJTBAAR_REQUIRED,)
    assert check(EINDDATUM, as_of=as_of, verwijtbaar=True).valid is True
    assert check(EINDDATUM, as_of=as_of, verwijtbaar=False).valid is True  # newest README: 'Nee' after an excess


def test_verwijtbaar_is_refused_for_a_date_before_the_einddatum() -> None:
    assert check(date(2026, 6, 1), verwijtbaar=True).errors == (ResultaatError.VERWIJTBAAR_NOT_ALLOWED,)
    assert check(date(2026, 6, 1), verwijtbaar=False).errors == (ResultaatError.VERWIJTBAAR_NOT_ALLOWED,)


def test_lists_every_failing_check_in_order() -> None:
    result = check(date(2029, 1, 1), termijn_start_on=None, zroute_completed_on=date(2028, 1, 1))
    assert result.errors == (
        ResultaatError.NO_TERMIJN,
        ResultaatError.IN_FUTURE,
        ResultaatError.AFTER_ZROUTE,
        ResultaatError.VERWIJTBAAR_REQUIRED,
    )


def test_is_registered_with_its_inputs() -> None:
    names = [spec.name for spec in RULES["duo_resultaat_validation"].inputs]
    assert names == [
        "reported_on", "as_of", "termijn_start_on", "duo_einddatum_on", "zroute_completed_on", "verwijtbaar",
    ]  # fmt: skip
