"""Open Klant 2 (Klantinteracties 0.9.0) against a loopback server validating every request and response against the
official spec: contact moments become klantcontacten once (found back by our onderwerpobject), linked to the person's
Partij by BSN; e-mail and phone changes are written as digitale adressen; the API reads them (audited)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.services import update_person
from openinburgering.core.dates import today
from openinburgering.interop import outbox
from openinburgering.interop.klantinteracties import register_contact_moment
from openinburgering.interop.models import OutboxMessage, OutboxState
from openinburgering.plans import services as plans

pytestmark = pytest.mark.django_db


def test_a_gesprek_becomes_a_klantcontact_with_the_persons_partij_once(
    openklant_server: Any, openklant_connection: Any, pip_file: Any, vastgesteld: Any, actor: Any
) -> None:
    client_file = pip_file()
    partij = openklant_server.add_persoon(client_file.person.bsn)
    version = vastgesteld(client_file)
    talk = version.progress_talks.order_by("planned_on").first()
    plans.record_progress_talk(actor=actor("kim"), client_file=client_file, talk=talk, held_on=today(),
                               summary="Het gaat goed met de lessen.")  # fmt: skip
    message = OutboxMessage.objects.get(kind="openklant.klantcontact")

    assert outbox.deliver(message.pk) == OutboxState.SENT, (
        OutboxMessage.objects.get(pk=message.pk).last_error,
        openklant_server.spec_errors,
    )

    (contact,) = openklant_server.klantcontacten
    assert contact["kanaal"] == "persoonlijk gesprek"
    assert contact["onderwerp"] == "Voortgangsgesprek gehouden"
    assert contact["vertrouwelijk"] is True
    assert "inhoud" not in contact
    assert contact["_betrokkene"]["wasPartij"]["uuid"] == partij["uuid"]
    assert AuditEvent.objects.filter(event_type="klantcontact_registered", client_file=client_file).count() == 1
    # A worker that died after Open Klant answered: the retry finds the klantcontact by our onderwerpobject.
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxState.PENDING, progress={}, next_attempt_at=message.created_at, sent_at=None
    )
    assert outbox.deliver(message.pk) == OutboxState.SENT
    assert len(openklant_server.klantcontacten) == 1
    assert openklant_server.spec_errors == []


def test_a_portal_message_without_a_partij_is_still_registered(
    openklant_server: Any, openklant_connection: Any, make_file: Any
) -> None:
    from django.utils import timezone

    client_file = make_file()
    register_contact_moment(client_file=client_file, kind="portaalbericht", key="portaalbericht:PortalMessage:1",
                            occurred_at=timezone.now(), from_client=True)  # fmt: skip
    outbox.sweep()

    (contact,) = openklant_server.klantcontacten
    assert contact["kanaal"] == "portaal Mijn Inburgering"
    assert contact["_betrokkene"]["initiator"] is True
    assert not contact["_betrokkene"].get("wasPartij")
    assert openklant_server.spec_errors == []


def test_open_klant_down_is_retried(openklant_server: Any, openklant_connection: Any, make_file: Any) -> None:
    from django.utils import timezone

    client_file = make_file()
    message = register_contact_moment(client_file=client_file, kind="brief", key="brief:Letter:7",
                                      occurred_at=timezone.now())  # fmt: skip
    assert message is not None
    openklant_server.fail_with = 500
    assert outbox.deliver(message.pk) == OutboxState.PENDING
    message.refresh_from_db()
    assert message.last_error == "Contactmoment zoeken: HTTP 500."
    openklant_server.fail_with = None
    assert outbox.deliver(message.pk, now=message.next_attempt_at + timedelta(seconds=1)) == OutboxState.SENT


def test_without_a_connection_nothing_is_queued(make_file: Any) -> None:
    from django.utils import timezone

    assert register_contact_moment(client_file=make_file(), kind="gesprek", key="gesprek:x",
                                   occurred_at=timezone.now()) is None  # fmt: skip
    assert not OutboxMessage.objects.exists()


def test_a_new_email_address_is_written_and_read_back(
    openklant_server: Any, openklant_connection: Any, make_file: Any, actor: Any, api: Any
) -> None:
    client_file = make_file()
    openklant_server.add_persoon(client_file.person.bsn)
    update_person(actor=actor("kim"), client_file=client_file, data={"email": "amal@example.org", "phone": ""})
    outbox.sweep()
    # The same address again adds nothing (same key), and an address the registry has is not posted twice.
    update_person(actor=actor("kim"), client_file=client_file, data={"email": "amal@example.org"})
    outbox.sweep()

    (adres,) = openklant_server.digitaleadressen
    assert (adres["soortDigitaalAdres"], adres["adres"], adres["isStandaardAdres"]) == (
        "email",
        "amal@example.org",
        True,
    )
    assert AuditEvent.objects.filter(event_type="digital_address_stored", client_file=client_file).count() == 1

    answer = api("kim").get(f"/api/v1/clients/{client_file.pk}/digitale-adressen")
    assert answer.status_code == 200
    expected = {"soort": "email", "adres": "amal@example.org", "omschrijving": "Opgegeven bij inburgering",
                "standaard": True}  # fmt: skip
    assert answer.json() == [expected]
    assert AuditEvent.objects.filter(event_type="digital_address_read", client_file=client_file).count() == 1
    assert api("zeynep", "GM0473").get(f"/api/v1/clients/{client_file.pk}/digitale-adressen").status_code == 404
    assert openklant_server.spec_errors == []


def test_reading_without_a_registry_is_a_dutch_400(make_file: Any, api: Any) -> None:
    client_file = make_file()
    answer = api("kim").get(f"/api/v1/clients/{client_file.pk}/digitale-adressen")
    assert answer.status_code == 400
    assert "klantcontactsysteem" in answer.json()["detail"]


def test_a_letter_marked_sent_becomes_a_klantcontact_once_per_letter(
    openklant_server: Any, openklant_connection: Any, make_file: Any, actor: Any, staff: Any
) -> None:
    """#17 item 3: every channel of sending registers the letter as a klantcontact (key brief:Letter:<id>)."""
    from openinburgering.clients.models import Person
    from openinburgering.letters import services as letters
    from tests.letters.test_sending_api import make_letter

    client_file = make_file()
    partij = openklant_server.add_persoon(client_file.person.bsn)
    Person.objects.filter(pk=client_file.person_id).update(email="a.client@example.org")
    client_file.refresh_from_db()
    portal_letter = make_letter(client_file, staff, kind="pip_beschikking", title="Besluit PIP")
    post_letter = make_letter(client_file, staff, kind="oproep")
    portal_letter.client_file = client_file
    kim = actor("kim")

    letters.record_sent(actor=kim, letter=portal_letter, channel="portaal", sent_on=today())
    letters.create_print_batch(actor=kim, letter_ids=[post_letter.pk], sent_on=today())
    keys = set(OutboxMessage.objects.filter(kind="openklant.klantcontact").values_list("key", flat=True))
    assert keys == {
        f"openklant.klantcontact:brief:Letter:{portal_letter.pk}",
        f"openklant.klantcontact:brief:Letter:{post_letter.pk}",
    }
    outbox.sweep()
    outbox.sweep()

    contacts = sorted(openklant_server.klantcontacten, key=lambda c: c["kanaal"])
    assert [(c["kanaal"], c["onderwerp"]) for c in contacts] == [
        ("brief", "Brief verstuurd: Oproep brede intake"),
        ("portaal Mijn Inburgering", "Brief verstuurd: Besluit persoonlijk plan (PIP)"),
    ]
    assert {c["_betrokkene"]["wasPartij"]["uuid"] for c in contacts} == {partij["uuid"]}
    assert all(c["vertrouwelijk"] is True and "inhoud" not in c for c in contacts)
    assert {c["plaatsgevondenOp"][:10] for c in contacts} == {today().isoformat()}
    assert AuditEvent.objects.filter(event_type="klantcontact_registered", client_file=client_file).count() == 2
    assert openklant_server.spec_errors == []


