"""Login with lockout, logout and the own password change, with their audit events."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openinburgering.accounts.models import User
from openinburgering.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "test-Password-123!"
GENERIC_ERROR = "De gebruikersnaam of het wachtwoord klopt niet, of uw account is tijdelijk geblokkeerd."
LOGIN_URL = "/account/inloggen/"


def post_login(client: Client, username: str, password: str):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def events(event_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("id"))


def test_login_page_explains_the_lockout():
    html = Client().get(LOGIN_URL).content.decode()
    assert "Na 5 foute pogingen is uw account 15 minuten geblokkeerd." in html
    assert 'autocomplete="current-password"' in html


def test_login_with_the_right_password_succeeds_and_is_audited(staff):
    client = Client()
    response = post_login(client, "kim", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    [event] = events("login_succeeded")
    assert (event.actor, event.gemeente.code, event.actor_role) == (staff["kim"], "GM0392", "klantregisseur")
    assert client.get("/").status_code == 200


def test_wrong_password_gives_one_generic_dutch_error_and_counts_a_failure(staff):
    response = post_login(Client(), "kim", "verkeerd-wachtwoord")
    html = response.content.decode()
    assert response.status_code == 200
    assert GENERIC_ERROR in html
    assert 'role="alert"' in html
    assert User.objects.get(username="kim").failed_login_count == 1
    assert [e.actor for e in events("login_failed")] == [staff["kim"]]
    assert events("login_succeeded") == []


def test_unknown_user_name_gets_the_same_message(staff):
    response = post_login(Client(), "bestaatniet", "verkeerd-wachtwoord")
    assert GENERIC_ERROR in response.content.decode()
    assert AuditEvent.objects.count() == 0


def test_five_failures_lock_the_account_for_fifteen_minutes(staff):
    client = Client()
    for _ in range(5):
        post_login(client, "kim", "verkeerd-wachtwoord")
    kim = User.objects.get(username="kim")
    assert kim.locked_until is not None
    assert len(events("login_failed")) == 4
    assert len(events("login_locked")) == 1
    response = post_login(client, "kim", PASSWORD)
    assert response.status_code == 200
    assert GENERIC_ERROR in response.content.decode()
    assert len(events("login_refused_locked")) == 1
    assert events("login_succeeded") == []
    assert client.get("/").status_code == 302


def test_a_success_resets_the_failure_count(staff):
    client = Client()
    post_login(client, "kim", "verkeerd-wachtwoord")
    post_login(client, "kim", PASSWORD)
    assert User.objects.get(username="kim").failed_login_count == 0


def test_logout_needs_post_and_is_audited(login, staff):
    client = login("kim")
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    [event] = events("logged_out")
    assert (event.actor, event.gemeente.code) == (staff["kim"], "GM0392")
    assert client.get("/").status_code == 302


def test_password_change_checks_the_rules_in_dutch_and_changes_nothing_on_error(login, staff):
    client = login("kim")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "fout", "new_password1": "kort", "new_password2": "anders"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Uw huidige wachtwoord klopt niet." in html
    assert "Het wachtwoord is te kort: gebruik minstens 12 tekens." in html
    assert "De twee nieuwe wachtwoorden zijn niet hetzelfde." in html
    assert 'aria-invalid="true"' in html
    assert User.objects.get(username="kim").check_password(PASSWORD)
    assert events("password_changed") == []


def test_password_change_succeeds_and_keeps_the_session(login, staff):
    client = login("kim")
    new = "Nieuw-en-lang-2026"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert User.objects.get(username="kim").check_password(new)
    assert len(events("password_changed")) == 1
    assert client.get("/").status_code == 200
