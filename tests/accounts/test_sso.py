"""Single sign-on with OpenID Connect (#12 item 3) against a real provider on loopback (tests/accounts/
oidc_provider.py): the whole authorization code flow through the app, with real ID token signatures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from openinburgering.accounts.models import Gemeente, Membership, OidcIdentity, OidcProvider, User
from openinburgering.accounts.sso import configure_provider
from openinburgering.audit.models import AuditEvent
from openinburgering.demo.personas import HAARLEM, ZANDVOORT

from .oidc_provider import CLIENT_ID, CLIENT_SECRET, LoopbackProvider, follow_to_callback, running_provider

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/account/inloggen/sso-terug/"
ROLES = {"inburgering-regie": "klantregisseur", "inburgering-beheer": "functioneel_beheerder"}
NO_ROLE = (
    "U kunt niet inloggen: u heeft bij Haarlem geen rol in Open Inburgering. Vraag de functioneel beheerder van uw "
    "gemeente om u een rol te geven."
)
GENERIC = (
    "Inloggen via uw gemeente is niet gelukt. Probeer het opnieuw. Lukt het weer niet? Neem dan contact op met de "
    "functioneel beheerder van uw gemeente."
)


@pytest.fixture
def op(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackProvider]:
    with running_provider() as provider:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", provider.ca_file)
        provider.allow_redirect_uri(CALLBACK)
        yield provider


@pytest.fixture
def haarlem_sso(op: LoopbackProvider, staff: dict[str, User]) -> OidcProvider:
    return configure_provider(
        gemeente=Gemeente.objects.get(code=HAARLEM),
        discovery_url=op.discovery_url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        role_mapping=ROLES,
    )


def sso_login(client: Client, op: LoopbackProvider, next_url: str = "") -> Any:
    start = client.get("/account/inloggen/sso/GM0392/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    assert start["Location"].startswith(f"{op.base_url}/authorize?")
    return client.get(follow_to_callback(start["Location"]))


def test_configuring_reads_the_discovery_document_and_is_audited(haarlem_sso, op):
    assert (haarlem_sso.issuer, haarlem_sso.token_endpoint, haarlem_sso.jwks_uri) == (
        op.base_url,
        f"{op.base_url}/token",
        f"{op.base_url}/jwks",
    )
    event = AuditEvent.objects.get(event_type="login_settings_changed")
    assert (event.gemeente.code, event.via, event.changes["sso"]["created"]) == (HAARLEM, "command", True)
    assert CLIENT_SECRET not in str(event.changes)


def test_the_login_page_shows_the_button_only_for_a_configured_gemeente(staff, op):
    assert "Inloggen via uw gemeente" not in Client().get("/account/inloggen/").content.decode()
    configure_provider(
        gemeente=Gemeente.objects.get(code=HAARLEM),
        discovery_url=op.discovery_url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        role_mapping=ROLES,
    )
    html = Client().get("/account/inloggen/").content.decode()
    assert 'href="/account/inloggen/sso/GM0392/">Inloggen met uw account van Haarlem</a>' in html
    assert Client().get(f"/account/inloggen/sso/{ZANDVOORT}/").status_code == 404


def test_a_colleague_logs_in_with_the_gemeentes_provider_and_is_linked_by_subject(haarlem_sso, op, staff):
    op.log_in_as("kim-at-idp", {"sub": "idp-0001", "email": "KIM@example.org", "roles": ["inburgering-regie"]})
    client = Client()
    response = sso_login(client, op, next_url="/dossiers/")
    assert (response.status_code, response["Location"]) == (302, "/dossiers/")
    assert client.get("/").status_code == 200
    assert int(client.session["_auth_user_id"]) == staff["kim"].pk
    assert OidcIdentity.objects.get().user == staff["kim"]
    event = AuditEvent.objects.get(event_type="login_succeeded")
    assert (event.actor, event.changes) == (staff["kim"], {"method": "GemeenteOidcBackend", "second_factor": "sso"})
    assert [path for path in op.requests if path != "/.well-known/openid-configuration"] == [
        "/authorize",
        "/token",
        "/jwks",
        "/userinfo",
    ]
    # Next time the subject decides, whatever the e-mail address says.
    op.log_in_as(
        "kim-at-idp", {"sub": "idp-0001", "email": "kim.devries@haarlem.example", "roles": ["inburgering-regie"]}
    )
    again = Client()
    sso_login(again, op)
    assert int(again.session["_auth_user_id"]) == staff["kim"].pk


def test_a_new_colleague_with_a_mapped_role_gets_an_account_without_password(haarlem_sso, op):
    op.log_in_as(
        "new",
        {
            "sub": "idp-0002",
            "email": "sanne@haarlem.example",
            "preferred_username": "sanne",
            "given_name": "Sanne",
            "family_name": "Dekker",
            "roles": {HAARLEM: ["inburgering-beheer"], ZANDVOORT: ["inburgering-regie"]},
        },
    )
    client = Client()
    assert sso_login(client, op)["Location"] == "/"
    user = User.objects.get(username="sanne")
    assert (user.display_name, user.has_usable_password()) == ("Sanne Dekker", False)
    memberships = list(Membership.objects.filter(user=user).values_list("gemeente__code", "role__code", "is_active"))
    assert memberships == [(HAARLEM, "functioneel_beheerder", True)]
    assert [e.event_type for e in AuditEvent.objects.filter(gemeente__code=HAARLEM).order_by("id")][1:] == [
        "staff_user_created",
        "membership_granted",
        "login_succeeded",
    ]


def test_without_a_mapped_role_no_account_is_made_and_the_page_says_why(haarlem_sso, op):
    op.log_in_as("stranger", {"sub": "idp-0003", "email": "x@haarlem.example", "roles": ["kantine"]})
    before = User.objects.count()
    client = Client()
    response = sso_login(client, op)
    assert response.status_code == 403
    assert NO_ROLE in response.content.decode()
    assert User.objects.count() == before
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(event_type="login_sso_refused")
    assert (event.gemeente.code, event.changes, event.actor) == (HAARLEM, {"reason": "no_mapped_role"}, None)


def test_roles_the_claim_no_longer_has_are_revoked(haarlem_sso, op, staff):
    op.log_in_as("fenna-at-idp", {"sub": "idp-0004", "email": "fenna@example.org", "roles": ["inburgering-regie"]})
    sso_login(Client(), op)
    roles = Membership.objects.filter(user=staff["fenna"], gemeente__code=HAARLEM).order_by("role__code")
    assert list(roles.values_list("role__code", "is_active")) == [
        ("functioneel_beheerder", False),
        ("klantregisseur", True),
    ]


def test_an_id_token_that_the_configured_keys_did_not_sign_is_refused(
    haarlem_sso, op, staff, caplog, tmp_path, monkeypatch
):
    with running_provider() as impostor:
        bundle = tmp_path / "both.pem"
        bundle.write_text(Path(op.ca_file).read_text() + Path(impostor.ca_file).read_text())
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
        OidcProvider.objects.filter(pk=haarlem_sso.pk).update(jwks_uri=f"{impostor.base_url}/jwks")
        op.log_in_as("kim-at-idp", {"sub": "idp-0001", "email": "kim@example.org", "roles": ["inburgering-regie"]})
        client = Client()
        response = sso_login(client, op)
    assert response.status_code == 403
    assert GENERIC in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert OidcIdentity.objects.count() == 0
    assert [r.getMessage() for r in caplog.records if r.name == "openinburgering.accounts.oidc"] == [
        "Single sign-on failed for gemeente GM0392: SuspiciousOperation"
    ]


def test_the_provider_saying_no_gives_the_dutch_page(haarlem_sso, op):
    client = Client()
    client.get("/account/inloggen/sso/GM0392/")
    response = client.get("/account/inloggen/sso-terug/?error=access_denied&state=x")
    assert response.status_code == 403
    assert GENERIC in response.content.decode()


def test_password_login_off_refuses_the_password_with_a_dutch_message(haarlem_sso, op, login, staff):
    fenna = login("fenna")
    response = fenna.post("/account/inlogregels/", {"allows_local_login": ""})
    assert response["Location"] == "/account/inlogregels/"
    event = AuditEvent.objects.filter(event_type="login_settings_changed").latest("id")
    assert event.changes == {"allows_local_login": {"old": True, "new": False}}
    response = Client().post("/account/inloggen/", {"username": "kim", "password": "test-Password-123!"})
    assert response.status_code == 200
    assert (
        "Uw gemeente laat inloggen met gebruikersnaam en wachtwoord niet meer toe. Gebruik de knop om in te loggen "
        "via uw gemeente." in response.content.decode()
    )
    assert AuditEvent.objects.filter(event_type="login_refused_password_off", actor=staff["kim"]).count() == 1
    op.log_in_as("kim-at-idp", {"sub": "idp-0001", "email": "kim@example.org", "roles": ["inburgering-regie"]})
    assert sso_login(Client(), op)["Location"] == "/"


def test_password_login_cannot_be_switched_off_without_single_sign_on(login):
    fenna = login("fenna")
    assert "allows_local_login" not in fenna.get("/account/inlogregels/").content.decode()
    fenna.post("/account/inlogregels/", {"allows_local_login": ""})
    assert Gemeente.objects.get(code=HAARLEM).allows_local_login is True


def test_a_single_sign_on_login_counts_as_two_factor(haarlem_sso, op):
    Gemeente.objects.filter(code=HAARLEM).update(requires_two_factor=True)
    op.log_in_as("kim-at-idp", {"sub": "idp-0001", "email": "kim@example.org", "roles": ["inburgering-regie"]})
    client = Client()
    sso_login(client, op)
    assert client.get("/").status_code == 200