def test_the_file_shows_the_registrys_contact_details_and_takes_one_over(
    openklant_server: Any, openklant_connection: Any, make_file: Any, login: Any
) -> None:
    """#17 item 5: the file page reads the person's digital addresses from Open Klant on request, and a
    klantregisseur takes the e-mail address over into the file (audited read and change)."""
    from openinburgering.clients.models import Person

    client_file = make_file(assigned_to="kim", person={"email": "oud@example.org"})
    partij = openklant_server.add_persoon(client_file.person.bsn)
    openklant_server.add_digitaal_adres(partij, "email", "amal.nieuw@example.org", "Opgegeven bij het KCC")
    openklant_server.add_digitaal_adres(partij, "overig", "@amal", "Sociale media")
    url = f"/dossiers/{client_file.pk}/contactgegevens/"
    kim = login("kim")

    page = kim.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert "amal.nieuw@example.org" in html
    assert html.count("Overnemen in het dossier") == 1  # the e-mail; 'overig' cannot be taken over
    assert AuditEvent.objects.filter(event_type="digital_address_read", client_file=client_file, via="ui").count() == 1
    file_page = kim.get(f"/dossiers/{client_file.pk}/").content.decode()
    assert "Contactgegevens in het klantcontactsysteem bekijken" in file_page

    refused = kim.post(f"{url}overnemen/", {"soort": "email", "adres": "verzonnen@example.org"})
    assert refused.status_code == 302
    assert Person.objects.get(pk=client_file.person_id).email == "oud@example.org"
    assert AuditEvent.objects.filter(event_type="digital_address_read", client_file=client_file).count() == 2

    taken = kim.post(f"{url}overnemen/", {"soort": "email", "adres": "amal.nieuw@example.org"})

    assert taken.status_code == 302
    assert taken["Location"] == f"/dossiers/{client_file.pk}/#persoon"
    assert Person.objects.get(pk=client_file.person_id).email == "amal.nieuw@example.org"
    event = AuditEvent.objects.get(event_type="person_updated", client_file=client_file)
    assert event.changes["email"] == {"old": "oud@example.org", "new": "amal.nieuw@example.org"}
    outbox.sweep()  # written back: Open Klant already has it, so nothing is added
    assert len(openklant_server.digitaleadressen) == 2
    assert "Staat in het dossier" in kim.get(url).content.decode()
    # Need to know: another gemeente and a role without the file's basis section get 404; a role that reads the
    # basis but may not change it sees the addresses without the button and cannot take one over.
    assert login("zeynep", "GM0473").get(url).status_code == 404
    assert login("bram").get(url).status_code == 404
    frank = login("frank")
    assert "Overnemen in het dossier" not in frank.get(url).content.decode()
    assert frank.post(f"{url}overnemen/", {"soort": "email", "adres": "amal.nieuw@example.org"}).status_code == 404
    assert openklant_server.spec_errors == []


