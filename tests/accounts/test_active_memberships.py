"""A user's active memberships (accounts.actor.active_memberships) are read with SQL written once per process (#18,
core.sql.JoinedSelect); they must be exactly what the ORM query they stand for gives: the same rows in the same
order (gemeente name, role name), the same gemeente, role and team, without ended memberships or memberships in an
inactive gemeente, in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openinburgering.accounts.actor import active_memberships, resolve_actor
from openinburgering.accounts.models import Gemeente, Membership, Role, Team

pytestmark = pytest.mark.django_db


def orm_memberships(user):
    return list(
        Membership.objects.filter(user=user, is_active=True, gemeente__is_active=True)
        .select_related("gemeente", "role", "team")
        .order_by("gemeente__name", "role__name")
    )


def fields_of(instance):
    return None if instance is None else {k: v for k, v in vars(instance).items() if not k.startswith("_")}


def described(memberships):
    return [
        (fields_of(m), fields_of(m.gemeente), fields_of(m.role), fields_of(m.team), m._state.adding)
        for m in memberships
    ]


@pytest.mark.parametrize("username", ["kim", "tamara", "fenna", "carla", "frank"])
def test_the_memberships_are_those_of_the_orm_in_one_query(staff, username):
    user = staff[username]
    expected = orm_memberships(user)
    with CaptureQueriesContext(connection) as captured:
        found = active_memberships(user)
        assert described(found) == described(expected)
    assert len(captured.captured_queries) == 1


def test_order_team_and_ended_memberships_as_the_orm(staff):
    user = staff["kim"]
    gemeenten = list(Gemeente.objects.filter(is_active=True).order_by("-name")[:3])
    roles = list(Role.objects.order_by("-name")[:2])
    made = []
    for gemeente in gemeenten:
        team = Team.objects.filter(gemeente=gemeente).first() or Team.objects.create(gemeente=gemeente, name="T")
        for n, role in enumerate(roles):
            membership, _ = Membership.objects.get_or_create(user=user, gemeente=gemeente, role=role)
            Membership.objects.filter(pk=membership.pk).update(team=team if n else None, is_active=True)
            made.append(membership)
    Membership.objects.filter(pk=made[1].pk).update(is_active=False)

    found = active_memberships(user)
    assert described(found) == described(orm_memberships(user))
    assert made[1].pk not in {m.pk for m in found}
    assert any(m.team is not None for m in found)
    assert any(m.team is None for m in found)
    names = [(m.gemeente.name, m.role.name) for m in found]
    assert names == sorted(names)
    assert len({m.gemeente_id for m in found}) >= 2

    Gemeente.objects.filter(pk=gemeenten[-1].pk).update(is_active=False)
    found = active_memberships(user)
    assert described(found) == described(orm_memberships(user))
    assert not any(m.gemeente_id == gemeenten[-1].pk for m in found)


def test_the_actor_takes_the_chosen_membership_else_the_first(staff):
    user = staff["kim"]
    memberships = orm_memberships(user)
    assert resolve_actor(user, None).membership.pk == memberships[0].pk
    assert resolve_actor(user, memberships[-1].pk).membership.pk == memberships[-1].pk
