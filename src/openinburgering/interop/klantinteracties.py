"""Open Klant 2 (Klantinteracties API 0.9.0): contact moments registered as klantcontacten, and the person's digital
addresses (e-mail, phone) read from and written to the gemeente's contact registry. Only when the gemeente has a
``klantinteracties`` connection (zgw-consumers Service with its API token; nothing secret in the repository).

- **Contact moments** (an oproep or other letter, a gesprek, a portal message) are queued in the outbox
  (``openklant.klantcontact``) inside the transaction of the change that is the contact: ``register_contact_moment``.
  The klantcontact carries the kanaal, a short onderwerp and the moment, never the content of a message or letter
  (``vertrouwelijk`` true). At most once: the klantcontact gets an onderwerpobject that identifies our contact moment
  (register ``openinburgering``, the outbox key), and the handler looks for it before creating.
- **The person** is the Partij with partijIdentificator BSN (register BRP, natuurlijk persoon). When the registry has
  no such Partij the klantcontact is registered without it (the klantcontact is still found by our onderwerpobject);
  this application does not create Partijen (the gemeente's KCC owns them).
- **Digital addresses** are read on request (``read_digital_addresses``, audited) and written through the outbox
  (``openklant.digitaal_adres``) when the e-mail address or phone number in the file changes, verstrekt door the
  person's Partij; an address the registry already has for that Partij is not added again.

The BSN goes in query parameters of the registry (its design); the outgoing request log masks it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import requests
from django.db import transaction

from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError

from .connections import client_for, connection_for, has_connection
from .models import OutboxMessage, System
from .outbox import DeliveryError, enqueue_outgoing, register_handler, remember

if TYPE_CHECKING:
    from ape_pie import APIClient

    from openinburgering.accounts.actor import Actor
    from openinburgering.accounts.models import Gemeente
    from openinburgering.clients.models import ClientFile

PURPOSE_KCC = "Klantregie inburgering: contactmomenten en contactgegevens in het klantcontactsysteem"
REGISTER = "openinburgering"
CHANNELS = {
    "oproep": ("brief", "Oproep verstuurd"),
    "brief": ("brief", "Brief verstuurd"),
    "gesprek": ("persoonlijk gesprek", "Gesprek gehouden"),
    "portaalbericht": ("portaal Mijn Inburgering", "Bericht in Mijn Inburgering"),
}
SOORTEN = {"email": "email", "phone": "telefoonnummer"}
UNAVAILABLE = "Het klantcontactsysteem is nu niet bereikbaar. Probeer het later opnieuw."


def _configured(gemeente: Gemeente) -> bool:
    return has_connection(gemeente, System.KLANTINTERACTIES)


def register_contact_moment(
    *, client_file: ClientFile, kind: str, key: str, occurred_at: datetime, onderwerp: str = "",
    from_client: bool = False, kanaal: str = "",
) -> OutboxMessage | None:  # fmt: skip
    """Call inside the transaction of the contact (a gesprek recorded, a portal message sent, a letter sent).
    ``key`` identifies the moment in this application (e.g. ``gesprek:ProgressTalk:12``); ``kanaal`` overrides the
    kind's (a letter sent by digital post). Nothing without a connection."""
    if kind not in CHANNELS:
        raise ValueError(f"Unknown contact moment kind {kind!r}")
    default_kanaal, default_onderwerp = CHANNELS[kind]
    payload = {
        "kanaal": (kanaal or default_kanaal)[:50], "onderwerp": (onderwerp or default_onderwerp)[:200],
        "from_client": from_client, "plaatsgevondenOp": occurred_at.isoformat(),
    }  # fmt: skip
    return enqueue_outgoing(
        kind="openklant.klantcontact", key=f"openklant.klantcontact:{key}"[:200], payload=payload,
        gemeente=client_file.gemeente, client_file=client_file,
    )  # fmt: skip


def _get(client: APIClient, path: str, params: dict[str, str], step: str) -> dict[str, Any]:
    try:
        response = client.get(path, params=params)
    except requests.RequestException:
        raise DeliveryError(f"{step}: het klantcontactsysteem is niet bereikbaar.") from None
    if response.status_code != 200:
        raise DeliveryError(f"{step}: HTTP {response.status_code}.")
    data = response.json()
    return data if isinstance(data, dict) else {}


