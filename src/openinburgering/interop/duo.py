"""DUO M2M client (Wet inburgering 2021): the gemeente's side of DUO's REST APIs on Diginetwerk (Digikoppeling REST).

Specification: DUO's OpenAPI files in ``specs/duo`` (public repository ``duonl/gemeente-m2m-inburgering``, see
``specs/SOURCES.md``). What DUO requires and what this client does:

- **Mutual TLS with a PKIoverheid certificate** per gemeente. The certificate and its key live in
  django-simple-certmanager (``Service.client_certificate``), the CA bundle DUO's server certificate is checked
  against in ``Service.server_certificate``; zgw-consumers' ``build_client`` puts both on every request. Nothing
  secret is in the repository.
- **Headers** on every request: ``bron`` (the gemeente's OIN, 20 characters), ``doel`` (DUO's OIN) and
  ``berichtId`` (a new UUID per request, as the spec says; DUO echoes it). Both OINs are the connection's options
  ``oin`` and ``duo_oin``.
- **Timeouts**: the service's (default 10 s) on every call. **Retries** are not done here: outgoing registrations go
  through the outbox (``duo_handlers``), which retries with backoff and shows failures to the functioneel beheerder.
- **Errors**: DUO answers a business-rule refusal with 403 and a list of ``Foutmelding`` (``fouttekst``); that is
  :class:`DuoRefused` (retrying does not help). 5xx, 503, timeouts and connection errors are
  :class:`DuoUnavailable` (retry later). 404 is "not known at DUO" (None from the ``get_*`` methods). A 400 means our
  request did not fit the spec: :class:`DuoError`.
- The BSN is in DUO's URL paths (their design); the outgoing request log masks it (``request_log``).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import requests

from openinburgering.core.bsn import is_valid_bsn

from .connections import client_for, connection_for
from .models import GemeenteConnection, System

OIN = re.compile(r"^[0-9]{20}$")
LEERROUTE_CODES = {"b1": "B", "onderwijs": "O", "z": "Z"}
"""Our Leerroute values to DUO's ``Leerroute`` enum (B1-route, Onderwijsroute, Z-route)."""
UREN_KINDS = {
    "bredeintake_taallesknm": "uren/bredeintake/taallesknm",
    "participatieactiviteiten": "uren/participatieactiviteiten",
    "participatietaalles": "uren/participatietaalles",
}

RESULTAAT_KINDS = {"map": "datumEindgesprekMap", "pvt": "datumOndertekeningPvt"}
"""MAP, PVT en Z-route API: the path under ``personen/{bsn}/`` and the date field of ``ResultaatMap`` or
``ResultaatPvt``."""


class DuoError(Exception):
    """A DUO call failed. The text is Dutch and safe to show to the functioneel beheerder (no personal data)."""


class DuoUnavailable(DuoError):
    """DUO cannot be reached or answered 5xx/503: try again later."""


class DuoRefused(DuoError):
    """DUO refused the request on its business rules (HTTP 403 with ``Foutmelding``). ``foutteksten`` are DUO's own
    texts (they describe the rule, e.g. that a dagtekening lies before the vestiging)."""

    def __init__(self, foutteksten: list[str]) -> None:
        self.foutteksten = foutteksten
        text = "; ".join(foutteksten) if foutteksten else "geen reden gegeven"
        super().__init__(f"DUO weigert dit verzoek: {text}")


class NotConfigured(DuoError):
    pass


@dataclass(frozen=True)
class DuoTermijn:
    """DUO's inburgeringstermijn: ``startdatum`` inclusive, ``einddatum`` EXCLUSIVE (the first day after the
    termijn, see the rules' ``Termijn.duo_einddatum_on``)."""

    startdatum: date
    einddatum: date
    verlengingsgrondcode: str = ""


def connection_options_valid(connection: GemeenteConnection) -> bool:
    return bool(OIN.match(connection.option("oin")) and OIN.match(connection.option("duo_oin")))


def has_duo(gemeente: Any) -> bool:
    connection = connection_for(gemeente, System.DUO)
    return connection is not None and connection_options_valid(connection)


def _foutteksten(response: requests.Response) -> list[str]:
    try:
        body = response.json()
    except ValueError:
        return []
    items = body if isinstance(body, list) else [body]
    return [str(item["fouttekst"])[:200] for item in items if isinstance(item, dict) and item.get("fouttekst")]


