"""The retention term of a payment run's SEPA file (AWR art. 52 lid 4; #13 gap 6)."""

from __future__ import annotations

from datetime import date

import pytest

from openinburgering.rules.retention import PAYMENT_FILE_RETENTION_YEARS, payment_file_retention


@pytest.mark.parametrize(("approved_on", "kept_until"), [
    (date(2026, 3, 15), date(2033, 12, 31)),
    (date(2026, 1, 1), date(2033, 12, 31)),
    (date(2026, 12, 31), date(2033, 12, 31)),
    (date(2024, 2, 29), date(2031, 12, 31)),
])  # fmt: skip
def test_a_payment_file_is_kept_seven_years_after_the_end_of_its_year(approved_on: date, kept_until: date) -> None:
    assert PAYMENT_FILE_RETENTION_YEARS == 7
    assert payment_file_retention(approved_on=approved_on) == kept_until
