"""The team caseload's caseworkers and teams, kept per gemeente while unchanged (clients.assignment, #18): one
query per page, the rows read again after any change to what the lists show, however it was written."""

from __future__ import annotations

import pytest
from django.db import connection

from openinburgering.accounts.models import Membership, Role, Team, User
from openinburgering.clients import assignment
from openinburgering.clients.forms import ReassignForm, TeamCaseloadFilterForm
from openinburgering.clients.selectors import caseworkers_for, teams_for

from .test_caseload_pages import TEAM, row_names

pytestmark = pytest.mark.django_db


def names(choices: assignment.AssignmentChoices) -> list[str]:
    return [c.display_name for c in choices.caseworkers]


def test_the_lists_are_the_selectors_rows_sorted_by_name(actor):
    leader = actor("tamara")
    choices = assignment.assignment_choices(leader)
    people = sorted(caseworkers_for(leader), key=lambda u: (u.first_name, u.last_name, u.pk))
    assert [(c.pk, c.display_name) for c in choices.caseworkers] == [(u.pk, u.display_name) for u in people]
    assert [(t.pk, t.display_name) for t in choices.teams] == [(t.pk, t.name) for t in teams_for(leader)]
    assert choices.caseworker_ids == {u.pk for u in people}
    assert choices.filter_ids == {"", "0", *(str(u.pk) for u in people)}
    assert choices.caseworker_options.count("<option ") == len(people)


def test_unchanged_lists_are_kept_and_read_in_one_query(actor, django_assert_num_queries):
    leader = actor("tamara")
    first = assignment.assignment_choices(leader)
    with django_assert_num_queries(1):
        assert assignment.assignment_choices(leader) is first


@pytest.mark.parametrize("vendor_sql", [True, False], ids=["postgresql", "python-version"])
def test_every_change_to_what_the_lists_show_is_seen_at_once(actor, staff, vendor_sql, monkeypatch):
    if not vendor_sql:
        monkeypatch.setattr(connection, "vendor", "sqlite")  # the demo's path: rows read, version made in Python
    elif connection.vendor != "postgresql":
        pytest.skip("the one-query version needs PostgreSQL")
    leader = actor("tamara")
    gemeente = leader.membership.gemeente
    before = assignment.assignment_choices(leader)

    new = User.objects.create(username="nieuw", first_name="Aafke", last_name="Nieuw")
    membership = Membership.objects.create(
        user=new, gemeente=gemeente, role=Role.objects.get(code="klantregisseur"), team=None
    )
    added = assignment.assignment_choices(leader)
    assert added is not before
    assert names(added)[0] == "Aafke Nieuw"
    assert new.pk in added.caseworker_ids

    User.objects.filter(pk=new.pk).update(first_name="Zora")  # a bulk update: no signal, still seen
    assert names(assignment.assignment_choices(leader))[-1] == "Zora Nieuw"

    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    assert new.pk not in assignment.assignment_choices(leader).caseworker_ids

    team = Team.objects.create(gemeente=gemeente, name="Aa-team <nieuw>")
    teams = assignment.assignment_choices(leader)
    assert teams.teams[0].display_name == "Aa-team <nieuw>"
    assert team.pk in teams.team_ids
    assert "Aa-team &lt;nieuw&gt;" in teams.team_options  # escaped once, when rendered


def test_the_filter_accepts_only_known_caseworkers(actor, staff):
    choices = assignment.assignment_choices(actor("tamara"))
    kim = str(staff["kim"].pk)
    assert TeamCaseloadFilterForm({"assigned": kim}, choices=choices).is_valid()
    unassigned = TeamCaseloadFilterForm({"assigned": "0"}, choices=choices)
    assert unassigned.is_valid()
    assert unassigned.cleaned_data["assigned"] == 0
    unknown = TeamCaseloadFilterForm({"assigned": str(max(u.pk for u in staff.values()) + 10_000)}, choices=choices)
    assert unknown.errors == {"assigned": ["Kies een van de mogelijkheden."]}


def test_the_page_marks_the_chosen_caseworker_in_the_filter_only(login, staff, make_file):
    make_file(assigned_to="kim")
    kim = staff["kim"].pk
    html = login("tamara").get(TEAM, {"assigned": str(kim)}).content.decode()
    assert html.count(f'<option value="{kim}" selected>') == 1  # the filter, not the reassign select
    assert html.count(f'<option value="{kim}">') == 1
    assert '<option value="" selected>— Niemand (niet toegewezen) —</option>' in html
    assert '<option value="" selected>— Team van de klantregisseur —</option>' in html
    assert len(row_names(html)) == 1


def test_the_reassign_form_shows_the_kept_lists(actor):
    choices = assignment.assignment_choices(actor("tamara"))
    form = ReassignForm(choices=choices)
    assigned_to, team = str(form["assigned_to"]), str(form["team"])
    assert assigned_to.count("<option ") == len(choices.caseworkers) + 1
    assert team.count("<option ") == len(choices.teams) + 1
    assert 'name="assigned_to"' in assigned_to
    assert 'id="id_assigned_to"' in assigned_to
