from __future__ import annotations

from datetime import date, timedelta

import pytest

from openinburgering.clients.models import Person
from openinburgering.core.dates import today
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.households.models import HouseholdMember
from openinburgering.households.services import add_household_member
from tests.clients.pages import assert_login_redirect, event_types, file_state, read_events

pytestmark = pytest.mark.django_db


def add_url(client_file) -> str:
    return f"/dossiers/{client_file.pk}/huishouden/leden/"


def end_url(client_file, member) -> str:
    return f"/dossiers/{client_file.pk}/huishouden/leden/{member.pk}/beeindigen/"


def member_data(**overrides: str) -> dict[str, str]:
    data = {
        "member-relation": "kind",
        "member-given_names": "Lina",
        "member-surname_prefix": "",
        "member-surname": "Haddad",
        "member-birth_on": "06-06-2021",
        "member-sex": "V",
        "member-bsn": "",
        "member-started_on": "01-01-2025",
        "member-education_kind": "vve",
        "member-education_name": "Peuterspeelzaal De Kikker",
    }
    data.update({f"member-{key}": value for key, value in overrides.items()})
    return data


def add_child(actor, client_file, name: str = "Omar") -> HouseholdMember:
    return add_household_member(
        actor=actor, client_file=client_file, relation="kind", started_on=date(2025, 1, 1),
        person_data={"given_names": name, "surname": "Haddad", "birth_on": date(2018, 3, 3)},
    )  # fmt: skip


def test_a_member_is_added_and_shown_with_relation_age_and_school(login, make_file):
    client_file = make_file(assigned_to="kim")
    browser = login("kim")
    response = browser.post(add_url(client_file), member_data())
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{client_file.pk}/#huishouden"
    member = HouseholdMember.objects.get(person__given_names="Lina")
    assert (member.relation, member.education_kind, member.education_name) == (
        "kind", "vve", "Peuterspeelzaal De Kikker",
    )  # fmt: skip
    assert event_types(client_file=client_file, event_type="household_member_added") == ["household_member_added"]
    content = browser.get(f"/dossiers/{client_file.pk}/").content.decode()
    assert "Het gezinslid is toegevoegd aan het huishouden." in content
    assert "Lina Haddad" in content
    assert "Voorschoolse educatie (VVE): Peuterspeelzaal De Kikker" in content
    age = today().year - 2021 - ((today().month, today().day) < (6, 6))
    assert f"{age} jaar" in content
    assert "household_viewed" in read_events(client_file)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"birth_on": (today() + timedelta(days=2)).strftime("%d-%m-%Y")},
            "De geboortedatum kan niet in de toekomst liggen.",
        ),
        (
            {"started_on": (today() + timedelta(days=2)).strftime("%d-%m-%Y")},
            "De startdatum kan niet in de toekomst liggen.",
        ),
        ({"started_on": "01-01-2020"}, "De startdatum ligt voor de geboortedatum."),
        ({"bsn": "123456789"}, "Dit BSN klopt niet."),
        ({"relation": "aanvrager"}, "Kies een van de mogelijkheden."),
        ({"given_names": ""}, "Vul de voornamen in."),
    ],
)
def test_bad_member_input_shows_a_dutch_error_and_adds_no_one(login, make_file, overrides, message):
    client_file = make_file(assigned_to="kim")
    persons_before = Person.objects.count()
    response = login("kim").post(add_url(client_file), member_data(**overrides))
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert '<details class="app-details" open>' in content
    assert Person.objects.count() == persons_before
    assert HouseholdMember.objects.count() == 0


def test_ending_a_membership_keeps_it_in_the_history(login, make_file, actor):
    client_file = make_file(assigned_to="kim")
    member = add_child(actor("kim"), client_file)
    browser = login("kim")
    response = browser.post(
        end_url(client_file, member), {f"end-{member.pk}-ended_on": "01-06-2025", f"end-{member.pk}-reason": "Uit huis"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.ended_on, member.ended_reason) == (date(2025, 6, 1), "Uit huis")
    assert event_types(client_file=client_file, event_type="household_member_ended") == ["household_member_ended"]
    content = browser.get(f"/dossiers/{client_file.pk}/").content.decode()
    assert "Omar Haddad" in content
    assert "Beëindigd op 01-06-2025" in content
    assert "Reden: Uit huis" in content


def test_ending_without_a_reason_is_a_field_error(login, make_file, actor):
    client_file = make_file(assigned_to="kim")
    member = add_child(actor("kim"), client_file)
    response = login("kim").post(
        end_url(client_file, member), {f"end-{member.pk}-ended_on": "01-06-2025", f"end-{member.pk}-reason": ""}
    )
    assert response.status_code == 400
    assert "Geef een reden." in response.content.decode()
    member.refresh_from_db()
    assert member.ended_on is None


def test_ending_a_member_of_another_files_household_is_404(login, make_file, actor):
    other = make_file(person={"surname": "Ander"})
    foreign_member = add_child(actor("kim"), other, name="Vreemd")
    client_file = make_file(assigned_to="kim")
    response = login("kim").post(
        end_url(client_file, foreign_member),
        {f"end-{foreign_member.pk}-ended_on": "01-06-2025", f"end-{foreign_member.pk}-reason": "x"},
    )
    assert response.status_code == 404
    foreign_member.refresh_from_db()
    assert foreign_member.ended_on is None


@pytest.mark.parametrize(
    ("username", "gemeente"), [("zeynep", ZANDVOORT), ("bram", "GM0392"), ("anouk", "GM0392"), ("frank", "GM0392")]
)
def test_household_changes_are_404_outside_the_gemeente_or_role(login, make_file, actor, username, gemeente):
    client_file = make_file(assigned_to="kim")
    member = add_child(actor("kim"), client_file)
    before = (file_state(client_file), Person.objects.count(), HouseholdMember.objects.count())
    browser = login(username, gemeente)
    assert browser.post(add_url(client_file), member_data()).status_code == 404
    ended = {f"end-{member.pk}-ended_on": "01-06-2025", f"end-{member.pk}-reason": "x"}
    assert browser.post(end_url(client_file, member), ended).status_code == 404
    assert (file_state(client_file), Person.objects.count(), HouseholdMember.objects.count()) == before
    assert read_events(client_file) == []
    member.refresh_from_db()
    assert member.ended_on is None


def test_anonymous_household_changes_go_to_login(client, make_file):
    client_file = make_file()
    assert_login_redirect(client.post(add_url(client_file), member_data()), add_url(client_file))
    assert HouseholdMember.objects.count() == 0
