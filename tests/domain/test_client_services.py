from __future__ import annotations

from datetime import date, timedelta

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile, Note, Person, StatusChange
from openinburgering.clients.services import (
    add_note,
    change_status,
    reassign_client_file,
    register_client,
    update_client_file,
    update_person,
)
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound

NOT_A_CASEWORKER_HERE = {"assigned_to": ["Deze medewerker is geen klantregisseur of teamleider in deze gemeente."]}


def _person(**extra):
    return {"bsn": "999990019", "given_names": "Dawit", "surname": "Tesfay", "birth_on": date(1992, 1, 3), **extra}


@pytest.mark.django_db
def test_register_client_validates_every_field_and_writes_nothing_on_error(actor):
    future = today() + timedelta(days=3)
    with pytest.raises(ApplicationError) as caught:
        register_client(
            actor=actor("kim"),
            person_data=_person(bsn="123456789", birth_on=future, given_names=" ", nationality_id="9999"),
            file_data={},
        )
    errors = caught.value.field_errors
    assert sorted(errors) == ["birth_on", "bsn", "given_names", "nationality"]
    assert errors["bsn"] == ["Dit BSN klopt niet. Een BSN heeft 9 cijfers en moet voldoen aan de elfproef."]
    assert (Person.objects.count(), ClientFile.objects.count(), AuditEvent.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_register_client_rejects_dates_before_birth_and_in_the_future(actor):
    with pytest.raises(ApplicationError) as caught:
        register_client(
            actor=actor("kim"),
            person_data=_person(),
            file_data={"kennisgeving_on": date(1990, 1, 1), "registered_on": today() + timedelta(days=1)},
        )
    assert caught.value.field_errors == {
        "kennisgeving_on": ["De datum van de kennisgeving kan niet voor de geboortedatum liggen."],
        "registered_on": ["De datum van inschrijving in de BRP kan niet in de toekomst liggen."],
    }
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_a_person_has_one_open_file_per_gemeente_but_may_exist_in_another(actor):
    register_client(actor=actor("kim"), person_data=_person(), file_data={})
    with pytest.raises(ApplicationError) as caught:
        register_client(actor=actor("kim"), person_data=_person(), file_data={})
    assert caught.value.field_errors == {"bsn": ["Deze persoon heeft al een open dossier. Zoek de persoon op."]}
    other = register_client(actor=actor("zeynep", "GM0473"), person_data=_person(), file_data={})
    assert other.gemeente.code == "GM0473"
    assert Person.objects.filter(bsn="999990019").count() == 2


@pytest.mark.django_db
def test_a_closed_file_lets_the_person_be_registered_again_with_the_same_person(actor):
    first = register_client(actor=actor("kim"), person_data=_person(), file_data={})
    change_status(actor=actor("kim"), client_file=first, to_status="verhuisd", reason="Verhuisd naar Leiden")
    second = register_client(actor=actor("kim"), person_data=_person(), file_data={})
    assert second.person_id == first.person_id
    assert ClientFile.objects.filter(person=first.person).count() == 2


@pytest.mark.django_db
def test_register_computes_the_pip_deadline_from_the_rules(actor):
    client_file = register_client(
        actor=actor("kim"), person_data=_person(), file_data={"kennisgeving_on": date(2025, 3, 3)}
    )
    # B 5.3: 10 weeks after the kennisgeving (catalogue example: 2025-03-03 → 2025-05-12).
    assert (client_file.next_deadline_on, client_file.next_deadline_kind) == (date(2025, 5, 12), "pip_due")


@pytest.mark.django_db
def test_only_caseworker_roles_can_be_assigned(actor, staff):
    with pytest.raises(ApplicationError) as caught:
        register_client(actor=actor("kim"), person_data=_person(), file_data={}, assigned_to=staff["bram"])
    assert caught.value.field_errors == NOT_A_CASEWORKER_HERE
    with pytest.raises(ApplicationError) as caught:  # zeynep is a klantregisseur, but in Zandvoort
        register_client(actor=actor("kim"), person_data=_person(), file_data={}, assigned_to=staff["zeynep"])
    assert caught.value.field_errors == NOT_A_CASEWORKER_HERE
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_roles_without_change_rights_cannot_register(actor):
    with pytest.raises(NotFound):
        register_client(actor=actor("frank"), person_data=_person(), file_data={})
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_update_person_records_old_and_new_values(make_file, actor):
    client_file = make_file()
    update_person(actor=actor("kim"), client_file=client_file, data={"phone": "0612345678", "surname": "Haddad"})
    event = AuditEvent.objects.get(event_type="person_updated")
    assert event.changes == {"phone": {"old": "", "new": "0612345678"}}
    update_person(actor=actor("kim"), client_file=client_file, data={"phone": "0612345678"})
    assert AuditEvent.objects.filter(event_type="person_updated").count() == 1


@pytest.mark.django_db
def test_update_person_refuses_a_bsn_of_someone_else(make_file, actor):
    first, second = make_file(), make_file()
    with pytest.raises(ApplicationError) as caught:
        update_person(actor=actor("kim"), client_file=second, data={"bsn": first.person.bsn})
    assert caught.value.field_errors["bsn"] == [
        "Er is al een persoon met dit BSN in deze gemeente. Zoek de persoon op."
    ]


@pytest.mark.django_db
def test_setting_the_first_pip_moves_the_next_deadline_to_the_switch_window(make_file, actor):
    client_file = make_file()
    update_client_file(actor=actor("kim"), client_file=client_file, data={"pip_dagtekening_on": today()})
    assert client_file.next_deadline_kind == "route_switch_window_closes"
    event = AuditEvent.objects.get(event_type="client_file_updated")
    assert event.changes == {"pip_dagtekening_on": {"old": None, "new": today().isoformat()}}


@pytest.mark.django_db
def test_status_follows_the_workflow_and_history_is_appended(make_file, actor):
    client_file = make_file()
    with pytest.raises(ApplicationError) as caught:
        change_status(actor=actor("kim"), client_file=client_file, to_status="voldaan", reason="x")
    assert (caught.value.message, caught.value.field_errors) == (
        "Deze statuswijziging is niet toegestaan.",
        {"to_status": ["Van 'Aangemeld' kan het dossier niet naar deze status."]},
    )
    with pytest.raises(ApplicationError) as caught:
        change_status(actor=actor("kim"), client_file=client_file, to_status="intake", reason="   ")
    assert (caught.value.message, caught.value.field_errors) == (
        "Geef een reden.",
        {"reason": ["Geef een reden voor de wijziging."]},
    )
    change_status(actor=actor("kim"), client_file=client_file, to_status="intake", reason="Uitnodiging verstuurd")
    change_status(actor=actor("kim"), client_file=client_file, to_status="beeindigd", reason="Vertrokken")
    history = list(StatusChange.objects.filter(client_file=client_file).values_list("from_status", "to_status"))
    assert history == [("intake", "beeindigd"), ("aangemeld", "intake"), ("", "aangemeld")]
    client_file.refresh_from_db()
    assert (client_file.status, client_file.next_deadline_on) == ("beeindigd", None)
    with pytest.raises(ApplicationError) as caught:
        change_status(actor=actor("kim"), client_file=client_file, to_status="intake", reason="Terug")
    assert (caught.value.message, caught.value.field_errors) == (
        "Deze statuswijziging is niet toegestaan.",
        {"to_status": ["Van 'Beëindigd' kan het dossier niet naar deze status."]},
    )


@pytest.mark.django_db
def test_status_history_rows_cannot_be_edited(make_file):
    change = StatusChange.objects.get(client_file=make_file())
    change.reason = "anders"
    with pytest.raises(TypeError):
        change.save()
    with pytest.raises(TypeError):
        change.delete()


@pytest.mark.django_db
def test_only_a_teamleider_reassigns_and_only_to_caseworkers_of_the_gemeente(make_file, actor, staff):
    client_file = make_file(assigned_to="kim")
    with pytest.raises(NotFound):
        reassign_client_file(actor=actor("kim"), client_file=client_file, assigned_to=staff["youssef"], team=None)
    with pytest.raises(ApplicationError) as caught:
        reassign_client_file(actor=actor("tamara"), client_file=client_file, assigned_to=staff["zeynep"], team=None)
    assert caught.value.field_errors == NOT_A_CASEWORKER_HERE
    updated = reassign_client_file(
        actor=actor("tamara"), client_file=client_file, assigned_to=staff["youssef"], team=None
    )
    assert updated.assigned_to == staff["youssef"]
    event = AuditEvent.objects.get(event_type="client_file_reassigned")
    assert event.changes["assigned_to"] == {"old": staff["kim"].pk, "new": staff["youssef"].pk}


@pytest.mark.django_db
def test_a_correction_is_a_new_note_and_the_original_stays(make_file, actor):
    client_file = make_file()
    original = add_note(actor=actor("kim"), client_file=client_file, body="Tolk Tigrinya nodig.")
    correction = add_note(actor=actor("kim"), client_file=client_file, body="Tolk Arabisch nodig.", corrects=original)
    assert Note.objects.get(pk=original.pk).body == "Tolk Tigrinya nodig."
    assert correction.corrects_id == original.pk
    assert list(AuditEvent.objects.filter(client_file=client_file).values_list("event_type", flat=True)) == [
        "note_corrected", "note_added", "client_file_registered",
    ]  # fmt: skip
    with pytest.raises(ApplicationError) as caught:
        add_note(actor=actor("kim"), client_file=client_file, body="  ")
    assert (caught.value.message, caught.value.field_errors) == (
        "De notitie is leeg.",
        {"body": ["Schrijf een notitie."]},
    )
    with pytest.raises(NotFound):
        add_note(actor=actor("kim"), client_file=make_file(), body="x", corrects=original)


@pytest.mark.django_db
def test_update_client_file_never_writes_back_a_stale_status(make_file, actor):
    client_file = make_file()
    stale = type(client_file).objects.get(pk=client_file.pk)
    change_status(actor=actor("kim"), client_file=client_file, to_status="intake", reason="Uitnodiging verstuurd")
    update_client_file(actor=actor("kim"), client_file=stale, data={"coa_koppeling_on": date(2025, 6, 1)})
    client_file.refresh_from_db()
    assert (client_file.status, client_file.coa_koppeling_on) == ("intake", date(2025, 6, 1))
    assert stale.status == "intake"


@pytest.mark.django_db
def test_register_client_stores_a_blank_reference_code_as_none(actor):
    client_file = register_client(
        actor=actor("kim"), person_data=_person(nationality_id="", birth_country_id=""), file_data={}
    )
    person = Person.objects.get(pk=client_file.person_id)
    assert (person.nationality_id, person.birth_country_id) == (None, None)
