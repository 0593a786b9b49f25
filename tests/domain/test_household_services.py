from __future__ import annotations

from datetime import date, timedelta

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import Person
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.households.models import HouseholdMember
from openinburgering.households.selectors import household_members_of
from openinburgering.households.services import add_household_member, end_household_member

CHILD = {"given_names": "Sara", "surname": "Haddad", "birth_on": date(2019, 4, 2)}


@pytest.mark.django_db
def test_adding_a_child_creates_the_household_with_the_client_as_head(make_file, actor):
    client_file = make_file()
    member = add_household_member(
        actor=actor("kim"), client_file=client_file, relation="kind", started_on=date(2025, 7, 1),
        person_data=CHILD, education_kind="vve", education_name="Peuterspeelzaal De Vlinder",
    )  # fmt: skip
    members = list(household_members_of(client_file).values_list("person__given_names", "relation"))
    assert members == [("Amal", "aanvrager"), ("Sara", "kind")]
    assert member.education_kind == "vve"
    assert AuditEvent.objects.filter(event_type="household_member_added", client_file=client_file).count() == 1


@pytest.mark.django_db
def test_a_member_cannot_start_before_birth_or_in_the_future(make_file, actor):
    client_file = make_file()
    with pytest.raises(ApplicationError) as caught:
        add_household_member(
            actor=actor("kim"), client_file=client_file, relation="kind", started_on=date(2018, 1, 1), person_data=CHILD
        )
    assert caught.value.field_errors == {"started_on": ["De startdatum ligt voor de geboortedatum."]}
    with pytest.raises(ApplicationError) as caught:
        add_household_member(
            actor=actor("kim"), client_file=client_file, relation="kind",
            started_on=today() + timedelta(days=1), person_data=CHILD,
        )  # fmt: skip
    assert caught.value.field_errors == {"started_on": ["De startdatum kan niet in de toekomst liggen."]}
    assert Person.objects.filter(given_names="Sara").count() == 0


@pytest.mark.django_db
def test_a_person_is_in_one_household_at_a_time(make_file, actor):
    first, second = make_file(), make_file()
    partner = {"bsn": "999990020", "given_names": "Omar", "surname": "Haddad", "birth_on": date(1988, 2, 2)}
    assert partner["bsn"] != first.person.bsn
    add_household_member(
        actor=actor("kim"), client_file=first, relation="partner", started_on=date(2025, 7, 1), person_data=partner
    )
    with pytest.raises(Conflict):
        add_household_member(
            actor=actor("kim"), client_file=second, relation="partner", started_on=date(2025, 7, 1), person_data=partner
        )


@pytest.mark.django_db
def test_ending_a_membership_keeps_it_in_history(make_file, actor):
    client_file = make_file()
    member = add_household_member(
        actor=actor("kim"), client_file=client_file, relation="kind", started_on=date(2025, 7, 1), person_data=CHILD
    )
    with pytest.raises(ApplicationError) as caught:
        end_household_member(
            actor=actor("kim"), client_file=client_file, member_id=member.pk, ended_on=date(2025, 1, 1), reason=""
        )
    assert sorted(caught.value.field_errors) == ["ended_on", "reason"]
    end_household_member(
        actor=actor("kim"),
        client_file=client_file,
        member_id=member.pk,
        ended_on=date(2025, 9, 1),
        reason="Woont bij oma",
    )
    assert list(household_members_of(client_file).values_list("relation", flat=True)) == ["aanvrager"]
    assert household_members_of(client_file, include_ended=True).count() == 2
    assert HouseholdMember.objects.get(pk=member.pk).ended_reason == "Woont bij oma"
    with pytest.raises(NotFound):
        end_household_member(
            actor=actor("kim"), client_file=client_file, member_id=member.pk, ended_on=date(2025, 9, 1), reason="x"
        )


@pytest.mark.django_db
def test_a_member_of_another_household_cannot_be_ended_through_this_file(make_file, actor):
    first, second = make_file(), make_file()
    member = add_household_member(
        actor=actor("kim"), client_file=first, relation="kind", started_on=date(2025, 7, 1), person_data=CHILD
    )
    with pytest.raises(NotFound):
        end_household_member(
            actor=actor("kim"), client_file=second, member_id=member.pk, ended_on=date(2025, 9, 1), reason="x"
        )
