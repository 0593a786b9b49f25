"""Received notifications are acted on (#17 item 4): a change made outside this application on the file's Zaak in
the zaaksysteem, or on the person's Partij in Open Klant, becomes one "Controle nodig" signal on the file (audited);
our own Statussen, letters, besluiten and digital addresses do not. Through the real webhook (authorisation and
NotificatieSerializer), the outbox and the loopback zaaksysteem and Open Klant."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.services import change_status, update_person
from openinburgering.interop import outbox
from openinburgering.interop.klantinteracties import register_contact_moment
from openinburgering.interop.models import OutboxMessage, OutboxState, ReceivedNotification
from openinburgering.signals.models import FileSignal

from .test_zgw import deliver_all
from .zgw_server import RSIN, ZAAKTYPE, connect_zgw

pytestmark = pytest.mark.django_db
AUTH = "Token abc123"
KENMERKEN = {"bronorganisatie": RSIN, "zaaktype": ZAAKTYPE, "vertrouwelijkheidaanduiding": "vertrouwelijk"}


def notify(client: Any, *, kanaal: str, hoofd: str, resource: str, url: str, actie: str = "create") -> None:
    body = {
        "kanaal": kanaal, "hoofdObject": hoofd, "resource": resource, "resourceUrl": url, "actie": actie,
        "aanmaakdatum": timezone.now().isoformat(), "kenmerken": KENMERKEN if kanaal == "zaken" else {},
    }  # fmt: skip
    answer = client.post("/api/v1/notificaties/GM0392", body, content_type="application/json", HTTP_AUTHORIZATION=AUTH)
    assert answer.status_code == 204, answer.content


def signals(client_file: Any) -> list[tuple[str, str]]:
    rows = FileSignal.objects.filter(client_file=client_file).order_by("pk")
    return [(s.data.get("resource", ""), s.data.get("resource_url", "")) for s in rows]


def test_changes_on_the_zaak_made_elsewhere_become_one_signal_each(haarlem, zgw_server, make_file, client):
    connect_zgw(haarlem, zgw_server)
    client_file = make_file(assigned_to="kim")
    deliver_all()
    [zaak] = zgw_server.created("zaken")
    [our_status] = zgw_server.created("statussen")
    foreign_status = zgw_server.api_root("zaken") + "statussen/0c5d2f8e-0000-4000-8000-000000000001"
    foreign_zio = zgw_server.api_root("zaken") + "zaakinformatieobjecten/0c5d2f8e-0000-4000-8000-000000000002"

    notify(client, kanaal="zaken", hoofd=zaak["url"], resource="status", url=our_status["url"])
    notify(client, kanaal="zaken", hoofd=zaak["url"], resource="status", url=foreign_status)
    notify(client, kanaal="zaken", hoofd=zaak["url"], resource="zaakinformatieobject", url=foreign_zio)
    notify(client, kanaal="zaken", hoofd=zaak["url"], resource="zaakinformatieobject", url=foreign_zio)  # again
    notify(client, kanaal="zaken", hoofd=zaak["url"], resource="zaak", url=zaak["url"], actie="update")  # no action
    notify(client, kanaal="zaken", hoofd=zaak["url"], resource="zaak", url=zaak["url"], actie="destroy")
    other = "https://zaken.example/zaken/api/v1/zaken/5d1e0000-0000-4000-8000-000000000009"
    notify(client, kanaal="zaken", hoofd=other, resource="status", url=other + "/s")  # not a Zaak of ours
    deliver_all()

    assert signals(client_file) == [("status", foreign_status), ("zaakinformatieobject", foreign_zio),
                                    ("zaak", zaak["url"])]  # fmt: skip
    status_signal = FileSignal.objects.get(client_file=client_file, data__resource="status")
    assert (status_signal.kind, status_signal.resolved_at) == ("review_needed", None)
    assert status_signal.summary.startswith("In het zaaksysteem is een status bij de zaak gezet")
    assert (
        AuditEvent.objects.filter(event_type="integration_notification_signalled", client_file=client_file).count() == 3
    )
    results = sorted(m.progress["result"] for m in OutboxMessage.objects.filter(kind="nrc.ontvangen"))
    assert results == ["al gemeld", "eigen wijziging", "signaal", "signaal", "signaal"]
    assert ReceivedNotification.objects.filter(client_file=None).count() == 1
    client_file.refresh_from_db()
    assert client_file.status == "aangemeld"  # nothing in the file is changed from outside
    assert zgw_server.spec_errors == []


def test_the_check_waits_for_our_own_status_still_in_the_outbox(haarlem, zgw_server, make_file, actor, client):
    connect_zgw(haarlem, zgw_server)
    client_file = make_file(assigned_to="kim")
    deliver_all()
    [zaak] = zgw_server.created("zaken")
    change_status(actor=actor("kim"), client_file=client_file, to_status="intake", reason="Oproep")
    notify(client, kanaal="zaken", hoofd=zaak["url"], resource="status", url=zaak["url"] + "/elders")
    check = OutboxMessage.objects.get(kind="nrc.ontvangen")

    assert outbox.deliver(check.pk) == OutboxState.PENDING
    check.refresh_from_db()
    assert check.last_error == "Notificatie controleren: wacht tot de eigen berichten voor dit dossier verstuurd zijn."
    assert not FileSignal.objects.filter(client_file=client_file).exists()
    deliver_all()
    assert OutboxMessage.objects.get(kind="zgw.status", payload__status="intake").state == OutboxState.SENT
    assert signals(client_file) == [("status", zaak["url"] + "/elders")]


def test_a_besluit_on_the_zaak_not_made_here_is_signalled(haarlem, zgw_server, pip_file, vastgesteld, client):
    connect_zgw(haarlem, zgw_server)
    client_file = pip_file()
    vastgesteld(client_file)
    deliver_all()
    [zaak] = zgw_server.created("zaken")
    assert len(zgw_server.created("besluiten")) == 1  # the PIP beschikking, ours
    ours, theirs = zaak["url"] + "/besluiten/1", zaak["url"] + "/besluiten/2"

    notify(client, kanaal="zaken", hoofd=zaak["url"], resource="zaakbesluit", url=ours)
    notify(client, kanaal="zaken", hoofd=zaak["url"], resource="zaakbesluit", url=theirs)
    notify(client, kanaal="zaken", hoofd=zaak["url"], resource="zaakbesluit", url=ours)  # the NRC again
    deliver_all()

    assert signals(client_file) == [("zaakbesluit", theirs)]


@pytest.fixture
def webhook(haarlem: Any) -> None:
    """Only the Notificaties connection (the abonnement's auth for the webhook)."""
    from zgw_consumers.constants import APITypes, AuthTypes
    from zgw_consumers.models import Service

    from openinburgering.interop.models import GemeenteConnection

    service = Service.objects.create(
        label="GM0392 notificaties", slug="gm0392-notificaties", api_type=APITypes.nrc,
        api_root="https://nrc.example/api/v1/", auth_type=AuthTypes.no_auth, timeout=5,
    )  # fmt: skip
    GemeenteConnection.objects.create(
        gemeente=haarlem, system="notificaties", service=service,
        options={"public_url": "https://inburgering.haarlem.example", "callback_auth": AUTH},
    )  # fmt: skip


def test_a_change_of_the_persons_partij_in_open_klant_is_signalled_unless_it_was_ours(
    openklant_server: Any, openklant_connection: Any, webhook: None, make_file: Any, actor: Any, client: Any
) -> None:
    client_file = make_file()
    partij = openklant_server.add_persoon(client_file.person.bsn)
    register_contact_moment(client_file=client_file, kind="gesprek", key="gesprek:test:1", occurred_at=timezone.now())
    outbox.sweep()  # the klantcontact handler found the Partij by BSN and remembers it

    notify(client, kanaal="partijen", hoofd=partij["url"], resource="partij", url=partij["url"], actie="update")
    notify(client, kanaal="partijen", hoofd=partij["url"], resource="partij", url=partij["url"], actie="update")
    outbox.sweep()
    [signal] = FileSignal.objects.filter(client_file=client_file)
    assert signal.summary.startswith("De gegevens van deze persoon zijn gewijzigd in het klantcontactsysteem")
    assert ReceivedNotification.objects.filter(client_file=client_file).count() == 2
    FileSignal.objects.filter(pk=signal.pk).update(resolved_at=timezone.now())

    # Our own new e-mail address makes Open Klant notify too: not a signal.
    update_person(actor=actor("kim"), client_file=client_file, data={"email": "nieuw@example.org"})
    outbox.sweep()
    assert OutboxMessage.objects.get(kind="openklant.digitaal_adres").state == OutboxState.SENT
    notify(client, kanaal="partijen", hoofd=partij["url"], resource="partij", url=partij["url"], actie="update")
    outbox.sweep()
    assert FileSignal.objects.filter(client_file=client_file).count() == 1
    last = OutboxMessage.objects.filter(kind="nrc.ontvangen").latest("pk")
    assert last.progress == {"result": "eigen wijziging"}
    assert openklant_server.spec_errors == []
