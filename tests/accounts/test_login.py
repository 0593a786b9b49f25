"""Login with throttling, logout and the own password change, with their audit events."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openinburgering.accounts.models import LoginThrottle, User
from openinburgering.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "test-Password-123!"
GENERIC_ERROR = "De gebruikersnaam of het wachtwoord klopt niet."
WAIT_30_SECONDS = (
    "U heeft te vaak een verkeerde gebruikersnaam of een verkeerd wachtwoord ingevuld. "
    "Wacht 30 seconden en probeer het dan opnieuw."
)
OTHER_ADDRESS = "192.0.2.7"
REAL_ENCODE = MD5PasswordHasher.encode
LOGIN_URL = "/account/inloggen/"


def post_login(client: Client, username: str, password: str, **extra: str):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def _error(html: str) -> str:
    """The form-wide messages of the error summary, one line each."""
    items = re.findall(r'<li class="utrecht-unordered-list__item">(.*?)</li>', html, re.S)
    return "\n".join(" ".join(item.split()) for item in items)


def events(event_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("id"))


def test_login_page_explains_the_waiting():
    html = Client().get(LOGIN_URL).content.decode()
    assert (
        "Na 5 foute pogingen moet u even wachten voordat u het opnieuw kunt proberen. Die wachttijd wordt\n"
        "    steeds langer, tot hoogstens 5 minuten." in html
    )
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
    assert LoginThrottle.objects.values_list("failures", flat=True).order_by("account_key").get(account_key__gt="") == 1
    assert [e.actor for e in events("login_failed")] == [staff["kim"]]
    assert events("login_succeeded") == []


def test_unknown_user_name_gets_the_same_message(staff):
    response = post_login(Client(), "bestaatniet", "verkeerd-wachtwoord")
    assert GENERIC_ERROR in response.content.decode()
    assert AuditEvent.objects.count() == 0


def _hasher_runs(client: Client, username: str, password: str, **extra: str) -> int:
    with mock.patch.object(MD5PasswordHasher, "encode", autospec=True, side_effect=REAL_ENCODE) as encode:
        post_login(client, username, password, **extra)
    return encode.call_count


def test_the_password_hasher_runs_once_on_every_path(staff):
    """Every answer costs the same hashing work, so timing tells neither the name nor the wait (#12 item 9)."""
    client = Client()
    User.objects.filter(username="youssef").update(is_active=False)
    assert _hasher_runs(client, "bestaatniet", "verkeerd-wachtwoord") == 1
    assert _hasher_runs(client, "youssef", PASSWORD) == 1  # inactive
    assert _hasher_runs(client, "kim", "verkeerd-wachtwoord") == 1
    for _ in range(4):
        post_login(client, "kim", "verkeerd-wachtwoord")
    assert _hasher_runs(client, "kim", PASSWORD) == 1  # waiting: refused, but hashed all the same
    assert _hasher_runs(client, "kim", "verkeerd-wachtwoord") == 1
    assert _hasher_runs(Client(), "kim", PASSWORD, REMOTE_ADDR=OTHER_ADDRESS) == 1  # success


def test_five_failures_make_the_name_wait_at_this_address_only(staff):
    client = Client()
    for attempt in range(5):
        response = post_login(client, "kim", "verkeerd-wachtwoord")
        assert (WAIT_30_SECONDS in response.content.decode()) is (attempt == 4)
    assert len(events("login_failed")) == 4
    assert len(events("login_locked")) == 1
    response = post_login(client, "kim", PASSWORD)
    assert response.status_code == 200
    assert WAIT_30_SECONDS in response.content.decode()
    assert len(events("login_refused_locked")) == 1
    assert events("login_succeeded") == []
    assert client.get("/").status_code == 302
    # A stranger elsewhere cannot lock kim out: from her own computer she logs in at once.
    own = Client(REMOTE_ADDR=OTHER_ADDRESS)
    assert post_login(own, "kim", PASSWORD).status_code == 302
    assert own.get("/").status_code == 200


def test_the_wait_grows_with_every_further_failure_up_to_the_maximum(staff):
    client = Client()
    for _ in range(4):
        post_login(client, "kim", "verkeerd-wachtwoord")
    waits = []
    for _ in range(6):
        response = post_login(client, "kim", "verkeerd-wachtwoord")
        waits.append(re.search(r"Wacht (\d+ \w+) en", response.content.decode()).group(1))
        LoginThrottle.objects.update(blocked_until=None)  # as if the wait had passed
    assert waits == ["30 seconden", "1 minuut", "2 minuten", "4 minuten", "5 minuten", "5 minuten"]


def test_an_unknown_name_waits_exactly_like_a_known_one(staff):
    client = Client()
    for _ in range(5):
        known = post_login(client, "kim", "verkeerd-wachtwoord").content.decode()
        unknown = post_login(client, "bestaatniet", "verkeerd-wachtwoord").content.decode()
        assert _error(known) == _error(unknown)
    assert WAIT_30_SECONDS in _error(unknown)


def test_many_names_from_one_address_make_the_address_wait(staff, settings):
    client = Client()
    for number in range(settings.LOGIN_ADDRESS_MAX_FAILURES):
        post_login(client, f"gok{number}", "verkeerd-wachtwoord")
    response = post_login(client, "kim", PASSWORD)
    assert WAIT_30_SECONDS in response.content.decode()
    assert client.get("/").status_code == 302
    assert post_login(Client(REMOTE_ADDR=OTHER_ADDRESS), "kim", PASSWORD).status_code == 302


def test_old_failures_are_forgotten(staff, settings):
    client = Client()
    for _ in range(4):
        post_login(client, "kim", "verkeerd-wachtwoord")
    window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES, seconds=1)
    LoginThrottle.objects.update(last_failure_at=timezone.now() - window)
    response = post_login(client, "kim", "verkeerd-wachtwoord")
    assert GENERIC_ERROR in _error(response.content.decode())
    assert sorted(LoginThrottle.objects.values_list("failures", flat=True)) == [1, 1]


def test_a_success_clears_the_name_at_this_address_but_not_the_address(staff):
    client = Client()
    post_login(client, "kim", "verkeerd-wachtwoord")
    post_login(client, "kim", PASSWORD)
    assert list(LoginThrottle.objects.values_list("account_key", "failures")) == [("", 1)]


def test_the_throttle_stores_no_names_or_addresses(staff):
    post_login(Client(), "kim", "verkeerd-wachtwoord")
    stored = " ".join(f"{row.account_key} {row.address_key}" for row in LoginThrottle.objects.all())
    assert "kim" not in stored
    assert "127.0.0.1" not in stored
    assert [len(key) for key in stored.split()] == [64, 64, 64]


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
