"""The client file as a Zaak (#17 item 2), against the loopback zaaksysteem that validates every request and response
with the official Zaken, Documenten, Besluiten and Notificaties OpenAPI files."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import StatusChange
from openinburgering.interop import outbox
from openinburgering.interop.models import OutboxMessage, OutboxState

from .zgw_server import BESLUITTYPEN, RSIN, STATUSTYPEN, ZAAKTYPE, connect_zgw


def deliver_all(rounds: int = 6) -> None:
    """Runs every due message, as the worker and ``send_outbox`` would over time (backoffs skipped by ``now``)."""
    later = timezone.now() + timedelta(days=1)
    for _ in range(rounds):
        if not outbox.sweep(now=later):
            return


def changes(client_file: Any) -> list[str]:
    return list(StatusChange.objects.filter(client_file=client_file).order_by("pk").values_list("to_status", flat=True))


def states() -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for message in OutboxMessage.objects.order_by("pk"):
        result.setdefault(message.kind, []).append(message.state)
    return result


@pytest.mark.django_db
def test_approving_a_pip_publishes_zaak_statussen_besluit_and_documents_once(
    haarlem, zgw_server, pip_file, vastgesteld
):
    connect_zgw(haarlem, zgw_server)
    client_file = pip_file()
    version = vastgesteld(client_file)
    deliver_all()

    assert zgw_server.spec_errors == []
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.SENT}
    [zaak] = zgw_server.created("zaken")
    assert zaak["identificatie"] == f"OI-{client_file.pk}"
    assert zaak["zaaktype"] == ZAAKTYPE
    assert zaak["bronorganisatie"] == RSIN
    [rol] = zgw_server.created("rollen")
    assert rol["betrokkeneIdentificatie"] == {"inpBsn": client_file.person.bsn}
    # Every status change of the file (the fixture's and the approval's), in order, each once.
    statussen = zgw_server.created("statussen")
    assert [s["statustype"] for s in statussen] == [STATUSTYPEN[s] for s in changes(client_file)]
    assert changes(client_file)[-1] == "in_traject"
    assert {s["zaak"] for s in statussen} == {zaak["url"]}
    [besluit] = zgw_server.created("besluiten")
    assert besluit["besluittype"] == BESLUITTYPEN["pip"]
    assert besluit["zaak"] == zaak["url"]
    assert besluit["identificatie"] == f"OI-PIP-{version.pk}"
    assert besluit["datum"] == version.dagtekening_on.isoformat()
    [document] = zgw_server.created("enkelvoudiginformatieobjecten")
    assert document["identificatie"] == f"OI-BRIEF-{version.beschikking_letter_id}"
    assert document["formaat"] == "application/pdf"
    assert document["_content"]
    import base64

    assert base64.b64decode(document["_content"]).startswith(b"%PDF")
    [zio] = zgw_server.created("zaakinformatieobjecten")
    assert (zio["zaak"], zio["informatieobject"]) == (zaak["url"], document["url"])
    [bio] = zgw_server.created("besluitinformatieobjecten")
    assert (bio["besluit"], bio["informatieobject"]) == (besluit["url"], document["url"])
    # Every request carried the ZGW JWT and the Zaken API's CRS headers where required (else the spec check fails).
    assert all(r["headers"].get("Authorization", "").startswith("Bearer ") for r in zgw_server.requests)


@pytest.mark.django_db
def test_each_change_of_the_file_is_a_notification_on_kanaal_inburgering(haarlem, zgw_server, pip_file, vastgesteld):
    connect_zgw(haarlem, zgw_server)
    client_file = pip_file()
    vastgesteld(client_file)
    deliver_all()

    assert zgw_server.spec_errors == []
    notes = zgw_server.notifications
    assert {n["kanaal"] for n in notes} == {"inburgering"}
    url = f"https://inburgering.haarlem.example/api/v1/clients/{client_file.pk}"
    assert {n["hoofdObject"] for n in notes} == {url}
    assert {n["resource"] for n in notes} == {"dossier"}
    assert next(n["actie"] for n in notes) == "create"
    # Each status change and the besluit: one notification each, the status as kenmerk.
    assert [n["kenmerken"]["status"] for n in notes] == [*changes(client_file), "in_traject"]
    assert {n["kenmerken"]["gemeente"] for n in notes} == {"GM0392"}
    assert all(client_file.person.bsn not in str(n) for n in notes)  # no personal data in a notification


@pytest.mark.django_db
def test_server_killed_midway_and_restarted_publishes_each_item_exactly_once(
    haarlem, zgw_server, pip_file, vastgesteld
):
    connect_zgw(haarlem, zgw_server)
    client_file = pip_file()
    vastgesteld(client_file)
    later = timezone.now() + timedelta(days=1)

    # The zaaksysteem creates the Zaak, then dies before answering: the Zaak exists, we do not know its URL.
    zgw_server.fail_after_acting = True
    outbox.deliver(OutboxMessage.objects.get(kind="zgw.zaak").pk, now=later)
    assert len(zgw_server.created("zaken")) == 1
    zgw_server.stop()
    assert outbox.sweep(now=later) > 0  # everything due fails now: connection refused
    assert OutboxMessage.objects.filter(state=OutboxState.SENT, kind__startswith="zgw").count() == 0
    assert "niet bereikbaar" in OutboxMessage.objects.get(kind="zgw.zaak").last_error

    zgw_server.start()  # same port, same data
    # The document is stored, then the server dies again before answering.
    zgw_server.fail_after_acting = False
    deliver_all(rounds=1)
    deliver_all()

    assert set(states()) >= {"zgw.zaak", "zgw.status", "zgw.document", "zgw.besluit"}
    assert all(state == OutboxState.SENT for kind in states().values() for state in kind)
    assert len(zgw_server.created("zaken")) == 1
    assert len(zgw_server.created("rollen")) == 1
    assert len(zgw_server.created("statussen")) == len(changes(client_file))
    assert len(zgw_server.created("enkelvoudiginformatieobjecten")) == 1
    assert len(zgw_server.created("zaakinformatieobjecten")) == 1
    assert len(zgw_server.created("besluiten")) == 1
    assert len(zgw_server.created("besluitinformatieobjecten")) == 1
    assert zgw_server.spec_errors == []


@pytest.mark.django_db
@pytest.mark.parametrize("collection", ["zaken", "statussen", "zaakinformatieobjecten", "besluitinformatieobjecten"])
def test_a_crash_after_the_receiver_acted_at_any_step_never_doubles_it(
    collection, haarlem, zgw_server, pip_file, vastgesteld
):
    connect_zgw(haarlem, zgw_server, notifications=False)
    client_file = pip_file()
    vastgesteld(client_file)
    original = zgw_server.complete

    def crash_once(name: str, obj: dict[str, Any]) -> dict[str, Any]:
        if name == collection and not zgw_server.created(name):
            zgw_server.fail_after_acting = True
        return original(name, obj)

    zgw_server.complete = crash_once
    deliver_all()

    assert all(state == OutboxState.SENT for kind in states().values() for state in kind)
    expected = {"zaken": 1, "rollen": 1, "statussen": len(changes(client_file)), "enkelvoudiginformatieobjecten": 1,
                "zaakinformatieobjecten": 1, "besluiten": 1, "besluitinformatieobjecten": 1}  # fmt: skip
    assert {name: len(zgw_server.created(name)) for name in expected} == expected
    assert zgw_server.spec_errors == []


@pytest.mark.django_db
def test_a_refused_authorisation_is_retried_and_its_error_holds_no_personal_data(haarlem, zgw_server, make_file):
    from zgw_consumers.models import Service

    connect_zgw(haarlem, zgw_server, notifications=False)
    Service.objects.filter(slug="gm0392-zaken").update(secret="wrong-secret")
    client_file = make_file(assigned_to="kim")
    deliver_all(rounds=1)

    message = OutboxMessage.objects.get(kind="zgw.zaak")
    assert message.state == OutboxState.PENDING
    assert message.attempts == 1
    assert message.last_error == "Zaak aanmaken (zoeken): HTTP 403."
    assert client_file.person.bsn not in message.last_error
    assert zgw_server.created("zaken") == []


@pytest.mark.django_db
def test_without_a_zaaksysteem_nothing_is_queued(haarlem, pip_file, vastgesteld):
    vastgesteld(pip_file())
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_the_webhook_stores_a_notification_only_with_the_configured_authorisation(
    haarlem, zgw_server, make_file, client
):
    connect_zgw(haarlem, zgw_server)
    client_file = make_file(assigned_to="kim")
    deliver_all()
    [zaak] = zgw_server.created("zaken")
    body = {
        "kanaal": "zaken", "hoofdObject": zaak["url"], "resource": "zaakinformatieobject",
        "resourceUrl": f"{zaak['url']}/zio/1", "actie": "create", "aanmaakdatum": timezone.now().isoformat(),
        "kenmerken": {"bronorganisatie": RSIN, "zaaktype": ZAAKTYPE, "vertrouwelijkheidaanduiding": "vertrouwelijk"},
    }  # fmt: skip
    url = "/api/v1/notificaties/GM0392"
    assert client.post(url, body, content_type="application/json").status_code == 401
    wrong = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION="Token nope")
    assert wrong.status_code == 403
    other = client.post("/api/v1/notificaties/GM0473", body, content_type="application/json",
                        HTTP_AUTHORIZATION="Token abc123")  # fmt: skip
    assert other.status_code == 403  # Zandvoort has no Notificaties connection: Haarlem's secret does not open it
    from openinburgering.interop.models import ReceivedNotification

    assert not ReceivedNotification.objects.exists()

    bad = client.post(url, {**body, "hoofdObject": "geen url"}, content_type="application/json",
                      HTTP_AUTHORIZATION="Token abc123")  # fmt: skip
    assert bad.status_code == 400
    assert not ReceivedNotification.objects.exists()

    ok = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION="Token abc123")
    assert ok.status_code == 204
    [received] = ReceivedNotification.objects.all()
    assert received.client_file == client_file
    assert received.resource == "zaakinformatieobject"
    event = AuditEvent.objects.get(event_type="integration_notification_received")
    assert event.client_file_id == client_file.pk
    assert event.gemeente_id == haarlem.pk
