"""The CBS delivery in the API: counts without names, the job, the download; 404 for other roles; answers match
openapi.yaml (schemathesis checks, as tests/api/test_fuzz.py)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from openinburgering.accounts.models import User
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.jobs import run_queued_jobs
from openinburgering.monitoring.cbs.models import CbsDelivery, CbsDeliveryDownload
from tests.api.conftest import ApiClient, problem
from tests.mijn.test_api import _as_requests

from .cbs_fixtures import Quarterly, quarterly

pytestmark = pytest.mark.django_db

QUARTER = "/api/v1/monitoring/cbs"
FILES = "/api/v1/monitoring/cbs/files"


@pytest.fixture
def files(staff: dict[str, User], make_file: Callable[..., ClientFile]) -> Quarterly:
    return quarterly(staff, make_file)


@pytest.fixture(scope="module")
def schema() -> Any:
    path = Path(tempfile.mkdtemp()) / "openapi.yaml"
    call_command("spectacular", "--file", str(path))
    return schemathesis.openapi.from_path(str(path))


def test_the_quarter_gives_counts_without_names_then_the_job_and_the_download(
    files: Quarterly, api: Callable[..., ApiClient]
) -> None:  # fmt: skip
    client = api("bram")
    body = client.get(QUARTER, {"kwartaal": "2026-K3"}).json()
    assert {key: body[key] for key in ("kwartaal", "deliver_by_on", "delivered", "in_scope", "deliverable",
                                       "incomplete", "left_out")} == {
        "kwartaal": "2026-K3", "deliver_by_on": "2026-10-28", "delivered": False, "in_scope": 3, "deliverable": 2,
        "incomplete": 1, "left_out": 1,
    }  # fmt: skip
    assert body["missing"] == [
        {"kenmerk": "Datum brede intake ontbreekt (geen afgeronde brede intake)", "clients": 1},
        {"kenmerk": "Doelgroep ontbreekt", "clients": 1},
    ]
    assert "Zonderdoelgroep" not in json.dumps(body)
    started = client.post(FILES, {"kwartaal": "2026-K3"})
    assert started.status_code == 202
    assert started.json()["status"] == "queued"
    run_queued_jobs()
    [stored] = client.get(QUARTER, {"kwartaal": "2026-K3"}).json()["files"]
    delivery = CbsDelivery.objects.get()
    assert stored["download_url"] == f"{FILES}/{delivery.pk}"
    assert (stored["version"], stored["record_count"], stored["left_out_count"]) == (1, 2, 1)
    response = client.get(stored["download_url"])
    assert response.status_code == 200
    assert response.content == bytes(delivery.content)
    assert client.get(QUARTER, {"kwartaal": "2026-K3"}).json()["delivered"] is True
    assert CbsDeliveryDownload.objects.get().via == "api"
    events = AuditEvent.objects.filter(event_type__startswith="cbs_").order_by("pk")
    assert list(events.values_list("event_type", "via")) == [
        ("cbs_delivery_viewed", "api"), ("cbs_delivery_requested", "api"), ("cbs_delivery_generated", "job"),
        ("cbs_delivery_viewed", "api"), ("cbs_delivery_downloaded", "api"), ("cbs_delivery_viewed", "api"),
    ]  # fmt: skip


@pytest.mark.parametrize("kwartaal", ["2026-K4", "2021-K1", "2026-Q3"])
def test_a_quarter_that_has_not_ended_or_is_malformed_is_a_400_in_dutch(
    files: Quarterly, api: Callable[..., ApiClient], kwartaal: str
) -> None:  # fmt: skip
    client = api("tamara")
    for response in (client.get(QUARTER, {"kwartaal": kwartaal}), client.post(FILES, {"kwartaal": kwartaal})):
        assert response.status_code == 400
        assert problem(response)["invalidParams"][0]["name"] == "kwartaal"
    assert not CbsDelivery.objects.exists()


@pytest.mark.parametrize(("username", "gemeente"), [("kim", "GM0392"), ("carla", "GM0392"), ("zoe", "GM0473")])
def test_other_roles_and_gemeenten_get_404(
    files: Quarterly, api: Callable[..., ApiClient], username: str, gemeente: str
) -> None:  # fmt: skip
    api("bram").post(FILES, {"kwartaal": "2026-K3"})
    run_queued_jobs()
    delivery = CbsDelivery.objects.get()
    client = api(username, gemeente)
    if username != "zoe":  # zoe is teamleider in Zandvoort: her own quarter, but not Haarlem's file
        assert client.get(QUARTER).status_code == 404
        assert client.post(FILES, {"kwartaal": "2026-K3"}).status_code == 404
    assert client.get(f"{FILES}/{delivery.pk}").status_code == 404
    assert not CbsDeliveryDownload.objects.exists()
    assert api(None).get(QUARTER).status_code == 401


def test_the_answers_match_openapi_yaml(files: Quarterly, api: Callable[..., ApiClient], schema: Any) -> None:
    client = api("bram")
    client.post(FILES, {"kwartaal": "2026-K3"})
    run_queued_jobs()
    delivery = CbsDelivery.objects.get()
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/api/v1/monitoring/cbs"):
            continue
        kwargs: dict[str, Any] = {}
        if "{delivery_id}" in operation.path:
            kwargs["path_parameters"] = {"delivery_id": delivery.pk}
        if operation.method.upper() == "POST":
            kwargs |= {"body": {"kwartaal": "2026-K2"}, "media_type": "application/json"}
        case = operation.Case(**kwargs)
        if operation.method.upper() == "POST":
            response = client.post(case.formatted_path, case.body)
        else:
            response = client.get(case.formatted_path)
        assert response.status_code < 300, (operation.label, response.content[:300])
        case.validate_response(_as_requests(response, case), checks=checks)
        checked += 1
    assert checked == 3
