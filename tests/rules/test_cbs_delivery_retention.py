"""The retention term of a stored CBS delivery file: two years after the end of its quarter (our default; no law
sets it, the gemeente's selectielijst decides; docs/retention.md)."""

from __future__ import annotations

from datetime import date

import pytest

from openinburgering.rules.errors import RuleInputError
from openinburgering.rules.retention import CBS_DELIVERY_RETENTION_YEARS, cbs_delivery_retention
from openinburgering.rules.statistics import cbs_levering


@pytest.mark.parametrize(("year", "quarter", "kept_until"), [
    (2022, 1, date(2024, 3, 31)),
    (2026, 2, date(2028, 6, 30)),
    (2026, 3, date(2028, 9, 30)),
    (2027, 4, date(2029, 12, 31)),
    (2026, 1, date(2028, 3, 31)),  # 2028 is a leap year: still the last day of March, not of February
])  # fmt: skip
def test_a_cbs_file_is_kept_two_years_after_the_end_of_its_quarter(year: int, quarter: int, kept_until: date) -> None:
    assert CBS_DELIVERY_RETENTION_YEARS == 2
    assert cbs_delivery_retention(year=year, quarter=quarter) == kept_until


def test_the_term_outlasts_the_last_correction_of_the_quarter() -> None:
    # The fourth next quarter's file (2027-K3 for 2026-K3) may still correct it; it is due on 2027-10-28.
    last_correction_due = cbs_levering(year=2027, quarter=3).deliver_by_on
    assert last_correction_due == date(2027, 10, 28)
    assert cbs_delivery_retention(year=2026, quarter=3) > last_correction_due


@pytest.mark.parametrize(("year", "quarter"), [(2021, 4), (2026, 0), (2026, 5)])
def test_a_quarter_outside_the_swi_is_refused(year: int, quarter: int) -> None:
    with pytest.raises(RuleInputError):
        cbs_delivery_retention(year=year, quarter=quarter)
