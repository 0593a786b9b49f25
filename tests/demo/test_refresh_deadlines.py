"""refresh_deadlines: the daily job is idempotent and leaves one audit event per run."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile

pytestmark = pytest.mark.django_db


def refresh() -> str:
    out = StringIO()
    call_command("refresh_deadlines", stdout=out)
    return out.getvalue()


def test_refresh_deadlines_fixes_a_stale_deadline_and_a_second_run_changes_nothing(
    make_file: Callable[..., ClientFile],
) -> None:
    client_file = make_file()
    expected = (client_file.next_deadline_on, client_file.next_deadline_kind)
    ClientFile.objects.filter(pk=client_file.pk).update(next_deadline_on=None, next_deadline_kind="")

    first = refresh()
    state = list(ClientFile.objects.values_list("pk", "next_deadline_on", "next_deadline_kind", "updated_at"))
    second = refresh()

    client_file.refresh_from_db()
    assert (client_file.next_deadline_on, client_file.next_deadline_kind) == expected
    assert first.startswith("1 client files got a new next deadline")
    assert second.startswith("0 client files got a new next deadline")
    assert list(ClientFile.objects.values_list("pk", "next_deadline_on", "next_deadline_kind", "updated_at")) == state


def test_refresh_deadlines_records_one_job_event_per_run_with_the_count(make_file: Callable[..., ClientFile]) -> None:
    make_file()
    refresh()
    refresh()

    events = list(AuditEvent.objects.filter(event_type="deadlines_refreshed").order_by("id"))
    assert [(e.actor_id, e.via, e.changes["count"]) for e in events] == [(None, "job", 0), (None, "job", 0)]
