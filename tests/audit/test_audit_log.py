from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from openinburgering.audit.catalogue import EVENT_CODES
from openinburgering.audit.models import AuditEvent
from openinburgering.audit.services import record_event
from openinburgering.core.context import reset_request_id, set_request_id


@pytest.mark.django_db
def test_record_event_stamps_actor_gemeente_purpose_and_request_id(actor):
    token = set_request_id("req-1234567890")
    try:
        event = record_event(actor=actor("kim"), event_type="caseload_viewed", purpose="regie")
    finally:
        reset_request_id(token)
    event.refresh_from_db()
    assert (event.actor.username, event.actor_role, event.gemeente.code) == ("kim", "klantregisseur", "GM0392")
    assert (event.purpose, event.request_id, event.via) == ("regie", "req-1234567890", "ui")


@pytest.mark.django_db
def test_unknown_event_type_is_refused():
    with pytest.raises(ValueError, match="Unknown audit event type"):
        record_event(event_type="something_else", purpose="x")
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_model_refuses_update_and_delete(actor):
    event = record_event(actor=actor("kim"), event_type="caseload_viewed", purpose="regie")
    event.purpose = "changed"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="changed")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).purpose == "regie"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only; CI requires it")
def test_postgresql_refuses_update_and_delete_of_audit_rows(actor):
    event = record_event(actor=actor("kim"), event_type="caseload_viewed", purpose="regie")
    for statement in (
        "UPDATE audit_auditevent SET purpose = 'changed' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="insert-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, purpose="regie").count() == 1


def test_catalogue_codes_are_past_tense_snake_case():
    for code in EVENT_CODES:
        assert code == code.lower(), code
        assert " " not in code, code
        assert any(word.endswith("ed") or word == "read" for word in code.split("_")), code
