"""The client file as a Zaak in the gemeente's zaaksysteem (ZGW APIs: Zaken 1.x, Documenten 1.x, Besluiten 1.x).

What is published, each through the outbox (``publish.py`` enqueues in the transaction of the change):

- ``zgw.zaak`` (key ``zgw.zaak:<file>``): the Zaak of the file (``identificatie`` ``OI-<file id>``, the configured
  zaaktype, bronorganisatie and verantwoordelijke organisatie the gemeente's RSIN), and, when a roltype is
  configured, the person as Rol ``natuurlijk_persoon`` with the BSN.
- ``zgw.status`` (key ``zgw.status:<status change>``): each status change of the file as a Status of the
  statustype mapped to the file status (a status without a mapped statustype is not published: the gemeente
  chose not to track it in the zaaksysteem).
- ``zgw.document`` (key ``zgw.document:<letter>``): each letter as an EnkelvoudigInformatieObject (the PDF as
  ``inhoud``) related to the Zaak (ZaakInformatieObject).
- ``zgw.besluit`` (key ``zgw.besluit:<kind>:<id>``): each beschikking (PIP vastgesteld, boete opgelegd) as a
  Besluit of the mapped besluittype on the Zaak, with its letter as BesluitInformatieObject.

At-most-once: every step first looks the object up by a stable identifier (the Zaak and document
``identificatie``, the Besluit ``identificatie``, the Status by zaak + statustype + ``datumStatusGezet``, the
relations by their two ends), then creates it, then ``remember``s the URL. A handler that needs the Zaak (or a
besluit that needs its document) waits, retried with the outbox's backoff, until the message that creates it was
sent: so the Zaak is never created twice by two workers at once.

The mapping lives in the Zaken connection's ``options`` (see ``ZGW_OPTIONS``), set by the functioneel beheerder.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import requests
from ape_pie import APIClient
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .connections import client_for, connection_for, has_zgw
from .models import GemeenteConnection, OutboxMessage, OutboxState, System
from .outbox import DeliveryError, NotConfigured, register_handler, remember

if TYPE_CHECKING:
    from openinburgering.accounts.models import Gemeente

CRS_HEADERS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
"""The Zaken API requires these on /zaken (zaakgeometrie); we send no geometry."""

ZGW_OPTIONS = {
    "rsin": "RSIN van de gemeente (bronorganisatie en verantwoordelijke organisatie), 9 cijfers",
    "zaaktype": "URL van het zaaktype Inburgering in de Catalogi API",
    "roltype": "URL van het roltype voor de inburgeraar (leeg: geen rol met BSN)",
    "informatieobjecttype": "URL van het informatieobjecttype voor brieven",
    "statustypen": "per dossierstatus de URL van het statustype",
    "besluittypen": "per soort besluit (pip, boete) de URL van het besluittype",
}
ZAAK_OMSCHRIJVING = "Inburgering (Wet inburgering 2021)"


def zaak_identificatie(client_file_id: int) -> str:
    return f"OI-{client_file_id}"


def document_identificatie(letter_id: int) -> str:
    return f"OI-BRIEF-{letter_id}"


@dataclass(frozen=True)
class ZgwSetup:
    zaken: GemeenteConnection
    documenten: GemeenteConnection
    besluiten: GemeenteConnection

    def option(self, name: str) -> str:
        return self.zaken.option(name)

    def mapping(self, name: str) -> dict[str, str]:
        value = self.zaken.options.get(name) or {}
        return {str(k): str(v) for k, v in value.items() if v} if isinstance(value, dict) else {}

    @property
    def rsin(self) -> str:
        return self.option("rsin")


def is_configured(gemeente: Gemeente) -> bool:
    """Zaken, Documenten and Besluiten connected and a zaaktype and RSIN set."""
    if not has_zgw(gemeente):
        return False
    connection = connection_for(gemeente, System.ZAKEN)
    return connection is not None and bool(connection.option("zaaktype") and connection.option("rsin"))


def setup_for(gemeente_id: int) -> ZgwSetup:
    connections = {system: connection_for(gemeente_id, system) for system in (System.ZAKEN, System.DOCUMENTEN,
                                                                             System.BESLUITEN)}  # fmt: skip
    zaken, documenten, besluiten = (connections[s] for s in (System.ZAKEN, System.DOCUMENTEN, System.BESLUITEN))
    if zaken is None or documenten is None or besluiten is None:
        raise NotConfigured("De koppeling met het zaaksysteem is niet (meer) ingesteld.")
    setup = ZgwSetup(zaken=zaken, documenten=documenten, besluiten=besluiten)
    if not setup.option("zaaktype") or not setup.rsin:
        raise NotConfigured("Het zaaktype of het RSIN van de gemeente is niet ingesteld.")
    return setup


# --- HTTP ----------------------------------------------------------------------------------------------------------


def call(
    client: APIClient,
    method: str,
    path: str,
    *,
    step: str,
    expected: tuple[int, ...] = (200,),
    **kwargs: Any,
) -> Any:
    """One call; a failure raises DeliveryError naming the step and the HTTP status (never what was sent)."""
    try:
        response = client.request(method, path, **kwargs)
    except requests.RequestException:
        raise DeliveryError(f"{step}: het andere systeem is niet bereikbaar.") from None
    if response.status_code not in expected:
        raise DeliveryError(f"{step}: HTTP {response.status_code}.")
    try:
        return response.json()
    except ValueError:
        raise DeliveryError(f"{step}: het antwoord is geen JSON.") from None


def results(data: Any) -> list[dict[str, Any]]:
    """A list response: paginated (``results``) or a plain list, depending on the API and version."""
    items = data.get("results") if isinstance(data, dict) else data
    return [item for item in items or [] if isinstance(item, dict)]


def find_or_create(
    client: APIClient,
    collection: str,
    *,
    query: dict[str, str],
    body: dict[str, Any],
    step: str,
    match: Callable[[dict[str, Any]], bool] | None = None,
    headers: dict[str, str] | None = None,
) -> str:
    """The URL of the object found by ``query`` (and ``match``), or of the one created from ``body``."""
    found = call(client, "GET", collection, params=query, headers=headers, step=f"{step} (zoeken)")
    for item in results(found):
        if match is None or match(item):
            return str(item["url"])
    created = call(client, "POST", collection, json=body, headers=headers, expected=(201,), step=step)
    return str(created["url"])


# --- what other handlers wait for ----------------------------------------------------------------------------------


def _sent_progress(key: str, field: str, waiting: str) -> str:
    row = OutboxMessage.objects.filter(key=key).values("state", "progress").first()
    if row is None or row["state"] != OutboxState.SENT or not (row["progress"] or {}).get(field):
        raise DeliveryError(waiting)
    return str(row["progress"][field])


def zaak_url(client_file_id: int) -> str:
    return _sent_progress(
        f"zgw.zaak:{client_file_id}", "zaak", "Wacht op de zaak: die is nog niet aangemaakt in het zaaksysteem."
    )


def document_url(letter_id: int) -> str:
    return _sent_progress(f"zgw.document:{letter_id}", "document", "Wacht op het document: dat is nog niet opgeslagen.")


# --- handlers ------------------------------------------------------------------------------------------------------


@register_handler("zgw.zaak", label="Zaak in het zaaksysteem", is_configured=is_configured)
def deliver_zaak(message: OutboxMessage) -> None:
    from openinburgering.clients.models import ClientFile

    setup = setup_for(message.gemeente_id)
    client_file = ClientFile.objects.select_related("person").get(pk=message.payload["client_file_id"])
    with client_for(setup.zaken) as client:
        if "zaak" not in message.progress:
            identificatie = zaak_identificatie(client_file.pk)
            url = find_or_create(
                client, "zaken", step="Zaak aanmaken", headers=CRS_HEADERS,
                query={"identificatie": identificatie, "bronorganisatie": setup.rsin},
                body={
                    "identificatie": identificatie, "bronorganisatie": setup.rsin,
                    "verantwoordelijkeOrganisatie": setup.rsin, "zaaktype": setup.option("zaaktype"),
                    "omschrijving": ZAAK_OMSCHRIJVING, "startdatum": client_file.opened_on.isoformat(),
                    "registratiedatum": client_file.opened_on.isoformat(),
                    "vertrouwelijkheidaanduiding": "vertrouwelijk",
                },
            )  # fmt: skip
            remember(message, zaak=url)
        roltype = setup.option("roltype")
        if roltype and "rol" not in message.progress and client_file.person.bsn:
            url = find_or_create(
                client, "rollen", step="Rol van de inburgeraar vastleggen",
                query={"zaak": message.progress["zaak"], "roltype": roltype},
                body={
                    "zaak": message.progress["zaak"], "betrokkeneType": "natuurlijk_persoon", "roltype": roltype,
                    "roltoelichting": "Inburgeringsplichtige",
                    "betrokkeneIdentificatie": {"inpBsn": client_file.person.bsn},
                },
            )  # fmt: skip
            remember(message, rol=url)


def _same_moment(value: Any, moment: datetime) -> bool:
    parsed = parse_datetime(str(value or ""))
    return parsed is not None and parsed == moment


@register_handler("zgw.status", label="Status van de zaak", is_configured=is_configured)
def deliver_status(message: OutboxMessage) -> None:
    setup = setup_for(message.gemeente_id)
    statustype = setup.mapping("statustypen").get(message.payload["status"], "")
    if not statustype:
        remember(message, skipped="geen statustype voor deze status")
        return
    zaak = zaak_url(message.payload["client_file_id"])
    moment = parse_datetime(message.payload["changed_at"])
    if moment is None:  # pragma: no cover - written by publish.status_changed
        raise DeliveryError("Status: ongeldig tijdstip in het bericht.")
    with client_for(setup.zaken) as client:
        if "status" not in message.progress:
            url = find_or_create(
                client, "statussen", step="Status zetten",
                query={"zaak": zaak, "statustype": statustype},
                match=lambda item: _same_moment(item.get("datumStatusGezet"), moment),
                body={
                    "zaak": zaak, "statustype": statustype, "datumStatusGezet": moment.isoformat(),
                    "statustoelichting": message.payload.get("label", "")[:1000],
                },
            )  # fmt: skip
            remember(message, status=url)


@register_handler("zgw.document", label="Brief als document van de zaak", is_configured=is_configured)
def deliver_document(message: OutboxMessage) -> None:
    from openinburgering.letters.models import Letter

    setup = setup_for(message.gemeente_id)
    informatieobjecttype = setup.option("informatieobjecttype")
    if not informatieobjecttype:
        raise NotConfigured("Het informatieobjecttype voor brieven is niet ingesteld.")
    letter = Letter.objects.get(pk=message.payload["letter_id"])
    zaak = zaak_url(letter.client_file_id)
    if "document" not in message.progress:
        identificatie = document_identificatie(letter.pk)
        with client_for(setup.documenten) as client:
            url = find_or_create(
                client, "enkelvoudiginformatieobjecten", step="Document opslaan",
                query={"identificatie": identificatie, "bronorganisatie": setup.rsin},
                body={
                    "identificatie": identificatie, "bronorganisatie": setup.rsin,
                    "creatiedatum": timezone.localdate(letter.created_at).isoformat(), "titel": letter.title[:200],
                    "vertrouwelijkheidaanduiding": "vertrouwelijk", "auteur": "Open Inburgering", "taal": "dut",
                    "formaat": "application/pdf", "bestandsnaam": letter.filename, "bestandsomvang": letter.size,
                    "inhoud": base64.b64encode(bytes(letter.content)).decode("ascii"),
                    "informatieobjecttype": informatieobjecttype, "indicatieGebruiksrecht": False,
                },
            )  # fmt: skip
        remember(message, document=url)
    if "zaakinformatieobject" not in message.progress:
        with client_for(setup.zaken) as client:
            url = find_or_create(
                client, "zaakinformatieobjecten", step="Document aan de zaak koppelen",
                query={"zaak": zaak, "informatieobject": message.progress["document"]},
                body={"zaak": zaak, "informatieobject": message.progress["document"], "titel": letter.title[:200]},
            )  # fmt: skip
        remember(message, zaakinformatieobject=url)


@register_handler("zgw.besluit", label="Besluit (beschikking) bij de zaak", is_configured=is_configured)
def deliver_besluit(message: OutboxMessage) -> None:
    setup = setup_for(message.gemeente_id)
    payload = message.payload
    besluittype = setup.mapping("besluittypen").get(payload["besluit"], "")
    if not besluittype:
        raise NotConfigured(f"Er is geen besluittype ingesteld voor '{payload['besluit']}'.")
    zaak = zaak_url(payload["client_file_id"])
    document = document_url(payload["letter_id"])
    with client_for(setup.besluiten) as client:
        if "besluit" not in message.progress:
            url = find_or_create(
                client, "besluiten", step="Besluit vastleggen",
                query={"identificatie": payload["identificatie"], "verantwoordelijkeOrganisatie": setup.rsin},
                body={
                    "identificatie": payload["identificatie"], "verantwoordelijkeOrganisatie": setup.rsin,
                    "besluittype": besluittype, "zaak": zaak, "datum": payload["datum"],
                    "ingangsdatum": payload["ingangsdatum"], "toelichting": payload.get("toelichting", "")[:1000],
                },
            )  # fmt: skip
            remember(message, besluit=url)
        if "besluitinformatieobject" not in message.progress:
            url = find_or_create(
                client, "besluitinformatieobjecten", step="Document aan het besluit koppelen",
                query={"besluit": message.progress["besluit"], "informatieobject": document},
                body={"besluit": message.progress["besluit"], "informatieobject": document},
            )  # fmt: skip
            remember(message, besluitinformatieobject=url)
