"""The daily BRP check of open files against the loopback BRP (official test persons, every request and response
validated against the BRP Personen 2.7 spec): moves out of the gemeente and deaths become signals once, with the new
gemeente's PIP deadline from the rules; confirming a move (page and API) puts the file on verhuisd."""

from __future__ import annotations

from typing import Any

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.jobs import run_queued_jobs
from openinburgering.core.models import JobRun
from openinburgering.interop import brp_check
from openinburgering.interop.tasks import start_daily_brp_check
from openinburgering.signals.models import FileSignal

pytestmark = pytest.mark.django_db

MOVED_BSN = "999970872"  # BRP test person registered in 's-Gravenhage (0518) since 18-04-2016
DEAD_BSN = "999970847"  # BRP test person who died in 2014 (date incomplete in the BRP)
STAYING_BSN = "999970859"  # made a Haarlem inhabitant in the loopback BRP below


@pytest.fixture
def files(make_file: Any, brp_server: Any, brp_connection: Any) -> dict[str, ClientFile]:
    brp_server.persons[STAYING_BSN]["gemeenteVanInschrijving"] = {"code": "0392", "omschrijving": "Haarlem"}
    return {bsn: make_file(person={"bsn": bsn}) for bsn in (MOVED_BSN, DEAD_BSN, STAYING_BSN)}


def test_moves_and_deaths_become_signals_once(files: dict[str, ClientFile], brp_server: Any, haarlem: Any) -> None:
    report = brp_check.check_gemeente(gemeente=haarlem)

    assert report.checked == 3
    moved = FileSignal.objects.get(client_file=files[MOVED_BSN])
    assert moved.data["brp_check"] == "verhuisd"
    assert moved.data["nieuwe_gemeentecode"] == "0518"
    assert "sinds 18-04-2016 in gemeente GM0518" in moved.summary
    # 10 weeks after the registration in the new gemeente (B 5.3 lid 3), from rules.pip_deadline.
    assert moved.data["pip_due_on_new_gemeente"] == "2016-06-27"
    assert "uiterlijk 27-06-2016" in moved.summary
    dead = FileSignal.objects.get(client_file=files[DEAD_BSN])
    assert dead.data["brp_check"] == "overleden"
    assert "overleden (2014)" in dead.summary
    assert not FileSignal.objects.filter(client_file=files[STAYING_BSN]).exists()
    request = brp_server.requests[-1]
    assert request["json"]["fields"] == list(brp_check.CHECK_FIELDS)
    assert request["headers"]["X-Verwerking"] == brp_check.VERWERKING
    assert request["headers"]["X-Doelbinding"] == "BRPACT-Inburgering-Haarlem"
    assert AuditEvent.objects.filter(event_type="residence_check_signalled").count() == 2
    assert AuditEvent.objects.get(event_type="residence_check_completed").changes["checked"]["new"] == 3

    again = brp_check.check_gemeente(gemeente=haarlem)  # the next day: nothing new

    assert again.signals == 0
    assert len(again.findings) == 2
    assert FileSignal.objects.count() == 2
    assert brp_server.spec_errors == []


def test_the_brp_being_down_fails_the_run_with_a_dutch_message(files: Any, brp_server: Any, haarlem: Any) -> None:
    brp_server.fail_with = 503
    with pytest.raises(Exception, match="niet bereikbaar"):
        brp_check.check_gemeente(gemeente=haarlem)
    assert not FileSignal.objects.exists()


def test_the_daily_job_runs_once_per_gemeente_with_a_brp_connection(files: Any, brp_server: Any) -> None:
    runs = start_daily_brp_check(as_of=today())
    assert [run.gemeente.code for run in runs] == ["GM0392"]
    assert start_daily_brp_check(as_of=today()) == runs  # idempotent per day

    run_queued_jobs()

    run = JobRun.objects.get(pk=runs[0].pk)
    assert run.status == "done", run.last_error
    assert run.message == "3 open dossiers gecontroleerd in de BRP: 1 verhuisd, 1 overleden; 2 nieuwe signalen."
    assert FileSignal.objects.count() == 2


def test_confirming_the_move_on_the_page_puts_the_file_on_verhuisd(
    files: dict[str, ClientFile], haarlem: Any, login: Any
) -> None:
    brp_check.check_gemeente(gemeente=haarlem)
    signal = FileSignal.objects.get(client_file=files[MOVED_BSN])
    kim = login("kim")

    page = kim.get(f"/signalen/dossiersignalen/{signal.pk}/afhandelen/")
    assert "Verhuizing bevestigen" in page.content.decode()
    answer = kim.post(f"/koppelingen/brp/verhuizing/{signal.pk}/bevestigen/")

    assert answer.status_code == 302
    files[MOVED_BSN].refresh_from_db()
    assert files[MOVED_BSN].status == "verhuisd"
    signal.refresh_from_db()
    assert signal.resolved_at is not None
    assert (
        files[MOVED_BSN].status_changes.order_by("pk").last().reason
        == "BRP: verhuisd naar gemeente GM0518 op 18-04-2016 (bevestigd)."
    )
    # The death signal is not a move: confirming it as one is a 404.
    dead = FileSignal.objects.get(client_file=files[DEAD_BSN])
    assert kim.post(f"/koppelingen/brp/verhuizing/{dead.pk}/bevestigen/").status_code == 404
    assert "Verhuizing bevestigen" not in kim.get(f"/signalen/dossiersignalen/{dead.pk}/afhandelen/").content.decode()


def test_confirming_the_move_through_the_api(files: dict[str, ClientFile], haarlem: Any, api: Any) -> None:
    brp_check.check_gemeente(gemeente=haarlem)
    signal = FileSignal.objects.get(client_file=files[MOVED_BSN])

    assert api("zeynep", "GM0473").post(f"/api/v1/brp-controle/verhuizingen/{signal.pk}/bevestigen").status_code == 404
    answer = api("kim").post(f"/api/v1/brp-controle/verhuizingen/{signal.pk}/bevestigen")

    assert answer.status_code == 200
    assert answer.json()["status"] == "verhuisd"
    assert answer.json()["client_file_id"] == files[MOVED_BSN].pk
    assert api("kim").post(f"/api/v1/brp-controle/verhuizingen/{signal.pk}/bevestigen").status_code == 404  # handled
