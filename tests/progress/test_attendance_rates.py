"""The shared attendance aggregate: the caseload's rates and filter say the same as the voortgang's signal list."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openinburgering.accounts.models import Gemeente
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.progress import selectors
from openinburgering.progress.selectors import Rate

pytestmark = pytest.mark.django_db


def four_weeks(offered: str, attended: str) -> dict[int, tuple[str, str]]:
    return dict.fromkeys((1, 2, 3, 4), (offered, attended))


@pytest.mark.parametrize(
    ("attended", "offered", "percent", "low"),
    [("79.9", "100", 79, True), ("80", "100", 80, False), ("0", "8", 0, True), ("8", "8", 100, False),
     ("0", "0", None, False)],
)  # fmt: skip
def test_a_rate_rounds_down_and_compares_exactly(attended, offered, percent, low):
    rate = Rate(Decimal(attended), Decimal(offered), 80)
    assert (rate.percent, rate.is_low) == (percent, low)


def test_rates_filter_and_signal_list_agree(make_file, hours):
    haarlem = Gemeente.objects.get(code=HAARLEM)
    low, fine, empty = make_file(), make_file(), make_file()
    hours(low, four_weeks("8", "6"))  # 75 %
    hours(fine, four_weeks("8", "7"))  # 87.5 %
    hours(empty, four_weeks("0", "0"))
    ids = [low.pk, fine.pk, empty.pk]
    rates = selectors.attendance_rates(gemeente_id=haarlem.pk, file_ids=ids, as_of=today(), threshold=80)
    assert {pk: (rate.attended, rate.offered, rate.is_low) for pk, rate in rates.items()} == {
        low.pk: (Decimal("24.0"), Decimal("32.0"), True),
        fine.pk: (Decimal("28.0"), Decimal("32.0"), False),
        empty.pk: (Decimal("0.0"), Decimal("0.0"), False),
    }
    filtered = ClientFile.objects.filter(selectors.is_low_attendance(today(), 80)).values_list("pk", flat=True)
    assert list(filtered) == selectors.low_attendance_files(haarlem, today()) == [low.pk]


def test_rates_never_read_another_gemeentes_reports(make_file, hours, django_assert_num_queries):
    haarlem = Gemeente.objects.get(code=HAARLEM)
    zandvoort_file = make_file(ZANDVOORT)
    hours(zandvoort_file, four_weeks("8", "1"))
    with django_assert_num_queries(1):
        rates = selectors.attendance_rates(
            gemeente_id=haarlem.pk, file_ids=[zandvoort_file.pk], as_of=today(), threshold=80
        )
    assert rates == {}
    with django_assert_num_queries(0):
        assert selectors.attendance_rates(gemeente_id=haarlem.pk, file_ids=[], as_of=today(), threshold=80) == {}
