"""A parent sees their minor children's school, VVE or childcare on "Mijn plan" (#15 item 1); an adult child and the
rest of a child's data are not shown."""

from __future__ import annotations

from datetime import date, timedelta

from openinburgering.core.dates import today
from openinburgering.households.services import add_household_member


def test_the_plan_shows_the_minor_children_s_school(portal, actor):
    client, client_file = portal()
    kim = actor("kim")
    add_household_member(
        actor=kim, client_file=client_file, relation="kind", started_on=date(2025, 6, 2),
        person_data={"given_names": "Nour", "surname": "Haddad", "birth_on": today() - timedelta(days=3 * 365)},
        education_kind="vve", education_name="Peuterspeelzaal Het Zonnetje",
    )  # fmt: skip
    add_household_member(
        actor=kim, client_file=client_file, relation="kind", started_on=date(2025, 6, 2),
        person_data={"given_names": "Karim", "surname": "Haddad", "birth_on": today() - timedelta(days=20 * 365)},
        education_kind="mbo_hbo_wo", education_name="Hogeschool Inholland",
    )  # fmt: skip
    page = client.get("/mijn/plan/").content.decode()
    assert "School en opvang van mijn kinderen" in page
    assert "Nour" in page
    assert "Voorschoolse educatie (VVE)" in page
    assert "Peuterspeelzaal Het Zonnetje" in page
    assert "Karim" not in page  # an adult child
    client.post("/mijn/taal/", {"language": "fa", "next": "/mijn/plan/"})
    assert "آموزش پیش‌دبستانی (VVE)" in client.get("/mijn/plan/").content.decode()