def test_without_a_registry_the_page_says_so_and_reads_nothing(make_file: Any, login: Any) -> None:
    client_file = make_file(assigned_to="kim")
    page = login("kim").get(f"/dossiers/{client_file.pk}/contactgegevens/")
    assert page.status_code == 200
    assert "De gemeente heeft geen klantcontactsysteem gekoppeld" in page.content.decode()
    assert not AuditEvent.objects.filter(event_type="digital_address_read").exists()


def test_taking_an_address_over_through_the_api(
    openklant_server: Any, openklant_connection: Any, make_file: Any, api: Any
) -> None:
    client_file = make_file(assigned_to="kim")
    partij = openklant_server.add_persoon(client_file.person.bsn)
    openklant_server.add_digitaal_adres(partij, "telefoonnummer", "0612345678")
    path = f"/api/v1/clients/{client_file.pk}/digitale-adressen/overnemen"

    assert api("zeynep", "GM0473").post(path, {"soort": "telefoonnummer", "adres": "0612345678"}).status_code == 404
    missing = api("kim").post(path, {"soort": "telefoonnummer", "adres": "0687654321"})
    assert missing.status_code == 400
    assert "staat niet (meer) in het klantcontactsysteem" in missing.json()["detail"]
    assert AuditEvent.objects.filter(event_type="digital_address_read", via="api").count() == 1

    answer = api("kim").post(path, {"soort": "telefoonnummer", "adres": "0612345678"})

    assert answer.status_code == 200, answer.content
    assert answer.json()["phone"] == "0612345678"
    assert openklant_server.spec_errors == []
