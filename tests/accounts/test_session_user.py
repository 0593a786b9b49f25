"""The staff session's user (accounts.backends.ThrottledModelBackend.get_user) is read with SQL written once per
process (#18); it must be what ModelBackend.get_user gives: the same user, None for an unknown or inactive one."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openinburgering.accounts.backends import ThrottledModelBackend
from openinburgering.accounts.models import User

pytestmark = pytest.mark.django_db


def fields_of(user):
    return {k: v for k, v in vars(user).items() if not k.startswith("_")}


@pytest.mark.parametrize("username", ["kim", "tamara", "fenna"])
def test_the_session_user_is_the_orm_s_in_one_query(staff, username):
    user = staff[username]
    expected = ModelBackend().get_user(user.pk)
    with CaptureQueriesContext(connection) as captured:
        found = ThrottledModelBackend().get_user(user.pk)
    assert len(captured.captured_queries) == 1
    assert found is not None
    assert expected is not None
    assert fields_of(found) == fields_of(expected)
    assert found._state.adding is False
    assert ThrottledModelBackend().get_user(str(user.pk)) is not None  # as the session stores it


def test_an_unknown_or_inactive_user_is_none(staff):
    user = staff["kim"]
    assert ThrottledModelBackend().get_user(max(User.objects.values_list("pk", flat=True)) + 1) is None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert ThrottledModelBackend().get_user(user.pk) is None
    assert ModelBackend().get_user(user.pk) is None


def test_a_logged_in_session_still_works_and_ends_when_the_user_is_deactivated(login):
    browser = login("kim")
    assert browser.get("/dossiers/caseload/").status_code == 200
    User.objects.filter(username="kim").update(is_active=False)
    response = browser.get("/dossiers/caseload/")
    assert response.status_code == 302
