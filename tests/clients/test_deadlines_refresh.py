"""Refreshing the stored next step: from the rows of the intakes and plans apps, idempotent, audited once per
change, and a constant number of queries per batch."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.models import User
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.deadlines import FACT_QUERIES, deadlines_for, next_deadline
from openinburgering.clients.models import ClientFile
from openinburgering.clients.reference_data import ensure_reference_data
from openinburgering.clients.services import refresh_deadlines, refresh_file_deadline, update_client_file
from openinburgering.core.dates import today
from openinburgering.intakes.models import Intake, IntakeCall, LearnabilityTest
from openinburgering.plans.models import PipVersion, ProgressTalk

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), AMS)


def add_call(
    client_file: ClientFile, user: User, planned_on: date, outcome: str = "pending", sequence: int = 1
) -> None:
    IntakeCall.objects.create(
        client_file=client_file, sequence=sequence, planned_at=at(planned_on), location="Stadskantoor",
        outcome=outcome, outcome_recorded_at=None if outcome == "pending" else at(planned_on),
        created_at=timezone.now(), created_by=user,
    )  # fmt: skip


def stored(client_file: ClientFile) -> tuple[date | None, str]:
    fresh = ClientFile.objects.get(pk=client_file.pk)
    return fresh.next_deadline_on, fresh.next_deadline_kind


def refresh_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type="deadlines_refreshed", client_file__isnull=False).order_by("id"))


def recent_file(make_file: Callable[..., ClientFile], **kwargs: object) -> ClientFile:
    """A file whose PIP deadline lies weeks ahead, so planned steps come first."""
    return make_file(file={"kennisgeving_on": today() - timedelta(days=7)}, **kwargs)


def test_the_daily_refresh_picks_up_a_planned_oproep_and_a_second_run_changes_and_audits_nothing(make_file, staff):
    client_file = recent_file(make_file, assigned_to="kim")
    planned_on = today() + timedelta(days=3)
    add_call(client_file, staff["kim"], planned_on)
    assert stored(client_file)[1] == "pip_due"  # written without a service: stale until refreshed

    assert refresh_deadlines(as_of=today()) == 1
    state = list(ClientFile.objects.values_list("pk", "next_deadline_on", "next_deadline_kind", "updated_at"))
    assert refresh_deadlines(as_of=today()) == 0

    assert stored(client_file) == (planned_on, "intake_call")
    assert list(ClientFile.objects.values_list("pk", "next_deadline_on", "next_deadline_kind", "updated_at")) == state
    [event] = refresh_events()
    assert (event.client_file_id, event.actor_id, event.via) == (client_file.pk, None, "job")
    assert event.changes["next_deadline_kind"] == {"old": "pip_due", "new": "intake_call"}
    assert event.changes["next_deadline_on"]["new"] == planned_on.isoformat()


def test_a_no_show_makes_the_next_step_due_now_and_overdue_the_day_after(make_file, staff):
    client_file = recent_file(make_file)
    add_call(client_file, staff["kim"], today() - timedelta(days=1), outcome="no_show")
    refresh_deadlines(as_of=today())
    assert stored(client_file) == (today() - timedelta(days=1), "intake_next_step")


def test_planned_toets_and_voortgangsgesprek_come_from_their_rows(make_file, staff, actor):
    kim, tamara = staff["kim"], staff["tamara"]
    with_toets = recent_file(make_file)
    LearnabilityTest.objects.create(
        client_file=with_toets, planned_at=at(today() + timedelta(days=4)), created_at=timezone.now(), created_by=kim
    )
    with_pip = make_file()
    dagtekening = today() - timedelta(days=30)
    update_client_file(actor=actor("kim"), client_file=with_pip, data={"pip_dagtekening_on": dagtekening})
    termijn = rules.termijn(pip_dagtekening_on=dagtekening)
    version = PipVersion.objects.create(
        client_file=with_pip, number=1, status="vastgesteld", leerroute="b1", drafted_at=timezone.now(),
        drafted_by=kim, approved_at=timezone.now(), approved_by=tamara, dagtekening_on=dagtekening,
        termijn_start_on=termijn.termijn_start_on, termijn_end_on=termijn.termijn_end_on,
    )  # fmt: skip
    for planned, held in (
        (today() - timedelta(days=3), today() - timedelta(days=3)),
        (today() + timedelta(days=20), None),
    ):
        ProgressTalk.objects.create(
            client_file=with_pip, version=version, planned_on=planned, held_on=held, created_at=timezone.now()
        )
    assert stored(with_pip) == (termijn.route_switch_until_on, "route_switch_window_closes")

    assert refresh_deadlines(as_of=today()) == 2
    assert stored(with_toets) == (today() + timedelta(days=4), "lbt_planned")
    assert stored(with_pip) == (today() + timedelta(days=20), "progress_talk")  # the held one is done


def test_refresh_file_deadline_updates_the_callers_object_and_says_whether_it_changed(make_file, staff):
    client_file = recent_file(make_file)
    add_call(client_file, staff["kim"], today() + timedelta(days=2))
    assert refresh_file_deadline(client_file) is True
    assert (client_file.next_deadline_on, client_file.next_deadline_kind) == (
        today() + timedelta(days=2),
        "intake_call",
    )
    assert stored(client_file) == (today() + timedelta(days=2), "intake_call")
    assert refresh_file_deadline(client_file) is False
    assert refresh_events() == []  # the change that caused it is audited by its own service


def test_an_intake_completed_in_absence_ends_the_step_after_the_third_failed_call(make_file, staff):
    client_file = recent_file(make_file)
    for sequence in (1, 2, 3):
        add_call(client_file, staff["kim"], today() - timedelta(days=10 - sequence), "no_show", sequence)
    refresh_file_deadline(client_file)
    assert client_file.next_deadline_kind == "intake_next_step"
    Intake.objects.create(
        client_file=client_file, person=client_file.person, status="completed", in_absence=True,
        started_at=timezone.now(), started_by=staff["kim"], completed_at=timezone.now(), completed_by=staff["kim"],
    )  # fmt: skip
    refresh_file_deadline(client_file)
    assert client_file.next_deadline_kind == "pip_due"


def test_deadlines_for_loads_a_batch_in_a_constant_number_of_queries(make_file, staff):
    files = [recent_file(make_file) for _ in range(3)]
    add_call(files[0], staff["kim"], today() + timedelta(days=1))
    batch = list(ClientFile.objects.order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        result = deadlines_for(batch, as_of=today())
    assert len(queries) == FACT_QUERIES
    assert result[files[0].pk].kind == "intake_call"
    assert all(result[f.pk] == next_deadline(f, as_of=today()) for f in files)


def test_the_batch_refresh_runs_the_same_queries_for_few_and_many_files(make_file):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert refresh_deadlines(as_of=today(), batch_size=50) == 0
        return len(queries)

    make_file()
    few = count_queries()
    for _ in range(12):
        make_file()
    assert count_queries() == few
    # batch query, the facts, the next (empty) batch query; savepoints aside
    assert few <= FACT_QUERIES + 2 + 4


def test_the_command_prints_progress_per_batch_and_a_summary(make_file):
    for _ in range(3):
        make_file()
    out, err = StringIO(), StringIO()
    call_command("refresh_deadlines", "--batch-size", "2", stdout=out, stderr=err)
    assert out.getvalue().startswith("0 client files got a new next deadline")
    assert "2 open files checked" in err.getvalue()
    assert "3 open files checked" in err.getvalue()


def test_the_command_refuses_a_batch_size_below_one() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("refresh_deadlines", "--batch-size", "0")


@pytest.fixture
def reference_data(transactional_db: object) -> None:
    """A transactional test starts from a flushed database when another transactional test ran before it: put the
    migration-loaded reference data (gemeenten, roles, BRP tables) back first."""
    ensure_reference_data()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="VACUUM is PostgreSQL's; CI requires PostgreSQL")
def test_a_run_that_changed_files_vacuums_the_table_and_a_run_without_changes_does_not(reference_data, make_file):
    client_file = make_file()
    ClientFile.objects.filter(pk=client_file.pk).update(next_deadline_on=None, next_deadline_kind="")
    out = StringIO()
    call_command("refresh_deadlines", stdout=out, stderr=StringIO())
    assert out.getvalue().splitlines() == [
        f"1 client files got a new next deadline (as of {today().isoformat()}).",
        "Vacuumed clients_clientfile, so the worklists stay fast.",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'clients_clientfile'")
        (vacuumed,) = cursor.fetchone()
    assert vacuumed >= 1
    again = StringIO()
    call_command("refresh_deadlines", stdout=again, stderr=StringIO())
    assert "Vacuumed" not in again.getvalue()
