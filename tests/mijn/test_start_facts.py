"""The start page's facts in one query (mijn.selectors.start_facts, #18) say what the appointments page and the
counts say: the next appointment is the first of appointments_of that is not past, on every day around each
appointment, with oproepen and voortgangsgesprekken on the same day, held and past ones, and none at all."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from openinburgering.core.dates import today
from openinburgering.intakes.models import IntakeCall
from openinburgering.mijn import selectors
from openinburgering.mijn.models import ClientTask, Direction, PortalMessage, TaskKind, TaskStatus
from openinburgering.plans.models import ProgressTalk


def _expected(client_file, as_of: date) -> tuple[str, date] | None:
    rows = [row for row in selectors.appointments_of(client_file, as_of=as_of) if not row.is_past]
    return (str(rows[0].kind), rows[0].day) if rows else None


def _facts(client_file, as_of: date) -> tuple[str, date] | None:
    found = selectors.start_facts(client_file, as_of=as_of).next_appointment
    return (str(found.kind), found.day) if found else None


def _days_around(client_file) -> list[date]:
    days = {row.day for row in selectors.appointments_of(client_file, as_of=today())}
    return sorted({day + timedelta(days=delta) for day in days for delta in (-1, 0, 1)} | {today()})


def test_the_next_appointment_is_the_first_not_past_one_of_the_appointments_page(portal_file, staff):
    client_file = portal_file()  # an oproep in two weeks, voortgangsgesprekken in 60 and 180 days
    talks = list(ProgressTalk.objects.filter(client_file=client_file).order_by("planned_on"))
    assert len(talks) == 2
    call_day = timezone.localdate(IntakeCall.objects.get(client_file=client_file).planned_at)
    # An oproep in the past and one on the day of the first voortgangsgesprek (the oproep goes first).
    IntakeCall.objects.filter(client_file=client_file).update(sequence=3)  # oproepen are numbered 1 to 3
    for sequence, starts_at in (
        (1, timezone.now() - timedelta(days=3)),
        (2, datetime.combine(talks[0].planned_on, time(9, 0), tzinfo=UTC)),
    ):
        IntakeCall.objects.create(
            client_file=client_file, sequence=sequence, planned_at=starts_at, location="Stadhuis",
            created_at=timezone.now(), created_by=staff["kim"],
        )  # fmt: skip
    checked = {day: _expected(client_file, day) for day in _days_around(client_file)}
    assert checked[today()] == ("oproep", call_day)
    assert checked[talks[0].planned_on] == ("oproep", talks[0].planned_on)  # same day: the oproep first
    assert checked[talks[0].planned_on + timedelta(days=1)] == ("voortgang", talks[1].planned_on)
    assert checked[talks[1].planned_on + timedelta(days=1)] is None
    assert {day: _facts(client_file, day) for day in checked} == checked

    # An oproep just after midnight in Amsterdam (the day before in UTC) on the second gesprek's day, which is then
    # held (a held gesprek is past).
    IntakeCall.objects.filter(client_file=client_file, sequence=3).update(
        planned_at=timezone.make_aware(datetime.combine(talks[1].planned_on, time(0, 30)))
    )
    ProgressTalk.objects.filter(pk=talks[1].pk).update(held_on=today())
    checked = {day: _expected(client_file, day) for day in _days_around(client_file)}
    assert checked[talks[0].planned_on + timedelta(days=1)] == ("oproep", talks[1].planned_on)
    assert {day: _facts(client_file, day) for day in checked} == checked
    IntakeCall.objects.filter(client_file=client_file, sequence=3).delete()
    assert _expected(client_file, talks[0].planned_on + timedelta(days=1)) is None
    assert _facts(client_file, talks[0].planned_on + timedelta(days=1)) is None


def test_the_counts_are_the_open_tasks_and_the_unread_messages_to_the_client(portal_file, staff):
    client_file = portal_file()  # one open task
    ClientTask.objects.create(client_file=client_file, kind=TaskKind.UPLOAD_DIPLOMA, created_at=timezone.now(),
                              status=TaskStatus.DONE)  # fmt: skip
    for direction, read_at in (
        (Direction.TO_CLIENT, None),
        (Direction.TO_CLIENT, None),
        (Direction.TO_CLIENT, timezone.now()),
        (Direction.FROM_CLIENT, None),
    ):
        PortalMessage.objects.create(client_file=client_file, direction=direction, body="Bericht",
                                     sender=staff["kim"], sent_at=timezone.now(), read_at=read_at)  # fmt: skip
    facts = selectors.start_facts(client_file, as_of=today())
    assert (facts.open_tasks, facts.unread) == (1, 2)


def test_without_appointments_there_is_no_next_one(portal_file):
    client_file = portal_file()
    IntakeCall.objects.filter(client_file=client_file).delete()
    ProgressTalk.objects.filter(client_file=client_file).update(held_on=today())
    assert selectors.appointments_of(client_file, as_of=today())  # the rows are there, all past
    assert selectors.start_facts(client_file, as_of=today()).next_appointment is None
