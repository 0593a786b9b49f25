"""The start page is a worklist (#11 item 14): per role the queues that apply, each with its count and a link to
the filtered list that shows exactly those items, in a constant number of queries."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openinburgering.accounts.models import User
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.loader import load_demo
from openinburgering.handhaving.models import FineProposal
from openinburgering.home.selectors import WorkItem, worklist_for
from openinburgering.monitoring.cbs.services import Quarter
from openinburgering.plans.models import PipVersion
from openinburgering.progress.selectors import rate_window
from openinburgering.providers.models import Provider
from openinburgering.signals.models import FileSignal
from tests.monitoring.conftest import _contract, enrol, report

pytestmark = pytest.mark.django_db


@dataclass
class Queues:
    overdue: ClientFile
    this_week: ClientFile
    low_attendance: ClientFile
    calm: ClientFile
    to_approve: ClientFile
    to_fine: ClientFile
    signalled: ClientFile


def _add_queue_items(staff: dict[str, User], make_file: Callable[..., ClientFile], tag: str) -> Queues:
    kim, tamara = staff["kim"], staff["tamara"]
    files = {
        name: make_file(assigned_to=owner, person={"surname": f"{name.capitalize()}{tag}"})
        for name, owner in (("telaat", "kim"), ("dezeweek", "kim"), ("laag", "kim"), ("rustig", "kim"),
                            ("goedkeuren", "youssef"), ("boete", "youssef"), ("signaal", "youssef"))
    }  # fmt: skip
    # Worklists read the stored next step; place every file well ahead, then two of them in the queues.
    as_of = today()
    ClientFile.objects.filter(pk__in=[f.pk for f in files.values()]).update(
        next_deadline_on=as_of + timedelta(days=60), next_deadline_kind="termijn_ends", status="in_traject"
    )
    ClientFile.objects.filter(pk=files["telaat"].pk).update(next_deadline_on=as_of - timedelta(days=3))
    ClientFile.objects.filter(pk=files["dezeweek"].pk).update(next_deadline_on=as_of + timedelta(days=2))
    # Attended 2 of 10 hours in the last complete week: under any threshold.
    gemeente = files["laag"].gemeente
    provider, _ = Provider.objects.get_or_create(
        name="Taalschool Start", defaults={"kinds": ["taalaanbieder"], "gemeente": gemeente}
    )
    contract = _contract(provider, f"Contract {tag}", gemeente=gemeente, price_model="per_hour")
    window = rate_window(as_of)
    monday = window.ends_on - timedelta(days=6)
    enrolment = enrol(kim, files["laag"], contract, "geaccepteerd", window.starts_on, as_of, "10")
    report(kim, enrolment, f"W{tag}", monday, "10", "2", "0", "8")
    version = PipVersion.objects.create(
        client_file=files["goedkeuren"], number=1, status="ter_goedkeuring", leerroute="b1",
        drafted_at=timezone.now(), drafted_by=kim, submitted_at=timezone.now(), submitted_by=kim,
    )  # fmt: skip
    fixed = PipVersion.objects.create(
        client_file=files["boete"], number=1, status="vastgesteld", leerroute="b1", drafted_at=timezone.now(),
        drafted_by=kim, approved_at=timezone.now(), approved_by=tamara, dagtekening_on=as_of - timedelta(days=30),
    )  # fmt: skip
    FineProposal.objects.create(
        client_file=files["boete"], pip_version=fixed, ground="map", established_on=as_of, facts="f",
        reasoning="r", culpability="normaal", amount=Decimal("50.00"), base_amount=Decimal("50.00"),
        repeat_count=0, capped=False, w22_total=0, w23_total=0, proposed_at=timezone.now(), proposed_by=kim,
    )  # fmt: skip
    FileSignal.objects.create(
        gemeente=files["signaal"].gemeente, client_file=files["signaal"],
        kind=FileSignal._meta.get_field("kind").choices[0][0], summary=f"Signaal {tag}",
    )  # fmt: skip
    assert version.status == "ter_goedkeuring"
    return Queues(files["telaat"], files["dezeweek"], files["laag"], files["rustig"], files["goedkeuren"],
                  files["boete"], files["signaal"])  # fmt: skip


@pytest.fixture
def queues(staff: dict[str, User], make_file: Callable[..., ClientFile]) -> Queues:
    return _add_queue_items(staff, make_file, "A")


def _counts(items: list[WorkItem]) -> dict[str, int]:
    return {item.key: item.count for item in items}


def test_a_klantregisseur_sees_her_own_caseload_queues_and_signals(queues: Queues, actor: Any) -> None:
    items = worklist_for(actor("kim"), as_of=today())
    assert _counts(items) == {"overdue": 1, "week": 1, "low_attendance": 1, "referrals": 0, "signals": 1}
    assert [item.url for item in items] == [
        "/dossiers/caseload/?due=overdue",
        "/dossiers/caseload/?due=week",
        "/dossiers/caseload/?signal=low_attendance",
        "/netwerk/opvolgen/",
        "/signalen/dossiersignalen/",
    ]


def test_a_teamleider_sees_the_team_queues_approvals_fines_and_signals(queues: Queues, actor: Any) -> None:
    items = worklist_for(actor("tamara"), as_of=today())
    assert _counts(items) == {
        "overdue": 1, "week": 1, "low_attendance": 1, "referrals": 0, "pip_approvals": 1, "fines": 1,
        "cbs_delivery": 1, "signals": 1,
    }  # fmt: skip
    assert [item.url for item in items] == [
        "/dossiers/team/?due=overdue",
        "/dossiers/team/?due=week",
        "/dossiers/team/?signal=low_attendance",
        "/netwerk/opvolgen/",
        "/pip/",
        "/boetes/",
        f"/monitoring/cbs/?kwartaal={Quarter.last_completed(today()).label}",  # #16 item 5: until downloaded
        "/signalen/dossiersignalen/",
    ]


@pytest.mark.parametrize("username", ["frank", "carla", "fenna", "anouk"])
def test_roles_without_a_queue_get_no_worklist(queues: Queues, actor: Any, username: str) -> None:
    assert worklist_for(actor(username), as_of=today()) == []


def test_each_count_links_to_a_list_showing_exactly_those_items(queues: Queues, login: Any) -> None:
    client = login("tamara")
    html = client.get("/").content.decode()
    expected = {
        "/dossiers/team/?due=overdue": queues.overdue,
        "/dossiers/team/?due=week": queues.this_week,
        "/dossiers/team/?signal=low_attendance": queues.low_attendance,
        "/pip/": queues.to_approve,
        "/boetes/": queues.to_fine,
        "/signalen/dossiersignalen/": queues.signalled,
    }
    everyone = [queues.overdue, queues.this_week, queues.low_attendance, queues.calm, queues.to_approve,
                queues.to_fine, queues.signalled]  # fmt: skip
    for url, shown in expected.items():
        link = re.search(rf'href="{re.escape(url)}">\s*<span class="app-worklist__count">(\d+)</span>', html)
        assert link is not None, url
        assert link.group(1) == "1"
        page = client.get(url).content.decode()
        assert [f.person.surname for f in everyone if f.person.surname in page] == [shown.person.surname], url


def test_the_worklist_takes_the_same_number_of_queries_for_more_items(
    queues: Queues, staff: dict[str, User], make_file: Callable[..., ClientFile], actor: Any
) -> None:
    tamara = actor("tamara")
    worklist_for(tamara, as_of=today())  # warm-up: the gemeente's attendance threshold is cached from here on (#18)
    with CaptureQueriesContext(connection) as few:
        worklist_for(tamara, as_of=today())
    _add_queue_items(staff, make_file, "B")
    with CaptureQueriesContext(connection) as more:
        items = worklist_for(tamara, as_of=today())
    assert _counts(items)["overdue"] == 2
    assert len(few.captured_queries) == 8  # 3 caseload counts, referrals, approvals, fines, CBS step, signals
    assert len(more.captured_queries) == 8


def test_the_demo_has_at_least_one_item_in_every_queue_of_the_teamleider(actor: Any) -> None:
    load_demo(today=today())
    empty = [item.key for item in worklist_for(actor("tamara"), as_of=today()) if item.count == 0]
    assert empty == []
