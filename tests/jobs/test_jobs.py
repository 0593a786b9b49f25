"""Background jobs on the real queue (ADR 0009): enqueued in the transaction of their cause, run by the real worker
(`core.jobs.run_queued_jobs`), idempotent per day, retried with backoff, and shown with progress on the jobs page."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openinburgering.accounts.models import Gemeente
from openinburgering.audit.models import AuditEvent
from openinburgering.clients import tasks as client_tasks
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.jobs import RETRY_BASE_SECONDS, run_queued_jobs, start_job
from openinburgering.core.models import JobRun, JobStatus
from openinburgering.core.schedule import schedule_daily
from openinburgering.signals.models import SignalMessage
from openinburgering.signals.tasks import SYNC_LIMIT
from tests.signals.builders import new_bsn, plicht_event

pytestmark = pytest.mark.django_db


def stale_file(make_file: Callable[..., ClientFile]) -> ClientFile:
    """A file whose stored next step is wrong, so the refresh has something to do."""
    client_file = make_file(file={"kennisgeving_on": today() - timedelta(days=7)})
    ClientFile.objects.filter(pk=client_file.pk).update(next_deadline_on=None, next_deadline_kind="")
    return client_file


def haarlem_refresh() -> JobRun:
    """One refresh job for Haarlem only (the daily schedule would add Zandvoort's too)."""
    with transaction.atomic():
        return start_job(
            task=client_tasks.refresh_deadlines_job,
            kind="refresh_deadlines",
            label="Termijnen bijwerken",
            gemeente=Gemeente.objects.get(code="GM0392"),
        )


def make_due(run: JobRun) -> None:
    """Let the retry that `run_job` enqueued with a backoff become due now (instead of waiting 30 s)."""
    DBTaskResult.objects.filter(pk=run.task_result_id).update(run_after=timezone.now() - timedelta(seconds=1))


def test_the_daily_schedule_enqueues_once_per_gemeente_and_the_worker_refreshes_deadlines(make_file, staff):
    client_file = stale_file(make_file)
    with transaction.atomic():
        runs = schedule_daily(as_of=today())
    refresh = [run for run in runs if run.kind == "refresh_deadlines"]
    assert {run.gemeente.code for run in refresh} == {"GM0392", "GM0473"}
    assert all(run.status == JobStatus.QUEUED for run in runs)
    queued = DBTaskResult.objects.count()
    assert queued == len(runs)

    again = schedule_daily(as_of=today())  # a second call the same day: nothing new
    assert [run.pk for run in again] == [run.pk for run in runs]
    assert DBTaskResult.objects.count() == queued

    run_queued_jobs()

    haarlem = JobRun.objects.get(kind="refresh_deadlines", gemeente__code="GM0392")
    assert haarlem.status == JobStatus.DONE
    assert haarlem.attempts == 1
    assert haarlem.total == haarlem.done >= 1
    assert haarlem.result["changed"] >= 1
    assert "nieuwe eerstvolgende termijn" in haarlem.message
    assert ClientFile.objects.get(pk=client_file.pk).next_deadline_on is not None
    summary = AuditEvent.objects.filter(event_type="deadlines_refreshed", client_file__isnull=True, via="job")
    assert summary.filter(gemeente__code="GM0392").count() == 1
    assert set(JobRun.objects.values_list("status", flat=True)) == {JobStatus.DONE}
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_the_schedule_command_prints_the_days_jobs_and_a_second_call_adds_none(staff):
    out = StringIO()
    call_command("schedule_jobs", stdout=out)
    lines = out.getvalue().splitlines()
    assert any("refresh_deadlines" in line and "In de wachtrij" in line for line in lines)
    assert any("apply_retention" in line for line in lines)
    count = JobRun.objects.count()
    call_command("schedule_jobs", stdout=StringIO())
    assert JobRun.objects.count() == count


def test_a_job_enqueued_in_a_transaction_that_rolls_back_does_not_exist(staff):
    def change_that_fails() -> None:
        with transaction.atomic():
            start_job(task=client_tasks.refresh_deadlines_job, kind="refresh_deadlines", label="x")
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not JobRun.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_failing_job_is_retried_with_backoff_and_then_succeeds(make_file, staff, monkeypatch):
    stale_file(make_file)
    real = client_tasks.refresh_deadlines
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("database gone away")
        return real(**kwargs)

    monkeypatch.setattr(client_tasks, "refresh_deadlines", flaky)
    run = haarlem_refresh()
    before = timezone.now()
    run_queued_jobs()

    run.refresh_from_db()
    assert run.status == JobStatus.RETRYING
    assert run.attempts == 1
    assert run.last_error == "ConnectionError: database gone away"
    assert run.next_attempt_at >= before + timedelta(seconds=RETRY_BASE_SECONDS)
    retry = DBTaskResult.objects.get(pk=run.task_result_id)
    assert retry.status == "READY"
    assert retry.run_after == run.next_attempt_at
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1  # the first attempt, with its traceback

    run_queued_jobs()  # not due yet: nothing happens
    run.refresh_from_db()
    assert run.status == JobStatus.RETRYING
    assert calls["n"] == 1

    make_due(run)
    run_queued_jobs()
    run.refresh_from_db()
    assert run.status == JobStatus.DONE
    assert run.attempts == 2
    assert calls["n"] == 2


def test_a_job_that_keeps_failing_stops_after_max_attempts(staff, monkeypatch):
    def broken(**kwargs):
        raise ValueError("kapot")

    monkeypatch.setattr(client_tasks, "refresh_deadlines", broken)
    run = haarlem_refresh()
    run_queued_jobs()
    for _ in range(run.max_attempts - 1):
        run.refresh_from_db()
        assert run.status == JobStatus.RETRYING
        make_due(run)
        run_queued_jobs()
    run.refresh_from_db()
    assert run.status == JobStatus.FAILED
    assert run.attempts == run.max_attempts == 3
    assert run.finished_at is not None
    assert "mislukt" in run.message
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no further retry queued
    # A duplicate delivery of a finished run does nothing.
    client_tasks.refresh_deadlines_job.call(run.pk)
    run.refresh_from_db()
    assert run.attempts == 3


def test_the_retention_job_runs_as_a_daily_job_per_gemeente(staff):
    with transaction.atomic():
        runs = schedule_daily(as_of=today())
    run_queued_jobs()
    retention = JobRun.objects.get(kind="apply_retention", gemeente__code="GM0392")
    assert retention.status == JobStatus.DONE
    assert retention.result["destroyed"] == 0
    assert "0 dossiers vernietigd" in retention.message
    assert JobRun.objects.get(kind="prune_task_results").status == JobStatus.DONE
    assert len(runs) == JobRun.objects.count()


def _events(count: int) -> list[dict]:
    return [plicht_event(bericht_id=f"BATCH-{n:04d}", bsn=new_bsn()) for n in range(count)]


def upload(client, events: list[dict]):
    body = json.dumps(events).encode()
    return client.post(
        "/signalen/inlezen/", {"kind": "duo", "file": SimpleUploadedFile("duo.json", body, "application/json")}
    )


def test_a_large_duo_file_is_imported_as_a_job_with_progress_and_its_payload_is_removed(login, staff):
    kim = login("kim")
    events = _events(SYNC_LIMIT + 5)
    events[3] = {"gebeurtenisId": "SS101"}  # no berichtId: rejected with a reason
    response = upload(kim, events)
    run = JobRun.objects.get(kind="import_signals")
    assert response.status_code == 302
    assert response["Location"] == f"/taken/{run.pk}/"
    assert run.status == JobStatus.QUEUED
    assert run.total == len(events)
    assert run.done == 0
    assert len(run.payload["events"]) == len(events)
    assert not SignalMessage.objects.exists()  # nothing imported in the request

    page = kim.get(f"/taken/{run.pk}/")
    assert page.status_code == 200
    assert "In de wachtrij" in page.content.decode()

    run_queued_jobs()
    run.refresh_from_db()
    assert run.status == JobStatus.DONE
    assert run.done == run.total == len(events)
    assert run.payload == {}
    assert run.result["counts"] == {"applied": len(events) - 1, "rejected": 1}
    assert SignalMessage.objects.count() == len(events) - 1  # a message without berichtId is not stored
    assert AuditEvent.objects.filter(event_type="signal_received", via="job").count() == len(events) - 1
    html = kim.get(f"/taken/{run.pk}/").content.decode()
    assert "Klaar" in html
    assert f"{len(events)} van {len(events)}" in html
    assert "Afgewezen" in html  # the rejected message is listed with its reason


def test_an_interrupted_import_continues_after_the_last_chunk_on_retry(login, staff, monkeypatch):
    from openinburgering.signals import services as signal_services
    from openinburgering.signals import tasks as signal_tasks

    events = _events(SYNC_LIMIT + 1)
    upload(login("kim"), events)
    real = signal_services.import_duo_events
    calls = {"n": 0}

    def fails_on_the_third_chunk(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ConnectionError("weg")
        return real(**kwargs)

    monkeypatch.setattr(signal_services, "import_duo_events", fails_on_the_third_chunk)
    run_queued_jobs()
    run = JobRun.objects.get(kind="import_signals")
    assert run.status == JobStatus.RETRYING
    assert run.done == 2 * signal_tasks.CHUNK
    make_due(run)
    run_queued_jobs()
    run.refresh_from_db()
    assert run.status == JobStatus.DONE
    assert run.result["counts"] == {"applied": len(events)}  # no message seen twice
    assert not AuditEvent.objects.filter(event_type="signal_duplicate_ignored").exists()


def test_a_small_file_is_still_imported_in_the_request(login, staff):
    response = upload(login("kim"), _events(2))
    assert response.status_code == 200
    assert not JobRun.objects.exists()
    assert SignalMessage.objects.count() == 2


def test_who_sees_which_job(login, staff):
    upload(login("kim"), _events(SYNC_LIMIT + 1))
    with transaction.atomic():
        schedule_daily(as_of=today())
    kims = JobRun.objects.get(kind="import_signals")
    haarlem_refresh = JobRun.objects.get(kind="refresh_deadlines", gemeente__code="GM0392")
    zandvoort_refresh = JobRun.objects.get(kind="refresh_deadlines", gemeente__code="GM0473")
    prune = JobRun.objects.get(kind="prune_task_results")

    for overseer in ("fenna", "tamara"):
        client = login(overseer)
        listing = client.get("/taken/").content.decode()
        assert "Gebeurtenissen van DUO inlezen" in listing
        assert "Termijnen van alle open dossiers" in listing
        assert client.get(f"/taken/{kims.pk}/").status_code == 200
        assert client.get(f"/taken/{haarlem_refresh.pk}/").status_code == 200
        assert client.get(f"/taken/{zandvoort_refresh.pk}/").status_code == 404  # another gemeente
        assert client.get(f"/taken/{prune.pk}/").status_code == 404  # a system job without a gemeente
    kim = login("kim")
    assert kim.get(f"/taken/{kims.pk}/").status_code == 200
    assert kim.get(f"/taken/{haarlem_refresh.pk}/").status_code == 404  # not hers, and she is no overseer
    assert "Termijnen" not in kim.get("/taken/").content.decode()
    assert login("frank").get(f"/taken/{kims.pk}/").status_code == 404
    assert login("ruben", "GM0473").get(f"/taken/{kims.pk}/").status_code == 404
    assert login("ruben", "GM0473").get(f"/taken/{zandvoort_refresh.pk}/").status_code == 200
    assert 'href="/taken/"' in login("fenna").get("/").content.decode()  # in the menu
    assert 'href="/taken/"' not in login("kim").get("/").content.decode()
