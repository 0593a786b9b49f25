"""An oproep's day is the day in Amsterdam, as the client means it, not the UTC date: an oproep at 00:30 Amsterdam
time is stored as 23:30 (winter) or 22:30 (summer) UTC the day before. The appointments page, the start page's next
appointment and the portal API show the Amsterdam day, and the oproep is past from midnight in Amsterdam of the
next day, not earlier or later. Before the fix, 00:30 showed on the previous day and was past on its own day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats

from openinburgering.intakes.models import IntakeCall
from openinburgering.mijn import selectors
from openinburgering.plans.models import ProgressTalk

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

CASES = [
    pytest.param(date(2027, 1, 15), time(0, 30), id="winter-00:30"),
    pytest.param(date(2027, 1, 15), time(23, 30), id="winter-23:30"),
    pytest.param(date(2027, 7, 15), time(0, 30), id="summer-00:30"),
    pytest.param(date(2027, 7, 15), time(23, 30), id="summer-23:30"),
]


def _on(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """The portal's "today" (Amsterdam) is ``day`` for the pages and the API."""
    monkeypatch.setattr("openinburgering.mijn.views.today", lambda: day)
    monkeypatch.setattr("openinburgering.mijn.api.today", lambda: day)


def _the_oproep_at(client_file, day: date, at: time) -> IntakeCall:
    ProgressTalk.objects.filter(client_file=client_file).delete()  # only the oproep counts here
    call = IntakeCall.objects.get(client_file=client_file)
    call.planned_at = datetime.combine(day, at, AMSTERDAM)
    call.save(update_fields=["planned_at"])
    return call


@pytest.mark.parametrize(("day", "at"), CASES)
def test_the_portal_pages_show_the_oproep_on_its_amsterdam_day(portal, monkeypatch, day, at):
    client, client_file = portal()
    call = _the_oproep_at(client_file, day, at)
    shown = formats.date_format(day, "j F Y")  # Dutch, as the portal shows it: "15 januari 2027"
    for as_of in (day - timedelta(days=1), day):
        _on(monkeypatch, as_of)
        page = client.get("/mijn/afspraken/").content.decode()
        row = page.split(f'data-appointment="oproep-{call.pk}"', 1)[1].split("</li>", 1)[0]
        assert f"{shown}, {at:%H:%M}" in row
        assert "Geweest" not in row
        start = client.get("/mijn/").content.decode()
        assert f"Uw volgende afspraak: Gesprek over uw inburgering (oproep), {shown}" in start
    _on(monkeypatch, day + timedelta(days=1))
    page = client.get("/mijn/afspraken/").content.decode()
    row = page.split(f'data-appointment="oproep-{call.pk}"', 1)[1].split("</li>", 1)[0]
    assert f"{shown}, {at:%H:%M}" in row
    assert "Geweest" in row
    assert "U heeft geen nieuwe afspraken." in client.get("/mijn/").content.decode()


@pytest.mark.parametrize(("day", "at"), CASES)
def test_the_portal_api_gives_the_oproep_s_amsterdam_day(portal, monkeypatch, day, at):
    client, client_file = portal()
    call = _the_oproep_at(client_file, day, at)
    for as_of, past in ((day - timedelta(days=1), False), (day, False), (day + timedelta(days=1), True)):
        _on(monkeypatch, as_of)
        rows = client.get("/api/v1/mijn/appointments").json()["appointments"]
        row = next(row for row in rows if row["kind"] == "oproep" and row["id"] == call.pk)
        assert (row["day"], row["is_past"]) == (day.isoformat(), past), as_of
        assert datetime.fromisoformat(row["starts_at"]) == call.planned_at


@pytest.mark.parametrize(("day", "at"), CASES)
def test_the_start_facts_agree_with_the_appointments_around_midnight(portal_file, day, at):
    client_file = portal_file()
    _the_oproep_at(client_file, day, at)
    for as_of in (day - timedelta(days=1), day, day + timedelta(days=1)):
        upcoming = [row for row in selectors.appointments_of(client_file, as_of=as_of) if not row.is_past]
        found = selectors.start_facts(client_file, as_of=as_of).next_appointment
        expected = ("oproep", day) if as_of <= day else None
        assert ((str(upcoming[0].kind), upcoming[0].day) if upcoming else None) == expected, as_of
        assert ((str(found.kind), found.day) if found else None) == expected, as_of
