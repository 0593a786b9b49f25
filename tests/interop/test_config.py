"""Koppelingen instellen (#17 item 8): the functioneel beheerder sets endpoint, credentials and the zaaktype
mapping per gemeente, secrets are never shown or audited, and "Verbinding testen" reaches the loopback server."""

from __future__ import annotations

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.interop import zgw
from openinburgering.interop.models import GemeenteConnection

from .zgw_server import CLIENT_ID, SECRET, ZgwServer

pytestmark = pytest.mark.django_db


def zaken_form(server: ZgwServer, **extra: str) -> dict[str, str]:
    return {
        "api_root": server.api_root("zaken"), "auth_type": "zgw", "client_id": CLIENT_ID, "secret": SECRET,
        "timeout": "5", "is_active": "on", "rsin": "001005650",
        "zaaktype": "https://catalogi.example/api/v1/zaaktypen/1",
        "statustype_aangemeld": "https://catalogi.example/api/v1/statustypen/1",
        "besluittype_pip": "https://catalogi.example/api/v1/besluittypen/1", **extra,
    }  # fmt: skip


def test_the_beheerder_sets_up_the_zaaksysteem_and_tests_the_connection(haarlem, zgw_server, login):
    fenna = login("fenna")
    assert fenna.get("/koppelingen/instellen/").status_code == 200
    response = fenna.post("/koppelingen/instellen/zaken/", zaken_form(zgw_server))
    assert response.status_code == 302
    connection = GemeenteConnection.objects.get(gemeente=haarlem, system="zaken")
    assert connection.options["statustypen"] == {"aangemeld": "https://catalogi.example/api/v1/statustypen/1"}
    assert connection.options["besluittypen"] == {"pip": "https://catalogi.example/api/v1/besluittypen/1"}
    assert connection.service.secret == SECRET
    page = fenna.get("/koppelingen/instellen/zaken/").content.decode()
    assert SECRET not in page  # never shown again
    event = AuditEvent.objects.get(event_type="integration_connection_changed")
    assert event.changes["secret"] == {"old": None, "new": "gewijzigd"}
    assert SECRET not in str(event.changes)

    # An empty secret keeps the stored one.
    assert fenna.post("/koppelingen/instellen/zaken/", zaken_form(zgw_server, secret="")).status_code == 302
    connection.service.refresh_from_db()
    assert connection.service.secret == SECRET

    tested = fenna.post("/koppelingen/instellen/zaken/testen/", follow=True)
    assert "De verbinding werkt (HTTP 200)." in tested.content.decode()
    assert zgw_server.spec_errors == []
    connection.service.secret = "wrong-secret-wrong-secret-wrong-secret"
    connection.service.save()
    refused = fenna.post("/koppelingen/instellen/zaken/testen/", follow=True).content.decode()
    assert "weigert de inloggegevens (HTTP 403)" in refused
    zgw_server.stop()
    down = fenna.post("/koppelingen/instellen/zaken/testen/", follow=True).content.decode()
    assert "niet bereikbaar" in down
    assert AuditEvent.objects.filter(event_type="integration_connection_tested").count() == 3


def test_dutch_errors_and_nothing_saved_for_a_bad_form(haarlem, zgw_server, login):
    fenna = login("fenna")
    response = fenna.post("/koppelingen/instellen/zaken/", zaken_form(zgw_server, rsin="12", zaaktype="geen-url",
                                                                        secret=""))  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert "Een RSIN is 9 cijfers." in html
    assert "Vul het geheim (secret) in." in html
    assert not GemeenteConnection.objects.exists()
    assert not zgw.is_configured(haarlem)


def test_only_the_functioneel_beheerder_reaches_the_settings(login):
    assert login("kim").get("/koppelingen/instellen/").status_code in (403, 404)
    assert login("kim").post("/koppelingen/instellen/zaken/testen/").status_code in (403, 404)
    assert login("fenna").get("/koppelingen/instellen/onbekend/").status_code == 404
