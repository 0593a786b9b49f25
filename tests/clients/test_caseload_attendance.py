"""The attendance signal on the caseload worklists (issue #6, item 4): per row a badge when the file's attendance
over the last 4 complete ISO weeks is under the gemeente's threshold, and a filter "Signaal: lage aanwezigheid"
done in the database."""

# ruff: noqa: F811 -- the fixtures imported below by name are the parameters of these tests

from __future__ import annotations

import re
from typing import Any

import pytest

from openinburgering.accounts.models import Gemeente
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.progress.models import ProgressSettings
from tests.progress.conftest import (  # noqa: F401 -- fixtures: placed enrolments and their weekly reports
    anouk_provider,
    enrol,
    hours,
    regional_contract,
    report,
)

from .test_caseload_pages import MINE, MINE_QUERIES, TEAM, TEAM_QUERIES, row_names

pytestmark = pytest.mark.django_db

LOW = "low_attendance"
FOUR_WEEKS = (1, 2, 3, 4)  # the last 4 complete ISO weeks (0 is the current week)


def weeks(offered: str, attended: str, *weeks_back: int) -> dict[int, tuple[str, str]]:
    return dict.fromkeys(weeks_back or FOUR_WEEKS, (offered, attended))


def signals(content: str) -> dict[str, tuple[str, str | None]]:
    """Per row (by name): the text of the "Aanwezigheid" cell, whitespace folded, and the link in it (or None)."""
    body = content.split('<tbody class="utrecht-table__body">', 1)[1].split("</tbody>", 1)[0]
    out: dict[str, tuple[str, str | None]] = {}
    for row in body.split("</tr>")[:-1]:
        (name,) = row_names(row)
        cells = re.findall(r'<td class="utrecht-table__cell">(.*?)</td>', row, re.S)
        cell = cells[-2]  # "Aanwezigheid" comes before "Aangemeld op"
        link = re.search(r'href="([^"]+)"', cell)
        out[name] = (" ".join(re.sub(r"<[^>]+>", " ", cell).split()), link.group(1) if link else None)
    return out


def set_threshold(gemeente_code: str, percent: int) -> None:
    ProgressSettings.objects.update_or_create(
        gemeente=Gemeente.objects.get(code=gemeente_code), defaults={"attendance_threshold_percent": percent}
    )


def test_a_file_under_the_threshold_shows_the_badge_with_a_link_to_its_voortgang(login, make_file, hours):
    low = make_file(assigned_to="kim", person={"surname": "Laag"})
    make_file(assigned_to="kim", person={"surname": "Zonder"})
    hours(low, weeks("8", "5"))  # 20 of 32 hours: 62.5 %
    content = login("kim").get(MINE).content.decode()
    assert signals(content) == {
        "Amal Laag": (
            "Lage aanwezigheid: 62 % (laatste 4 weken, drempel 80 %; naar de voortgang)",
            f"/dossiers/{low.pk}/voortgang/",
        ),
        "Amal Zonder": ("—", None),
    }
    assert "minder dan 80 % van de aangeboden uren aanwezig" in content


def test_exactly_at_the_threshold_gives_no_signal_and_just_under_it_does(login, make_file, hours):
    at = make_file(person={"surname": "Precies"})
    under = make_file(person={"surname": "Net"})
    hours(at, weeks("10", "8"))  # 32 of 40: 80 %
    hours(under, {1: ("10", "8"), 2: ("10", "8"), 3: ("10", "8"), 4: ("10", "7.9")})  # 31.9 of 40: 79.75 %
    browser = login("tamara")
    assert signals(browser.get(TEAM).content.decode()) == {
        "Amal Precies": ("—", None),
        "Amal Net": (
            "Lage aanwezigheid: 79 % (laatste 4 weken, drempel 80 %; naar de voortgang)",
            f"/dossiers/{under.pk}/voortgang/",
        ),
    }
    assert row_names(browser.get(TEAM, {"signal": LOW}).content.decode()) == ["Amal Net"]


def test_no_hours_offered_gives_no_signal(login, make_file, hours):
    nothing_offered = make_file(person={"surname": "Nul"})
    hours(nothing_offered, weeks("0", "0"))
    make_file(person={"surname": "Geen"})  # no enrolment at all
    browser = login("tamara")
    assert signals(browser.get(TEAM, {"sort": "name"}).content.decode()) == {
        "Amal Geen": ("—", None),
        "Amal Nul": ("—", None),
    }
    assert "Geen dossiers die bij deze filters passen." in browser.get(TEAM, {"signal": LOW}).content.decode()


