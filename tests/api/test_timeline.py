"""GET /api/v1/clients/{id}/timeline: the same entries as the file page, audited, with its permission matrix."""

from __future__ import annotations

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.demo.personas import ZANDVOORT
from tests.casefile.test_timeline import one_of_each

pytestmark = pytest.mark.django_db


def url(client_file) -> str:
    return f"/api/v1/clients/{client_file.pk}/timeline"


def test_the_timeline_is_read_newest_first_with_who_and_when_and_audited(api, make_file, staff):
    client_file = make_file(assigned_to="kim")
    expected, _ = one_of_each(client_file, staff)

    response = api("kim").get(url(client_file), {"page_size": 5})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 28
    assert body["results"][0]["title"] == "Status: Aangemeld"  # the aanmelding today is the newest
    newest_records = sorted(expected, reverse=True)[:4]
    assert [(r["kind"], r["title"], r["actor"]) for r in body["results"][1:]] == [
        (kind, title, who) for _, kind, title, who in newest_records
    ]
    assert body["results"][1]["at"] == newest_records[0][0].isoformat()
    event = AuditEvent.objects.get(event_type="timeline_read")
    assert (event.client_file_id, event.via, event.actor.username) == (client_file.pk, "api", "kim")


@pytest.mark.parametrize(("who", "status"), [(("zeynep", ZANDVOORT), 404), (("anouk",), 404), (None, 401)])
def test_the_timeline_is_not_read_outside_the_file_door(api, make_file, staff, who, status):
    client_file = make_file(assigned_to="kim")
    one_of_each(client_file, staff)
    response = (api(*who) if who else api(None)).get(url(client_file))
    assert response.status_code == status
    assert AuditEvent.objects.filter(event_type="timeline_read").count() == 0
