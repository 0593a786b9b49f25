"""Sessions (#12 item 4): the idle timeout with its warning page, 'Overal uitloggen', and the login wait shown on the
staff page."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from openinburgering.accounts.middleware import SESSION_ACTIVITY_KEY
from openinburgering.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "test-Password-123!"
IDLE_NOTICE = "U bent uitgelogd omdat u 20 minuten niets heeft gedaan. Log opnieuw in."


def idle_for(client: Client, seconds: float) -> None:
    session = client.session
    session[SESSION_ACTIVITY_KEY] = time.time() - seconds
    session.save()


def test_twenty_minutes_without_a_request_end_the_session_with_a_dutch_notice(login):
    client = login("kim")
    assert client.get("/").status_code == 200
    idle_for(client, 20 * 60 + 5)
    response = client.get("/", follow=True)
    assert response.redirect_chain == [("/account/inloggen/?next=/", 302)]
    assert IDLE_NOTICE in response.content.decode()
    assert client.get("/")["Location"] == "/account/inloggen/?next=/"


def test_a_request_within_twenty_minutes_renews_the_session(login):
    client = login("kim")
    idle_for(client, 19 * 60)
    before = time.time()
    assert client.get("/").status_code == 200
    assert client.session[SESSION_ACTIVITY_KEY] >= before
    idle_for(client, 19 * 60)
    assert client.get("/").status_code == 200


def test_asking_how_long_is_left_does_not_count_as_activity(login, monkeypatch):
    client = login("kim")
    session = client.session
    session[SESSION_ACTIVITY_KEY] = 1_000_000.0
    session.save()
    monkeypatch.setattr("openinburgering.accounts.middleware.time.time", lambda: 1_000_000.0 + 19 * 60)
    assert client.get("/account/sessie/").json() == {"seconds_left": 60}
    assert client.get("/account/sessie/").json() == {"seconds_left": 60}
    assert client.post("/account/sessie/").json() == {"seconds_left": 1200}  # 'Blijf ingelogd'


def test_stay_logged_in_renews_to_the_full_time_within_the_clock_step(login):
    """Ordinary requests move the idle clock in 30-second steps (#18); 'Blijf ingelogd' always renews fully."""
    client = login("kim")
    idle_for(client, 10)  # within the 30-second step: a page view would not write the clock
    assert client.get("/").status_code == 200
    assert client.get("/account/sessie/").json()["seconds_left"] <= 1190
    assert client.post("/account/sessie/").json() == {"seconds_left": 1200}


def test_the_session_page_answers_zero_to_anonymous_visitors():
    assert Client().get("/account/sessie/").json() == {"seconds_left": 0}


def test_pages_of_logged_in_staff_carry_the_idle_warning_script(login):
    html = login("kim").get("/").content.decode()
    assert 'data-session-url="/account/sessie/" data-session-seconds="1200" data-session-warning-seconds="120"' in html
    assert '<script src="/static/js/session-timeout.js" defer></script>' in html
    assert "session-timeout.js" not in Client().get("/account/inloggen/").content.decode()


def test_log_out_everywhere_ends_every_session_of_the_user_and_is_audited(login, staff):
    here, there, colleague = login("kim"), login("kim"), login("tamara")
    assert '<form method="post" action="/account/overal-uitloggen/">' in here.get("/").content.decode()
    response = here.post("/account/overal-uitloggen/", follow=True)
    assert response.redirect_chain == [("/account/inloggen/", 302)]
    assert "U bent uitgelogd op alle computers en telefoons." in response.content.decode()
    assert here.get("/")["Location"] == "/account/inloggen/?next=/"
    assert there.get("/")["Location"] == "/account/inloggen/?next=/"
    assert colleague.get("/").status_code == 200
    event = AuditEvent.objects.get(event_type="logged_out_everywhere")
    assert (event.actor, event.subject_id) == (staff["kim"], str(staff["kim"].pk))
    staff["kim"].refresh_from_db()
    assert staff["kim"].session_version == 1
    # A new login works as before.
    assert Client().post("/account/inloggen/", {"username": "kim", "password": PASSWORD})["Location"] == "/"


def test_log_out_everywhere_is_a_post_for_logged_in_users():
    assert (
        Client().post("/account/overal-uitloggen/")["Location"] == "/account/inloggen/?next=/account/overal-uitloggen/"
    )
    assert AuditEvent.objects.count() == 0


def test_the_staff_page_shows_that_a_colleague_waits_after_failed_logins(login, staff):
    url = reverse("accounts:staff-detail", kwargs={"user_id": staff["kim"].pk})
    fenna = login("fenna")
    assert "Geen wachttijd" in fenna.get(url).content.decode()
    for _ in range(5):
        Client().post("/account/inloggen/", {"username": "kim", "password": "verkeerd-wachtwoord"})
    html = " ".join(fenna.get(url).content.decode().split())
    assert (
        "Moet nog 30 seconden wachten na te veel foute pogingen. Een nieuw wachtwoord instellen heft de wachttijd op."
        in html
    )