class DuoClient:
    """One gemeente's DUO connection. Use as a context manager (it holds one HTTP session)."""

    def __init__(self, connection: GemeenteConnection) -> None:
        if not connection_options_valid(connection):
            raise NotConfigured(
                "De DUO-koppeling mist het OIN van de gemeente of van DUO (20 cijfers). Vul ze in bij Koppelingen."
            )
        self.connection = connection
        self.bron = connection.option("oin")
        self.doel = connection.option("duo_oin")
        self._client = client_for(connection)
        self.last_bericht_id = ""

    @classmethod
    def for_gemeente(cls, gemeente: Any) -> DuoClient:
        connection = connection_for(gemeente, System.DUO)
        if connection is None:
            raise NotConfigured("De gemeente heeft geen DUO-koppeling ingesteld.")
        return cls(connection)

    def __enter__(self) -> DuoClient:
        self._client.__enter__()  # type: ignore[no-untyped-call]  # ape_pie's context manager is untyped
        return self

    def __exit__(self, *exc: Any) -> None:
        self._client.__exit__(*exc)  # type: ignore[no-untyped-call]  # ape_pie's context manager is untyped

    # --- transport ------------------------------------------------------------------------------------------------
    def _request(self, method: str, path: str, *, body: Any = None, step: str) -> requests.Response:
        bericht_id = str(uuid.uuid4())
        self.last_bericht_id = bericht_id
        headers = {"bron": self.bron, "doel": self.doel, "berichtId": bericht_id, "Accept": "application/json"}
        try:
            response = self._client.request(method, path, json=body, headers=headers)
        except requests.Timeout:
            raise DuoUnavailable(f"{step}: DUO antwoordde niet op tijd.") from None
        except requests.exceptions.SSLError:
            raise DuoUnavailable(
                f"{step}: de beveiligde verbinding met DUO lukte niet (controleer het PKIoverheid-certificaat)."
            ) from None
        except requests.RequestException:
            raise DuoUnavailable(f"{step}: DUO is niet bereikbaar.") from None
        echoed = response.headers.get("berichtId")
        if echoed and echoed != bericht_id:
            raise DuoError(f"{step}: DUO antwoordde op een ander bericht (berichtId klopt niet).")
        status = response.status_code
        if status >= 500:
            raise DuoUnavailable(f"{step}: DUO gaf een fout (HTTP {status}). Het wordt later opnieuw geprobeerd.")
        if status == 403:
            teksten = _foutteksten(response)
            if teksten:
                raise DuoRefused(teksten)
            raise DuoError(f"{step}: DUO geeft geen toegang (HTTP 403). Controleer het certificaat en de OIN's.")
        if status == 401:
            raise DuoError(f"{step}: DUO herkent de gemeente niet (HTTP 401). Controleer het certificaat.")
        if status == 400:
            raise DuoError(f"{step}: DUO vindt het verzoek onjuist (HTTP 400).")
        return response

    def _get(self, path: str, *, step: str) -> Any | None:
        response = self._request("GET", path, step=step)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise DuoError(f"{step}: onverwacht antwoord van DUO (HTTP {response.status_code}).")
        try:
            return response.json()
        except ValueError:
            raise DuoError(f"{step}: DUO gaf geen geldige JSON.") from None

    @staticmethod
    def _person(bsn: str) -> str:
        if not is_valid_bsn(bsn):
            raise DuoError("Het BSN is ongeldig; er is niets naar DUO gestuurd.")
        return f"personen/{bsn}"

    # --- the operations -------------------------------------------------------------------------------------------
    def get_pip(self, bsn: str) -> dict[str, Any] | None:
        """The PIP DUO knows for the person (maybe of a previous gemeente): ``{gemeentecode, pip}``, or None."""
        data = self._get(f"{self._person(bsn)}/PIP", step="PIP opvragen")
        return data if isinstance(data, dict) else None

    def register_pip(self, bsn: str, pip: dict[str, Any]) -> None:
        """POST the PIP (``dagtekeningPip``, ``leerroute`` and the optional fields). DuoRefused on DUO's rules."""
        response = self._request("POST", f"{self._person(bsn)}/PIP", body=pip, step="PIP melden")
        if response.status_code not in (200, 201):
            raise DuoError(f"PIP melden: onverwacht antwoord van DUO (HTTP {response.status_code}).")

    def get_termijn(self, bsn: str) -> DuoTermijn | None:
        data = self._get(f"{self._person(bsn)}/inburgeringstermijn", step="Inburgeringstermijn opvragen")
        if not isinstance(data, dict):
            return None
        try:
            return DuoTermijn(
                startdatum=date.fromisoformat(data["startdatum"]),
                einddatum=date.fromisoformat(data["einddatum"]),
                verlengingsgrondcode=str(data.get("verlengingsgrondcode") or ""),
            )
        except (KeyError, TypeError, ValueError):
            raise DuoError("Inburgeringstermijn opvragen: DUO gaf een onvolledige termijn.") from None

    def put_uren(self, bsn: str, kind: str, uren: int) -> None:
        """The total (cumulative) hours of one kind (``UREN_KINDS``); PUT replaces DUO's value."""
        if kind not in UREN_KINDS:
            raise ValueError(f"Unknown DUO uren kind {kind!r}")
        if not 0 <= uren <= 9999:
            raise DuoError("Het aantal uren moet tussen 0 en 9999 liggen.")
        response = self._request(
            "PUT", f"{self._person(bsn)}/{UREN_KINDS[kind]}", body={"uren": uren}, step="Uren melden"
        )
        if response.status_code not in (200, 201, 204):
            raise DuoError(f"Uren melden: onverwacht antwoord van DUO (HTTP {response.status_code}).")

    def put_resultaat(self, bsn: str, kind: str, *, datum: date, verwijtbaar: bool | None = None) -> None:
        """``PUT /personen/{bsn}/map`` or ``/pvt`` (``RESULTAAT_KINDS``): the datum eindgesprek MAP or datum
        ondertekening PVT, with ``verwijtbaar`` ('Ja'/'Nee') only when given. PUT replaces DUO's whole resource, so
        sending it again is harmless and a later PUT corrects an earlier one."""
        if kind not in RESULTAAT_KINDS:
            raise ValueError(f"Unknown DUO resultaat kind {kind!r}")
        body: dict[str, str] = {RESULTAAT_KINDS[kind]: datum.isoformat()}
        if verwijtbaar is not None:
            body["verwijtbaar"] = "Ja" if verwijtbaar else "Nee"
        step = f"{kind.upper()} melden"
        response = self._request("PUT", f"{self._person(bsn)}/{kind}", body=body, step=step)
        if response.status_code not in (200, 201, 204):
            raise DuoError(f"{step}: onverwacht antwoord van DUO (HTTP {response.status_code}).")

    def get_uren(self, bsn: str) -> list[dict[str, Any]]:
        data = self._get(f"{self._person(bsn)}/uren", step="Uren opvragen")
        return [item for item in data or [] if isinstance(item, dict)]

    def get_inburgeringsplicht(self, bsn: str) -> dict[str, Any] | None:
        data = self._get(f"{self._person(bsn)}/inburgeringsplicht", step="Inburgeringsplicht opvragen")
        return data if isinstance(data, dict) else None

    def get_doelgroep(self, bsn: str) -> dict[str, Any] | None:
        data = self._get(f"{self._person(bsn)}/doelgroep", step="Doelgroep opvragen")
        return data if isinstance(data, dict) else None

    def get_lbt_resultaten(self, bsn: str) -> list[dict[str, Any]]:
        data = self._get(f"{self._person(bsn)}/lbt/resultaten", step="Leerbaarheidstoets opvragen")
        return [item for item in data or [] if isinstance(item, dict)]

    def get_vrijstellingen(self, bsn: str) -> list[dict[str, Any]]:
        data = self._get(f"{self._person(bsn)}/vrijstellingen", step="Vrijstellingen opvragen")
        return [item for item in data or [] if isinstance(item, dict)]

    def get_ontheffingen(self, bsn: str) -> list[dict[str, Any]]:
        data = self._get(f"{self._person(bsn)}/ontheffingen", step="Ontheffingen opvragen")
        return [item for item in data or [] if isinstance(item, dict)]