def _post(client: APIClient, path: str, body: dict[str, Any], step: str) -> dict[str, Any]:
    try:
        response = client.post(path, json=body)
    except requests.RequestException:
        raise DeliveryError(f"{step}: het klantcontactsysteem is niet bereikbaar.") from None
    if response.status_code != 201:
        raise DeliveryError(f"{step}: HTTP {response.status_code}.")
    data = response.json()
    return data if isinstance(data, dict) else {}


def find_partij(client: APIClient, bsn: str) -> dict[str, Any] | None:
    """The Partij identified by this BSN (register BRP), or None."""
    if not bsn:
        return None
    params = {
        "partijIdentificator__codeObjecttype": "natuurlijk_persoon", "partijIdentificator__codeRegister": "brp",
        "partijIdentificator__codeSoortObjectId": "bsn", "partijIdentificator__objectId": bsn,
    }  # fmt: skip
    results = _get(client, "partijen", params, "Partij zoeken").get("results") or []
    return results[0] if results else None


@register_handler("openklant.klantcontact", label="Contactmoment in het klantcontactsysteem", is_configured=_configured)
def deliver_klantcontact(message: OutboxMessage) -> None:
    from openinburgering.clients.models import ClientFile

    if message.progress.get("klantcontact"):
        return
    connection = connection_for(message.gemeente_id, System.KLANTINTERACTIES)
    if connection is None or message.client_file_id is None:
        raise DeliveryError("Contactmoment: geen koppeling met het klantcontactsysteem (meer).")
    client_file = ClientFile.objects.select_related("person").get(pk=message.client_file_id)
    ours = {"codeRegister": REGISTER, "codeObjecttype": "contactmoment", "codeSoortObjectId": "sleutel",
            "objectId": message.key}  # fmt: skip
    with client_for(connection) as client:
        found = _get(client, "klantcontacten", {
            "onderwerpobject__onderwerpobjectidentificatorCodeRegister": REGISTER,
            "onderwerpobject__onderwerpobjectidentificatorObjectId": message.key,
        }, "Contactmoment zoeken").get("results") or []  # fmt: skip
        if found:
            remember(message, klantcontact=found[0].get("uuid"), found=True)
            return
        partij = find_partij(client, client_file.person.bsn)
        payload = message.payload
        betrokkene: dict[str, Any] = {"rol": "klant", "initiator": bool(payload.get("from_client"))}
        if partij is not None:
            betrokkene["wasPartij"] = {"uuid": partij["uuid"]}
        body = {
            "klantcontact": {
                "kanaal": payload["kanaal"], "onderwerp": payload["onderwerp"], "taal": "nld", "vertrouwelijk": True,
                "indicatieContactGelukt": True, "plaatsgevondenOp": payload["plaatsgevondenOp"],
            },
            "betrokkene": betrokkene,
            "onderwerpobject": {"onderwerpobjectidentificator": ours},
        }  # fmt: skip
        created = _post(client, "maak-klantcontact", body, "Contactmoment vastleggen")
    klantcontact = (created.get("klantcontact") or {}).get("uuid")
    remember(message, klantcontact=klantcontact, partij=partij["uuid"] if partij else "")  # notificaties_in
    with transaction.atomic():
        record_event(
            event_type="klantcontact_registered", purpose=PURPOSE_KCC, client_file=client_file,
            subject_type="klantcontact", subject_id=str(klantcontact or ""), via="job",
            changes={"kanaal": {"old": None, "new": payload["kanaal"]}, "partij": {"old": None, "new": bool(partij)}},
        )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Digital addresses


def enqueue_digital_address(*, client_file: ClientFile, soort: str, adres: str) -> OutboxMessage | None:
    """Call inside the transaction that changed the person's e-mail or phone (``soort``: email or phone)."""
    if soort not in SOORTEN or not adres:
        return None
    return enqueue_outgoing(
        kind="openklant.digitaal_adres",
        key=f"openklant.digitaal_adres:{client_file.person_id}:{SOORTEN[soort]}:{adres}"[:200],
        payload={"soort": SOORTEN[soort], "adres": adres[:80]}, gemeente=client_file.gemeente,
        client_file=client_file,
    )  # fmt: skip


def _addresses(client: APIClient, partij_uuid: str) -> list[dict[str, Any]]:
    data = _get(client, "digitaleadressen", {"verstrektDoorPartij__uuid": partij_uuid}, "Digitale adressen lezen")
    return [item for item in data.get("results") or [] if isinstance(item, dict)]


