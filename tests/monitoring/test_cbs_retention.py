"""After the retention job has emptied a CBS file (two years after its quarter; docs/retention.md) the page shows
that it is destroyed with its checksum instead of a download link, the API list says so, and a download answers
409 in Dutch on the page and in the API without writing a download row or a download event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from openinburgering.accounts.models import User
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.jobs import run_queued_jobs
from openinburgering.monitoring.cbs.models import CbsDelivery, CbsDeliveryDownload
from openinburgering.retention.services import apply_retention
from tests.api.conftest import ApiClient, problem

from .cbs_fixtures import Quarterly, quarterly

pytestmark = pytest.mark.django_db

PAGE = "/monitoring/cbs/?kwartaal=2026-K3"
QUARTER = "/api/v1/monitoring/cbs"


@pytest.fixture
def files(staff: dict[str, User], make_file: Callable[..., ClientFile]) -> Quarterly:
    return quarterly(staff, make_file)


def test_a_destroyed_file_is_shown_as_destroyed_and_cannot_be_downloaded(
    files: Quarterly, login: Callable[..., Client], api: Callable[..., ApiClient]
) -> None:  # fmt: skip
    client = login("bram")
    assert client.post("/monitoring/cbs/maken/", {"kwartaal": "2026-K3"}).status_code == 302
    run_queued_jobs()
    delivery = CbsDelivery.objects.get()
    download = f"/monitoring/cbs/{delivery.pk}/download/"
    [listed] = api("bram").get(QUARTER, {"kwartaal": "2026-K3"}).json()["files"]
    assert (listed["destroyed"], listed["kept_until"]) == (False, "2028-09-30")
    html = client.get(PAGE).content.decode()
    assert download in html
    assert "Twee jaar na het einde van het kwartaal vernietigt het systeem het bestand" in html

    assert apply_retention(as_of=date(2028, 10, 1), dry_run=False).cbs_files == {"GM0392": [delivery.pk]}

    html = client.get(PAGE).content.decode()
    assert download not in html
    assert "Vernietigd: de bewaartermijn van twee jaar na het kwartaal is voorbij." in html
    assert delivery.sha256 in html
    response = client.get(download)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Dit CBS-bestand is vernietigd: de bewaartermijn liep tot en met 30-09-2028" in page
    assert "/monitoring/cbs/?kwartaal=2026-K3" in page

    api_client = api("bram")
    [listed] = api_client.get(QUARTER, {"kwartaal": "2026-K3"}).json()["files"]
    assert (listed["destroyed"], listed["sha256"], listed["record_count"]) == (True, delivery.sha256, 2)
    response = api_client.get(listed["download_url"])
    assert response.status_code == 409
    assert "vernietigd" in problem(response)["detail"]

    assert not CbsDeliveryDownload.objects.exists()
    assert not AuditEvent.objects.filter(event_type="cbs_delivery_downloaded").exists()


def test_another_gemeente_gets_404_not_409_for_a_destroyed_file(
    files: Quarterly, login: Callable[..., Client], api: Callable[..., ApiClient]
) -> None:  # fmt: skip
    login("bram").post("/monitoring/cbs/maken/", {"kwartaal": "2026-K3"})
    run_queued_jobs()
    delivery = CbsDelivery.objects.get()
    apply_retention(as_of=date(2028, 10, 1), dry_run=False)
    assert api("zoe", "GM0473").get(f"{QUARTER}/files/{delivery.pk}").status_code == 404
    assert api("kim").get(f"{QUARTER}/files/{delivery.pk}").status_code == 404
