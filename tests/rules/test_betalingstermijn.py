"""The payment term of a boete (Awb 4:87 lid 1): six weeks after the bekendmaking, moved by the Atw."""

from __future__ import annotations

from datetime import date

from openinburgering.rules import BetalingsTermijn, betalingstermijn


def test_a_boete_is_paid_within_six_weeks_after_the_dagtekening() -> None:
    assert betalingstermijn(bekendgemaakt_on=date(2026, 3, 2)) == BetalingsTermijn(pay_by_on=date(2026, 4, 13))


def test_a_payment_term_ending_on_a_sunday_moves_to_the_next_working_day() -> None:
    # 2026-03-08 is a Sunday; six weeks later is Sunday 2026-04-19, so Monday 2026-04-20.
    assert betalingstermijn(bekendgemaakt_on=date(2026, 3, 8)).pay_by_on == date(2026, 4, 20)
