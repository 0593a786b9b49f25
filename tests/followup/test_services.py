"""Vervolg services: what may be recorded when, the Dutch errors, insert-only history, the next step on the file,
ending the follow-up, and the audit trail in the same transaction."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile, StatusChange
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError
from openinburgering.followup import services
from openinburgering.followup.models import FollowUpRecord

pytestmark = pytest.mark.django_db


def good(**overrides: object) -> dict[str, object]:
    return {
        "situation": "werk", "organisation": "Bakkerij De Korenaar", "hours_per_week": Decimal("24"),
        "started_on": today() - timedelta(days=30), "contact_on": today(),
        "next_contact_on": today() + timedelta(days=90), "note": "Werkt in de ochtend.", **overrides,
    }  # fmt: skip


def test_voldaan_puts_recording_the_follow_up_on_the_caseload(voldaan_file):
    client_file = voldaan_file()
    assert (client_file.status, client_file.next_deadline_kind, client_file.next_deadline_on) == (
        "voldaan", "followup_plan", today(),
    )  # fmt: skip


def test_recording_a_contact_plans_the_next_one(voldaan_file, actor):
    client_file = voldaan_file()
    record = services.record_follow_up(actor=actor("kim"), client_file=client_file, data=good())
    stored = ClientFile.objects.get(pk=client_file.pk)
    assert (stored.next_deadline_kind, stored.next_deadline_on) == ("followup_contact", today() + timedelta(days=90))
    assert (record.situation, record.organisation, record.hours_per_week) == ("werk", "Bakkerij De Korenaar", 24)
    event = AuditEvent.objects.get(event_type="followup_recorded", client_file=client_file)
    assert event.changes == {"situation": "werk", "next_contact_on": (today() + timedelta(days=90)).isoformat()}
    assert event.actor.username == "kim"


def test_a_contact_without_a_next_one_leaves_no_step(voldaan_file, actor):
    client_file = voldaan_file()
    services.record_follow_up(actor=actor("kim"), client_file=client_file, data=good(next_contact_on=None))
    stored = ClientFile.objects.get(pk=client_file.pk)
    assert (stored.next_deadline_kind, stored.next_deadline_on) == ("", None)


def test_before_the_plicht_is_done_there_is_no_follow_up(voldaan_file, actor):
    client_file = voldaan_file(until="in_traject")
    with pytest.raises(ApplicationError) as error:
        services.record_follow_up(actor=actor("kim"), client_file=client_file, data=good())
    assert "'In traject'" in error.value.message
    assert not FollowUpRecord.objects.exists()
    assert not AuditEvent.objects.filter(event_type="followup_recorded").exists()


def test_vrijgesteld_or_ontheven_can_get_follow_up(voldaan_file, actor):
    client_file = voldaan_file(until="vrijgesteld_ontheven")
    assert client_file.next_deadline_kind == ""
    services.record_follow_up(actor=actor("kim"), client_file=client_file, data=good(situation="participatie"))
    assert ClientFile.objects.get(pk=client_file.pk).next_deadline_kind == "followup_contact"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"situation": "vakantie"}, "situation", "Kies waar de persoon nu staat"),
        ({"contact_on": None}, "contact_on", "Vul de datum van het contact in."),
        ({"contact_on": "2026-02-30"}, "contact_on", "Vul een bestaande datum in"),
        ({"contact_on": today() + timedelta(days=1)}, "contact_on", "kan niet in de toekomst"),
        ({"next_contact_on": today()}, "next_contact_on", "Plan het volgende contact na vandaag."),
        ({"hours_per_week": "61"}, "hours_per_week", "tussen 0 en 60"),
        ({"hours_per_week": "-1"}, "hours_per_week", "tussen 0 en 60"),
        ({"hours_per_week": "twaalf"}, "hours_per_week", "Vul een aantal uren in"),
        ({"hours_per_week": "12.25"}, "hours_per_week", "één cijfer achter de komma"),
        ({"organisation": ""}, "organisation", "werkgever, school of organisatie"),
        ({"organisation": "x" * 201}, "organisation", "maximaal 200 tekens"),
        ({"note": "x" * 2001}, "note", "maximaal 2.000 tekens"),
    ],
)
def test_bad_input_gets_a_dutch_error_and_writes_nothing(voldaan_file, actor, overrides, field, message):
    client_file = voldaan_file()
    with pytest.raises(ApplicationError) as error:
        services.record_follow_up(actor=actor("kim"), client_file=client_file, data=good(**overrides))
    assert any(message in text for text in error.value.field_errors[field])
    assert not FollowUpRecord.objects.exists()
    assert ClientFile.objects.get(pk=client_file.pk).next_deadline_kind == "followup_plan"


@pytest.mark.parametrize("situation", ["zoekt", "geen", "onbekend"])
def test_no_organisation_needed_when_there_is_none(voldaan_file, actor, situation):
    client_file = voldaan_file()
    record = services.record_follow_up(
        actor=actor("kim"), client_file=client_file, data=good(situation=situation, organisation="")
    )
    assert record.organisation == ""


def test_the_history_is_insert_only(voldaan_file, actor):
    client_file = voldaan_file()
    record = services.record_follow_up(actor=actor("kim"), client_file=client_file, data=good())
    with pytest.raises(TypeError, match="insert-only"):
        record.save()
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="insert-only"), transaction.atomic():
            FollowUpRecord.objects.filter(pk=record.pk).update(note="anders")
    assert FollowUpRecord.objects.get(pk=record.pk).note == "Werkt in de ochtend."


def test_the_database_refuses_a_next_contact_before_the_contact(voldaan_file, staff):
    client_file = voldaan_file()
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpRecord.objects.create(
            client_file=client_file, situation="werk", contact_on=today(), next_contact_on=today(),
            recorded_at=client_file.status_changed_at, recorded_by=staff["kim"],
        )  # fmt: skip


def test_ending_the_follow_up_ends_the_file_with_the_reason(voldaan_file, actor):
    client_file = voldaan_file()
    services.record_follow_up(actor=actor("kim"), client_file=client_file, data=good())
    change = services.end_follow_up(actor=actor("kim"), client_file=client_file, reason="Werkt al een jaar.")
    stored = ClientFile.objects.get(pk=client_file.pk)
    assert (stored.status, stored.next_deadline_kind, stored.next_deadline_on) == ("beeindigd", "", None)
    assert change.reason == "Vervolg afgerond: Werkt al een jaar."
    assert StatusChange.objects.filter(client_file=client_file, to_status="beeindigd").count() == 1
    event = AuditEvent.objects.filter(event_type="client_status_changed", client_file=client_file).latest("id")
    assert event.changes == {"status": {"old": "voldaan", "new": "beeindigd"}}
    with pytest.raises(ApplicationError) as error:  # closed: no more follow-up
        services.record_follow_up(actor=actor("kim"), client_file=stored, data=good())
    assert error.value.message == (
        "Vervolg vastleggen kan als de inburgeringsplicht is voldaan, of bij een vrijstelling of ontheffing. "
        "Dit dossier heeft de status 'Beëindigd'."
    )


@pytest.mark.parametrize(("reason", "message"), [("  ", "Schrijf waarom"), ("x" * 1001, "maximaal 1.000 tekens")])
def test_ending_needs_a_reason(voldaan_file, actor, reason, message):
    client_file = voldaan_file()
    with pytest.raises(ApplicationError) as error:
        services.end_follow_up(actor=actor("kim"), client_file=client_file, reason=reason)
    assert message in error.value.field_errors["reason"][0]
    assert ClientFile.objects.get(pk=client_file.pk).status == "voldaan"


def test_the_daily_job_keeps_the_follow_up_step(voldaan_file, actor):
    from openinburgering.clients.services import refresh_deadlines

    client_file = voldaan_file()
    services.record_follow_up(actor=actor("kim"), client_file=client_file, data=good())
    assert refresh_deadlines(as_of=today()) == 0  # nothing changed: idempotent
    ClientFile.objects.filter(pk=client_file.pk).update(next_deadline_on=None, next_deadline_kind="")
    assert refresh_deadlines(as_of=today()) == 1
    assert ClientFile.objects.get(pk=client_file.pk).next_deadline_kind == "followup_contact"