def test_weeks_outside_the_4_week_window_do_not_count(login, make_file, hours):
    good_window = make_file(person={"surname": "Goed"})
    bad_window = make_file(person={"surname": "Slecht"})
    # The current week (0, not complete) and the fifth week back are left out, however many hours they hold.
    hours(good_window, {**weeks("8", "8"), 0: ("40", "0"), 5: ("40", "0")})
    hours(bad_window, {**weeks("8", "4"), 0: ("40", "40"), 5: ("40", "40")})
    browser = login("tamara")
    assert signals(browser.get(TEAM, {"sort": "name"}).content.decode()) == {
        "Amal Goed": ("—", None),
        "Amal Slecht": (
            "Lage aanwezigheid: 50 % (laatste 4 weken, drempel 80 %; naar de voortgang)",
            f"/dossiers/{bad_window.pk}/voortgang/",
        ),
    }
    assert row_names(browser.get(TEAM, {"signal": LOW}).content.decode()) == ["Amal Slecht"]


def test_all_enrolments_of_the_file_count_together(login, make_file, hours):
    client_file = make_file(person={"surname": "Samen"})
    hours(client_file, weeks("8", "8"))  # b1_lessen: 32 of 32
    hours(client_file, weeks("4", "0"), component="map")  # map: 0 of 16 → together 32 of 48: 66.6 %
    content = login("tamara").get(TEAM, {"signal": LOW}).content.decode()
    assert signals(content) == {
        "Amal Samen": (
            "Lage aanwezigheid: 66 % (laatste 4 weken, drempel 80 %; naar de voortgang)",
            f"/dossiers/{client_file.pk}/voortgang/",
        )
    }


def test_the_gemeente_threshold_setting_is_respected(login, make_file, hours):
    set_threshold(HAARLEM, 60)
    above = make_file(person={"surname": "Boven"})
    below = make_file(person={"surname": "Onder"})
    hours(above, weeks("8", "5"))  # 62.5 %: fine against 60
    hours(below, weeks("10", "5.9"))  # 59 %
    browser = login("tamara")
    content = browser.get(TEAM, {"sort": "name"}).content.decode()
    assert signals(content) == {
        "Amal Boven": ("—", None),
        "Amal Onder": (
            "Lage aanwezigheid: 59 % (laatste 4 weken, drempel 60 %; naar de voortgang)",
            f"/dossiers/{below.pk}/voortgang/",
        ),
    }
    assert "minder dan 60 % van de aangeboden uren aanwezig" in content
    assert row_names(browser.get(TEAM, {"signal": LOW}).content.decode()) == ["Amal Onder"]


def test_another_gemeente_and_its_threshold_never_leak(login, make_file, hours):
    set_threshold(ZANDVOORT, 50)
    haarlem = make_file(person={"surname": "Haarlemmer"})
    zandvoort = make_file(ZANDVOORT, assigned_to="zeynep", person={"surname": "Zandvoorter"})
    zandvoort_low = make_file(ZANDVOORT, assigned_to="zeynep", person={"surname": "Strand"})
    hours(haarlem, weeks("8", "5"))  # 62.5 %: under Haarlem's 80
    hours(zandvoort, weeks("8", "5"))  # 62.5 %: fine against Zandvoort's 50
    hours(zandvoort_low, weeks("10", "4"))  # 40 %
    haarlem_page = login("tamara").get(TEAM, {"signal": LOW}).content.decode()
    assert signals(haarlem_page) == {
        "Amal Haarlemmer": (
            "Lage aanwezigheid: 62 % (laatste 4 weken, drempel 80 %; naar de voortgang)",
            f"/dossiers/{haarlem.pk}/voortgang/",
        )
    }
    zandvoort_browser = login("zoe", ZANDVOORT)
    assert signals(zandvoort_browser.get(TEAM, {"sort": "name"}).content.decode()) == {
        "Amal Strand": (
            "Lage aanwezigheid: 40 % (laatste 4 weken, drempel 50 %; naar de voortgang)",
            f"/dossiers/{zandvoort_low.pk}/voortgang/",
        ),
        "Amal Zandvoorter": ("—", None),
    }
    assert row_names(zandvoort_browser.get(TEAM, {"signal": LOW}).content.decode()) == ["Amal Strand"]