@register_handler(
    "openklant.digitaal_adres", label="Digitaal adres in het klantcontactsysteem", is_configured=_configured
)
def deliver_digital_address(message: OutboxMessage) -> None:
    from openinburgering.clients.models import ClientFile

    if message.progress.get("digitaal_adres") or message.progress.get("no_partij"):
        return
    connection = connection_for(message.gemeente_id, System.KLANTINTERACTIES)
    if connection is None or message.client_file_id is None:
        raise DeliveryError("Digitaal adres: geen koppeling met het klantcontactsysteem (meer).")
    client_file = ClientFile.objects.select_related("person").get(pk=message.client_file_id)
    soort, adres = str(message.payload["soort"]), str(message.payload["adres"])
    with client_for(connection) as client:
        partij = find_partij(client, client_file.person.bsn)
        if partij is None:
            remember(message, no_partij=True)  # nothing to attach it to; the KCC creates Partijen
            return
        existing = [a for a in _addresses(client, partij["uuid"]) if a.get("soortDigitaalAdres") == soort]
        match = next((a for a in existing if str(a.get("adres", "")).lower() == adres.lower()), None)
        if match is None:
            body = {"verstrektDoorPartij": {"uuid": partij["uuid"]}, "adres": adres,
                    "soortDigitaalAdres": soort, "omschrijving": "Opgegeven bij inburgering", "referentie": REGISTER,
                    "isStandaardAdres": not existing}  # fmt: skip
            match = _post(client, "digitaleadressen", body, "Digitaal adres vastleggen")
    remember(message, digitaal_adres=match.get("uuid"), partij=partij["uuid"])  # the Partij: notificaties_in
    with transaction.atomic():
        record_event(
            event_type="digital_address_stored", purpose=PURPOSE_KCC, client_file=client_file,
            subject_type="digitaal_adres", subject_id=str(match.get("uuid") or ""), via="job",
            changes={"soortDigitaalAdres": {"old": None, "new": soort}},
        )  # fmt: skip


def read_digital_addresses(*, actor: Actor, client_file: ClientFile, via: str = "ui") -> list[dict[str, Any]]:
    """The person's digital addresses in the registry (asked by a user; the caller checked access to the file).
    Raises ApplicationError (Dutch) when not configured or not reachable. Audited as a read."""
    connection = connection_for(client_file.gemeente_id, System.KLANTINTERACTIES)
    if connection is None:
        raise ApplicationError("De gemeente heeft geen koppeling met een klantcontactsysteem ingesteld.")
    try:
        with client_for(connection) as client:
            partij = find_partij(client, client_file.person.bsn)
            rows = _addresses(client, partij["uuid"]) if partij else []
    except DeliveryError:
        raise ApplicationError(UNAVAILABLE) from None
    record_event(
        actor=actor, event_type="digital_address_read", purpose=PURPOSE_KCC, client_file=client_file,
        subject_type="digitaal_adres", changes={"count": {"old": None, "new": len(rows)}}, via=via,
    )  # fmt: skip
    return [
        {"soort": str(row.get("soortDigitaalAdres") or ""), "adres": str(row.get("adres") or ""),
         "omschrijving": str(row.get("omschrijving") or ""), "standaard": bool(row.get("isStandaardAdres"))}
        for row in rows
    ]  # fmt: skip


ADOPTABLE = {"email": "email", "telefoonnummer": "phone"}
"""Open Klant's soortDigitaalAdres → the Person field it can be taken over into."""


def adopt_digital_address(
    *, actor: Actor, client_file: ClientFile, soort: str, adres: str, via: str = "ui"
) -> ClientFile:
    """Takes an e-mail address or phone number the registry has for the person over into the file (the user asked:
    one live read, audited, then ``clients.services.update_person``, audited). Only an address the registry has now;
    the file's own checks apply (an invalid phone number is refused in Dutch). The caller opened the file's basis
    section for writing."""
    from openinburgering.clients.services import update_person

    field = ADOPTABLE.get(soort)
    if field is None:
        raise ApplicationError("Alleen een e-mailadres of telefoonnummer kunt u overnemen.")
    rows = read_digital_addresses(actor=actor, client_file=client_file, via=via)
    if not any(row["soort"] == soort and row["adres"] == adres for row in rows):
        raise ApplicationError("Dit adres staat niet (meer) in het klantcontactsysteem. Vernieuw de pagina.")
    with transaction.atomic():  # a savepoint: a refused change leaves the audited read in the caller's transaction
        update_person(actor=actor, client_file=client_file, data={field: adres}, via=via)
    client_file.person.refresh_from_db()
    return client_file
