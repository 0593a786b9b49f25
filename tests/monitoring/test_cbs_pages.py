"""The CBS delivery page, its download and the worklist step: who may, what they see, what is audited."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import User
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.jobs import run_queued_jobs
from openinburgering.home.selectors import worklist_for
from openinburgering.monitoring.cbs.models import CbsDelivery, CbsDeliveryDownload
from openinburgering.monitoring.cbs.selectors import open_delivery_step
from openinburgering.monitoring.cbs.services import Quarter

from .cbs_fixtures import Quarterly, quarterly

pytestmark = pytest.mark.django_db

PAGE = "/monitoring/cbs/?kwartaal=2026-K3"


@pytest.fixture
def files(staff: dict[str, User], make_file: Callable[..., ClientFile]) -> Quarterly:
    return quarterly(staff, make_file)


def _generate(client: Client, quarter: str = "2026-K3") -> CbsDelivery:
    response = client.post("/monitoring/cbs/maken/", {"kwartaal": quarter})
    assert response.status_code == 302
    run_queued_jobs()
    return CbsDelivery.objects.order_by("-pk")[0]


def test_bram_sees_what_is_missing_without_names_and_makes_and_downloads_the_file(
    files: Quarterly, login: Callable[..., Client]
) -> None:  # fmt: skip
    client = login("bram")
    html = client.get(PAGE).content.decode()
    assert "28 oktober 2026" in html
    assert "Doelgroep ontbreekt" in html
    assert "Datum brede intake ontbreekt" in html
    assert "Zonderdoelgroep" not in html
    assert "Zonderintake" not in html
    assert f"/dossiers/{files.no_doelgroep.pk}/gegevens/" not in html
    assert "schema van dit bestand is van Open Inburgering zelf" in html
    viewed = AuditEvent.objects.get(event_type="cbs_delivery_viewed")
    assert viewed.changes == {"incomplete": 2, "names_shown": 0}
    delivery = _generate(client)
    html = client.get(PAGE).content.decode()
    assert f"/monitoring/cbs/{delivery.pk}/download/" in html
    response = client.get(f"/monitoring/cbs/{delivery.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == 'attachment; filename="cbs-swi-GM0392-2026-K3-v1.xml"'
    assert response.content == bytes(delivery.content)
    event = AuditEvent.objects.get(event_type="cbs_delivery_downloaded")
    assert (event.actor.username, event.subject_id, event.changes["records"]) == ("bram", str(delivery.pk), 2)
    assert CbsDeliveryDownload.objects.get().delivery_id == delivery.pk


def test_the_teamleider_sees_names_and_links_to_where_the_data_is_fixed(
    files: Quarterly, login: Callable[..., Client]
) -> None:  # fmt: skip
    client = login("tamara")
    html = client.get(PAGE).content.decode()
    assert "Zonderdoelgroep" in html
    assert "Zonderintake" in html
    fix = f"/dossiers/{files.no_doelgroep.pk}/gegevens/"
    assert f'href="{fix}"' in html
    assert f'href="/dossiers/{files.no_intake.pk}/intake/"' in html
    assert client.get(fix).status_code == 200  # the link goes through the file's own access check
    response = client.post(fix, {"doelgroep": "overig", "kennisgeving_on": "2026-05-11",
                                 "residence": "asiel", "residence_from_on": "2025-06-02"})  # fmt: skip
    assert response.status_code == 302
    html = client.get(PAGE).content.decode()
    assert "Zonderdoelgroep" not in html
    last = AuditEvent.objects.filter(event_type="cbs_delivery_viewed").order_by("-pk")[0]
    assert last.changes == {"incomplete": 1, "names_shown": 1}


@pytest.mark.parametrize(
    ("username", "gemeente"),
    [
        ("kim", "GM0392"),
        ("frank", "GM0392"),
        ("carla", "GM0392"),
        ("anouk", "GM0392"),
        ("fenna", "GM0392"),
        ("rik", "GM0473"),
    ],
)
def test_other_roles_get_404_and_nothing_is_read_or_made(
    files: Quarterly, login: Callable[..., Client], actor: Callable[..., Actor], username: str, gemeente: str
) -> None:  # fmt: skip
    delivery = _generate(login("bram"))
    before = AuditEvent.objects.filter(event_type__startswith="cbs_").count()
    client = login(username, gemeente)
    assert client.get(PAGE).status_code == 404
    assert client.get(f"/monitoring/cbs/{delivery.pk}/download/").status_code == 404
    assert client.post("/monitoring/cbs/maken/", {"kwartaal": "2026-K3"}).status_code == 404
    assert AuditEvent.objects.filter(event_type__startswith="cbs_").count() == before
    assert CbsDeliveryDownload.objects.count() == 0
    assert CbsDelivery.objects.count() == 1


def test_another_gemeentes_teamleider_cannot_download_haarlems_file(
    files: Quarterly, login: Callable[..., Client]
) -> None:  # fmt: skip
    delivery = _generate(login("bram"))
    client = login("zoe", "GM0473")
    assert client.get("/monitoring/cbs/?kwartaal=2026-K3").status_code == 200
    assert client.get(f"/monitoring/cbs/{delivery.pk}/download/").status_code == 404
    assert not CbsDeliveryDownload.objects.exists()


def test_anonymous_goes_to_the_login(files: Quarterly) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/inloggen/")


@pytest.mark.parametrize("kwartaal", ["2026-K4", "2021-K4", "2026-3", "x"])
def test_a_quarter_that_has_not_ended_or_is_not_a_quarter_is_a_404(
    files: Quarterly, login: Callable[..., Client], kwartaal: str
) -> None:  # fmt: skip
    client = login("bram")
    assert client.get(f"/monitoring/cbs/?kwartaal={kwartaal}").status_code == 404
    assert client.post("/monitoring/cbs/maken/", {"kwartaal": kwartaal}).status_code == 404


def test_the_page_takes_the_same_number_of_queries_for_more_files(
    files: Quarterly, login: Callable[..., Client], make_file: Callable[..., ClientFile]
) -> None:  # fmt: skip
    client = login("tamara")
    client.get(PAGE)  # warm-up: session and per-gemeente caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE).status_code == 200
    for index in range(4):
        make_file(person={"surname": f"Extra{index}"}, file={"kennisgeving_on": date(2026, 7, 1), "doelgroep": ""})
    with CaptureQueriesContext(connection) as more:
        html = client.get(PAGE).content.decode()
    assert "Extra3" in html
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_delivery_step_stays_on_the_worklist_until_the_file_is_downloaded(
    files: Quarterly, login: Callable[..., Client], actor: Callable[..., Actor]
) -> None:  # fmt: skip
    gemeente = files.complete.gemeente_id
    step = open_delivery_step(gemeente, as_of=date(2026, 10, 20))
    assert step is not None
    assert (step.quarter, step.deliver_by_on, step.is_overdue) == (Quarter(2026, 3), date(2026, 10, 28), False)
    assert step.label == "CBS-bestand 3e kwartaal 2026: leveren uiterlijk 28 oktober 2026"
    late = open_delivery_step(gemeente, as_of=date(2026, 10, 29))
    assert late is not None
    assert late.label == "CBS-bestand 3e kwartaal 2026: te laat, uiterlijk 28 oktober 2026"
    client = login("tamara")
    quarter = Quarter.last_completed(today())
    items = {item.key: item for item in worklist_for(actor("tamara"), as_of=today())}
    assert items["cbs_delivery"].url == f"/monitoring/cbs/?kwartaal={quarter.label}"
    assert re.search(r'data-worklist="cbs_delivery"', client.get("/").content.decode())
    delivery = _generate(client, quarter.label)
    assert "cbs_delivery" in {item.key for item in worklist_for(actor("tamara"), as_of=today())}  # made, not sent
    client.get(f"/monitoring/cbs/{delivery.pk}/download/")
    assert "cbs_delivery" not in {item.key for item in worklist_for(actor("tamara"), as_of=today())}
    assert open_delivery_step(gemeente, as_of=date(2022, 2, 1)) is None  # no quarter of the Wi2021 before 2022
