"""rules.reported_termijn (W 11, W 12, B 4.4): the termijn DUO reports, read as the PIP's termijn plus an extension."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from openinburgering import rules


@pytest.mark.parametrize(
    ("dagtekening", "duo_einddatum", "fits", "months", "last_day"),
    [
        # PIP 2 March 2026: the termijn starts 3 March 2026 and ends 2 March 2029; DUO's einddatum is exclusive.
        (date(2026, 3, 2), date(2029, 3, 3), True, 0, date(2029, 3, 2)),
        (date(2026, 3, 2), date(2029, 9, 3), True, 6, date(2029, 9, 2)),  # B 4.4: six months for inspanningen
        (date(2026, 3, 2), date(2030, 3, 3), True, 12, date(2030, 3, 2)),
        # A start on the 31st: 6 months more from 31 August 2025 ends on the last day of February.
        (date(2025, 8, 30), date(2029, 3, 1), True, 6, date(2029, 2, 28)),
        (date(2026, 3, 2), date(2029, 3, 10), False, 0, date(2029, 3, 9)),  # not a whole month later
        (date(2026, 3, 2), date(2028, 3, 3), False, 0, date(2028, 3, 2)),  # shorter than three years
    ],
)
def test_reads_the_extension_from_duos_end(
    dagtekening: date, duo_einddatum: date, fits: bool, months: int, last_day: date
) -> None:
    result = rules.reported_termijn(pip_dagtekening_on=dagtekening, duo_einddatum_on=duo_einddatum)
    assert result == rules.ReportedTermijn(fits=fits, extension_months=months, termijn_end_on=last_day)


def test_every_extension_of_every_day_of_a_year_is_read_back() -> None:
    day = date(2025, 1, 1)
    while day.year == 2025:
        for months in (0, 1, 6, 11, 24):
            end = rules.termijn(pip_dagtekening_on=day, extensions_months=[months])
            result = rules.reported_termijn(pip_dagtekening_on=day, duo_einddatum_on=end.duo_einddatum_on)
            assert (result.fits, result.extension_months) == (True, months), (day, months)
        day += timedelta(days=1)


# rules.file_termijn: the termijn every page, the API and the portal show (plans.services.termijn_of).
PIP_ON = date(2026, 3, 2)  # the termijn starts 3 March 2026 and ends 2 March 2029 (DUO: einddatum 3 March 2029)


@pytest.mark.parametrize(
    ("start", "einddatum", "report", "months", "last_day"),
    [
        (None, None, rules.DuoTermijnReport.NONE, 0, date(2029, 3, 2)),  # no report: the PIP's termijn
        (date(2026, 3, 3), date(2029, 3, 3), rules.DuoTermijnReport.FITS, 0, date(2029, 3, 2)),
        (date(2026, 3, 3), date(2029, 9, 3), rules.DuoTermijnReport.FITS, 6, date(2029, 9, 2)),  # B 4.4
        (None, date(2029, 9, 3), rules.DuoTermijnReport.FITS, 6, date(2029, 9, 2)),  # no start given: end decides
        # Not the PIP's end plus whole months, or shorter, or another start: no extension, the PIP's termijn.
        (date(2026, 3, 3), date(2029, 9, 20), rules.DuoTermijnReport.DOES_NOT_FIT, 0, date(2029, 3, 2)),
        (date(2026, 3, 3), date(2028, 3, 3), rules.DuoTermijnReport.DOES_NOT_FIT, 0, date(2029, 3, 2)),
        (date(2026, 4, 3), date(2029, 4, 3), rules.DuoTermijnReport.DOES_NOT_FIT, 0, date(2029, 3, 2)),
    ],
)
def test_a_files_termijn_counts_duos_extension_only_when_the_report_fits_the_pip(
    start: date | None, einddatum: date | None, report: rules.DuoTermijnReport, months: int, last_day: date
) -> None:
    result = rules.file_termijn(pip_dagtekening_on=PIP_ON, duo_startdatum_on=start, duo_einddatum_on=einddatum)
    assert (result.duo_report, result.extension_months, result.termijn_end_on) == (report, months, last_day)
    plain = rules.termijn(pip_dagtekening_on=PIP_ON, extensions_months=[months])
    assert result.termijn_start_on == plain.termijn_start_on == date(2026, 3, 3)
    assert result.duo_einddatum_on == plain.duo_einddatum_on == last_day + timedelta(days=1)
    assert result.extension_request_from_on == plain.extension_request_from_on
    # B 5.4: an extension does not move the 18 months to change leerroute.
    assert result.route_switch_until_on == date(2027, 9, 2)
