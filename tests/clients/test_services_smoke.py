from __future__ import annotations

from datetime import date

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import StatusChange
from openinburgering.clients.services import change_status


@pytest.mark.django_db
def test_registering_a_client_writes_history_and_audit(make_file, actor):
    client_file = make_file(assigned_to="kim")
    assert client_file.status == "aangemeld"
    assert StatusChange.objects.filter(client_file=client_file).count() == 1
    assert list(AuditEvent.objects.filter(client_file=client_file).values_list("event_type", flat=True)) == [
        "client_file_registered"
    ]
    change_status(actor=actor("kim"), client_file=client_file, to_status="intake", reason="Intake gepland")
    assert client_file.status == "intake"
    assert client_file.person.birth_on == date(1990, 5, 1)