def test_the_filter_pages_in_the_database(login, make_file, hours):
    for index in range(27):
        client_file = make_file(person={"surname": f"Laag{index:02d}"})
        hours(client_file, weeks("8", "4", 1))
    for index in range(3):
        client_file = make_file(person={"surname": f"Hoog{index:02d}"})
        hours(client_file, weeks("8", "8", 1))
    browser = login("tamara")
    first = browser.get(TEAM, {"signal": LOW, "sort": "name"}).content.decode()
    assert "Dossiers (gefilterd)" in first
    assert 'rel="next" href="?signal=low_attendance&amp;sort=name&amp;page=2"' in first  # a 26th row exists
    assert len(row_names(first)) == 25
    second = browser.get(TEAM, {"signal": LOW, "sort": "name", "page": "2"}).content.decode()
    assert row_names(second) == ["Amal Laag25", "Amal Laag26"]
    assert 'rel="next"' not in second
    assert len(row_names(browser.get(TEAM, {"page": "2"}).content.decode())) == 5  # 30 files without the filter


def test_the_filter_works_on_the_own_caseload_too(login, make_file, hours):
    mine_low = make_file(assigned_to="kim", person={"surname": "Mijn"})
    other_low = make_file(assigned_to="youssef", person={"surname": "Ander"})
    make_file(assigned_to="kim", person={"surname": "Goed"})
    hours(mine_low, weeks("8", "2"))
    hours(other_low, weeks("8", "2"))
    content = login("kim").get(MINE, {"signal": LOW}).content.decode()
    assert row_names(content) == ["Amal Mijn"]
    assert "Filters wissen" in content


def test_an_unknown_signal_is_a_form_error_not_a_500(login, make_file):
    make_file(assigned_to="kim")
    response = login("kim").get(MINE, {"signal": "nonsense"})
    assert response.status_code == 200
    assert "Kies een van de mogelijkheden." in response.content.decode()


@pytest.mark.parametrize(
    ("url", "username", "params"),
    [(TEAM, "tamara", {}), (TEAM, "tamara", {"signal": LOW}), (MINE, "kim", {}), (MINE, "kim", {"signal": LOW})],
)
def test_the_signal_keeps_the_number_of_queries_constant(
    login, make_file, hours, django_assert_num_queries, url: str, username: str, params: dict[str, Any]
):
    expected = TEAM_QUERIES if url == TEAM else MINE_QUERIES
    browser = login(username)
    hours(make_file(assigned_to="kim", person={"surname": "Eerste"}), weeks("8", "4"))
    browser.get(url, params)
    with django_assert_num_queries(expected):
        assert len(row_names(browser.get(url, params).content.decode())) == 1
    for index in range(6):
        hours(make_file(assigned_to="kim", person={"surname": f"Laag{index}"}), weeks("8", "4" if index % 2 else "3"))
        hours(make_file(assigned_to="kim", person={"surname": f"Goed{index}"}), weeks("8", "8"))
    with django_assert_num_queries(expected):
        content = browser.get(url, params).content.decode()
    rows = signals(content)
    assert len(rows) == (7 if params else 13)
    assert sorted(name for name, (_, link) in rows.items() if link is not None) == [
        "Amal Eerste",
        *(f"Amal Laag{index}" for index in range(6)),
    ]


# --- the file page (issue #11 item 6): the same signal, from the same selector ----------------------------------


def attendance_on_file_page(content: str) -> str:
    cell = content.split("<dt>Aanwezigheid</dt>", 1)[1].split("</dd>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def test_the_file_page_shows_the_low_attendance_signal_with_a_link_to_its_voortgang(login, make_file, hours):
    low = make_file(assigned_to="kim", person={"surname": "Laag"})
    hours(low, weeks("8", "5"))  # 20 of 32 hours: 62.5 %

    content = login("kim").get(f"/dossiers/{low.pk}/").content.decode()

    assert attendance_on_file_page(content) == (
        "Lage aanwezigheid: 62 % (laatste 4 weken, drempel 80 %; naar de voortgang)"
    )
    assert f'<a class="utrecht-link app-badge-link" href="/dossiers/{low.pk}/voortgang/">' in content


def test_the_file_page_shows_the_rate_without_a_signal_at_or_above_the_threshold_and_nothing_without_hours(
    login, make_file, hours
):
    good = make_file(assigned_to="kim", person={"surname": "Goed"})
    hours(good, weeks("10", "8"))  # 80 %: at the threshold, no signal
    without = make_file(assigned_to="kim", person={"surname": "Zonder"})
    browser = login("kim")

    assert attendance_on_file_page(browser.get(f"/dossiers/{good.pk}/").content.decode()) == (
        "80 % in de laatste 4 weken ( voortgang )"
    )
    assert attendance_on_file_page(browser.get(f"/dossiers/{without.pk}/").content.decode()) == "Nog geen uren gemeld"
