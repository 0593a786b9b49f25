"""rules.ontzorgen.loslaten_starts_on: the last two months of ontzorgen (#13 item 5)."""

from __future__ import annotations

from datetime import date

import pytest

from openinburgering.rules.enums import Residence
from openinburgering.rules.ontzorgen import loslaten_starts_on, ontzorgen


@pytest.mark.parametrize(
    ("end_on", "expected"),
    [
        (date(2026, 6, 30), date(2026, 5, 1)),
        (date(2026, 8, 15), date(2026, 6, 16)),
        (date(2026, 4, 30), date(2026, 3, 1)),
        (date(2027, 1, 31), date(2026, 12, 1)),
        (date(2026, 3, 30), date(2026, 1, 31)),
    ],
)
def test_loslaten_starts_two_months_before_the_day_after_ontzorgen_ends(end_on: date, expected: date) -> None:
    assert loslaten_starts_on(ontzorgen_end_on=end_on) == expected


def test_six_months_of_ontzorgen_leave_four_months_before_loslaten() -> None:
    outcome = ontzorgen(
        plichtig_wi2021=True, residence=Residence.ASIEL, receives_bijstand=True, bijstand_start_on=date(2026, 1, 1)
    )
    assert outcome.end_on == date(2026, 6, 30)
    assert loslaten_starts_on(ontzorgen_end_on=outcome.end_on) == date(2026, 5, 1)


def test_loslaten_dates_put_coaching_first_self_payment_a_month_later_and_the_letter_last() -> None:
    from openinburgering.rules.ontzorgen import loslaten_dates

    dates = loslaten_dates(ontzorgen_end_on=date(2026, 6, 30))
    assert (dates.starts_on, dates.budgetcoaching_on, dates.zelf_betalen_on, dates.ends_on) == (
        date(2026, 5, 1),
        date(2026, 5, 1),
        date(2026, 6, 1),
        date(2026, 6, 30),
    )
