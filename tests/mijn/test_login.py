"""DigiD login (the library's mock), the portal boundary and the 15-minute idle expiry (#15 item 1)."""

from __future__ import annotations

import time

from django.test import Client

from openinburgering.accounts.models import Membership
from openinburgering.audit.models import AuditEvent
from openinburgering.mijn.middleware import ACTIVITY_SESSION_KEY
from openinburgering.mijn.models import PortalAccount

from .conftest import digid_login


def test_mock_digid_login_creates_a_portal_account_without_any_membership(portal_file):
    client_file = portal_file()
    client = digid_login(client_file.person.bsn)
    assert client.last_response.status_code == 302
    assert client.last_response["Location"].endswith("/mijn/")
    account = PortalAccount.objects.get(bsn=client_file.person.bsn)
    assert Membership.objects.filter(user=account.user).count() == 0
    assert account.user.has_usable_password() is False
    page = client.get("/mijn/")
    assert page.status_code == 200
    assert "Welkom, Amal" in page.content.decode()
    login = AuditEvent.objects.get(event_type="portal_logged_in")
    assert login.client_file_id == client_file.pk
    assert login.actor_id == account.user.pk


def test_a_bsn_without_a_client_file_cannot_log_in(db):
    client = digid_login("111222333")
    assert client.last_response.status_code == 302
    assert "/mijn/inloggen/" in client.last_response["Location"]
    assert PortalAccount.objects.count() == 0
    assert client.get("/mijn/").status_code == 302


def test_anonymous_portal_pages_go_to_the_login_page(db):
    response = Client().get("/mijn/plan/")
    assert response.status_code == 302
    assert response["Location"] == "/mijn/inloggen/?next=%2Fmijn%2Fplan%2F"


def test_a_portal_client_never_reaches_a_staff_page(portal, staff):
    client, client_file = portal()
    for path in ("/", f"/dossiers/{client_file.pk}/", "/dossiers/zoeken/", f"/dossiers/{client_file.pk}/portaal/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/mijn/", path
    assert client.get(f"/api/v1/clients/{client_file.pk}/").status_code == 404
    assert client.post(f"/dossiers/{client_file.pk}/portaal/antwoord/", {"body": "x"}).status_code == 404


def test_a_portal_session_ends_after_15_idle_minutes(portal):
    client, _client_file = portal()
    session = client.session
    session[ACTIVITY_SESSION_KEY] = time.time() - 15 * 60 - 5
    session.save()
    response = client.get("/mijn/plan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/mijn/inloggen/")
    page = client.get(response["Location"])
    assert "15 minuten" in page.content.decode()


def test_a_portal_session_stays_within_15_minutes(portal):
    client, _client_file = portal()
    session = client.session
    session[ACTIVITY_SESSION_KEY] = time.time() - 14 * 60
    session.save()
    assert client.get("/mijn/plan/").status_code == 200


def test_a_portal_page_view_writes_the_session_only_when_the_activity_moved_30_seconds(
    portal, django_assert_num_queries
):
    client, _client_file = portal()
    session = client.session
    session[ACTIVITY_SESSION_KEY] = time.time() - 29
    session.save()
    client.get("/mijn/")
    assert client.session[ACTIVITY_SESSION_KEY] == session[ACTIVITY_SESSION_KEY]  # within 30 s: unchanged
    with django_assert_num_queries(START_QUERIES):
        client.get("/mijn/")
    session[ACTIVITY_SESSION_KEY] = time.time() - 31
    session.save()
    client.get("/mijn/")
    assert client.session[ACTIVITY_SESSION_KEY] > time.time() - 5  # 31 s later: moved


# #18: session, user with the portal account (no membership for a portal client), file (the gemeente's portal
# settings come from the per-gemeente cache), and in one transaction the audit insert and the start page's facts
# (open tasks, unread messages, next appointment: one query); no session write.
START_QUERIES = 7


def test_logout_ends_the_portal_session(portal):
    client, _client_file = portal()
    response = client.post("/mijn/uitloggen/")
    assert response.status_code == 302
    assert client.get("/mijn/").status_code == 302
    assert AuditEvent.objects.filter(event_type="portal_logged_out").count() == 1
