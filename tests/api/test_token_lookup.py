"""The token lookup (accounts.tokens.find_active_token) reads the token with its membership, user, gemeente, role and
team in one query whose SQL is written once per process (#18, core.sql.JoinedSelect). It keeps nothing between
calls: a token that just worked is refused on the very next request once it is revoked, expires, or its membership,
user or gemeente is ended. The objects it builds are those the ORM's select_related gives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openinburgering.accounts.models import ApiToken, Gemeente, Membership, Team, User
from openinburgering.accounts.tokens import find_active_token, revoke_api_token

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

PATHS = ("membership", "membership__user", "membership__gemeente", "membership__role", "membership__team")


def fields_of(instance):
    return {k: v for k, v in vars(instance).items() if not k.startswith("_")}


def assert_same_objects(found: ApiToken, expected: ApiToken) -> None:
    assert fields_of(found) == fields_of(expected)
    assert found._state.adding is False
    assert found._state.db == expected._state.db
    assert fields_of(found.membership) == fields_of(expected.membership)
    for name in ("user", "gemeente", "role"):
        assert fields_of(getattr(found.membership, name)) == fields_of(getattr(expected.membership, name)), name
    if expected.membership.team is None:
        assert found.membership.team is None
    else:
        assert fields_of(found.membership.team) == fields_of(expected.membership.team)


@pytest.mark.parametrize("with_team", [False, True])
def test_the_token_and_its_relations_are_those_of_the_orm_in_one_query(token, with_team):
    row, key = token("kim")
    membership = Membership.objects.get(pk=row.membership_id)
    team = Team.objects.filter(gemeente=membership.gemeente).first() if with_team else None
    if with_team and team is None:
        team = Team.objects.create(gemeente=membership.gemeente, name="Team Test")
    Membership.objects.filter(pk=membership.pk).update(team=team)
    expected = ApiToken.objects.select_related(*PATHS).get(pk=row.pk)

    with CaptureQueriesContext(connection) as captured:
        found = find_active_token(key)
        assert found is not None
        assert_same_objects(found, expected)
        assert found.membership.role.capabilities == expected.membership.role.capabilities  # JSON, converted
    assert len(captured.captured_queries) == 1


def test_a_token_that_worked_is_refused_on_the_next_request_once_revoked(token):
    row, key = token("kim")
    api = ApiClient(key)
    assert api.get("/api/v1/me").status_code == 200
    revoke_api_token(token=ApiToken.objects.get(pk=row.pk))
    assert api.get("/api/v1/me").status_code == 401
    assert find_active_token(key) is None


@pytest.mark.parametrize("end", ["expired", "membership", "user", "gemeente"])
def test_a_token_that_worked_is_refused_at_once_when_it_or_its_membership_ends(token, end):
    row, key = token("kim")
    api = ApiClient(key)
    assert api.get("/api/v1/me").status_code == 200
    membership = Membership.objects.get(pk=row.membership_id)
    if end == "expired":
        ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif end == "membership":
        Membership.objects.filter(pk=membership.pk).update(is_active=False)
    elif end == "user":
        User.objects.filter(pk=membership.user_id).update(is_active=False)
    else:
        Gemeente.objects.filter(pk=membership.gemeente_id).update(is_active=False)
    assert api.get("/api/v1/me").status_code == 401
    assert find_active_token(key) is None


def test_the_secret_is_still_checked_for_a_known_prefix(token):
    _, key = token("kim")
    assert find_active_token(key) is not None
    assert find_active_token(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert find_active_token("oi_00000000_" + key.split("_", 2)[2]) is None
