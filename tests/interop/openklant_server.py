"""A loopback Open Klant 2 Klantinteracties API 0.9.0 (the operations the koppeling uses: partijen by
partijIdentificator, klantcontacten by onderwerpobject, maak-klantcontact, digitaleadressen), validating every request
and response against the official spec (``interop/specs/openklant``). It requires the API token
(``Authorization: Token ...``) as Open Klant does; ``fail_with`` answers every call with that status."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import yaml
from werkzeug.wrappers import Request, Response

from openinburgering.interop import klantinteracties

from .loopback import LoopbackServer, json_response, load_openapi

SPEC = Path(klantinteracties.__file__).with_name("specs") / "openklant" / "klantinteracties-0.9.0-openapi.yaml"
PREFIX = "/klantinteracties/api/v1"
TOKEN = "Token test-openklant"


def _page(results: list[dict[str, Any]]) -> Response:
    return json_response({"count": len(results), "next": None, "previous": None, "results": results})


class OpenKlantServer(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.partijen: list[dict[str, Any]] = []
        self.klantcontacten: list[dict[str, Any]] = []
        self.digitaleadressen: list[dict[str, Any]] = []
        self.fail_with: int | None = None

    @property
    def api_root(self) -> str:
        return f"{self.base_url}{PREFIX}/"

    def start(self) -> None:
        super().start()
        spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
        spec["servers"] = [{"url": f"{self.base_url}{PREFIX}"}]
        self.openapi = load_openapi(spec)

    def url(self, kind: str, key: str) -> str:
        return f"{self.base_url}{PREFIX}/{kind}/{key}"

    def add_persoon(self, bsn: str) -> dict[str, Any]:
        key = str(uuid.uuid4())
        partij = {
            "uuid": key, "url": self.url("partijen", key), "soortPartij": "persoon", "indicatieActief": True,
            "betrokkenen": [], "categorieRelaties": [], "vertegenwoordigden": [],
            "partijIdentificatoren": [],
            "_bsn": bsn,  # the loopback's own index, removed from answers
        }  # fmt: skip
        self.partijen.append(partij)
        return partij

    def add_digitaal_adres(self, partij: dict[str, Any], soort: str, adres: str, omschrijving: str = "") -> None:
        """An address the KCC entered for the Partij (as a POST would store it)."""
        key = str(uuid.uuid4())
        self.digitaleadressen.append({
            "uuid": key, "url": self.url("digitaleadressen", key), "adres": adres, "soortDigitaalAdres": soort,
            "omschrijving": omschrijving, "isStandaardAdres": True, "referentie": "kcc", "_partij": partij["uuid"],
        })  # fmt: skip

    def handle(self, request: Request) -> Response:
        if request.headers.get("Authorization") != TOKEN:
            return json_response({"detail": "Authenticatiegegevens zijn niet opgegeven."}, status=401)
        if self.fail_with is not None:
            return json_response({"detail": "Niet beschikbaar."}, status=self.fail_with)
        errors = self.request_errors(request)
        if errors:
            self.spec_errors.append(f"request {request.method} {request.path}: {errors}")
            return json_response({"detail": "Ongeldig verzoek."}, status=400)
        path = request.path.removeprefix(PREFIX)
        args = request.args
        if path == "/partijen" and request.method == "GET":
            found = [p for p in self.partijen if p["_bsn"] == args.get("partijIdentificator__objectId")
                     and args.get("partijIdentificator__codeSoortObjectId") == "bsn"]  # fmt: skip
            return _page([{k: v for k, v in p.items() if k != "_bsn"} for p in found])
        if path == "/klantcontacten" and request.method == "GET":
            wanted = args.get("onderwerpobject__onderwerpobjectidentificatorObjectId")
            found = [c for c in self.klantcontacten if wanted and c["_objectId"] == wanted]
            return _page([{k: v for k, v in c.items() if not k.startswith("_")} for c in found])
        if path == "/maak-klantcontact" and request.method == "POST":
            return self._maak(request.get_json())
        if path == "/digitaleadressen" and request.method == "GET":
            owner = args.get("verstrektDoorPartij__uuid")
            return _page([{k: v for k, v in a.items() if not k.startswith("_")} for a in self.digitaleadressen
                          if a["_partij"] == owner])  # fmt: skip
        if path == "/digitaleadressen" and request.method == "POST":
            body = request.get_json()
            key = str(uuid.uuid4())
            adres = {
                "uuid": key, "url": self.url("digitaleadressen", key), "adres": body["adres"],
                "soortDigitaalAdres": body["soortDigitaalAdres"], "omschrijving": body.get("omschrijving", ""),
                "isStandaardAdres": bool(body.get("isStandaardAdres")), "referentie": body.get("referentie", ""),
                "_partij": (body.get("verstrektDoorPartij") or {}).get("uuid"),
            }  # fmt: skip
            self.digitaleadressen.append(adres)
            return json_response({k: v for k, v in adres.items() if not k.startswith("_")}, status=201)
        return json_response({"detail": "Niet gevonden."}, status=404)

    def _maak(self, body: dict[str, Any]) -> Response:
        contact_key, betrokkene_key, onderwerp_key = (str(uuid.uuid4()) for _ in range(3))
        contact_ref = {"uuid": contact_key, "url": self.url("klantcontacten", contact_key)}
        klantcontact = {
            **body["klantcontact"], **contact_ref, "gingOverOnderwerpobjecten": [
                {"uuid": onderwerp_key, "url": self.url("onderwerpobjecten", onderwerp_key)}],
            "hadBetrokkenActoren": [], "hadBetrokkenen": [
                {"uuid": betrokkene_key, "url": self.url("betrokkenen", betrokkene_key)}],
            "leiddeTotInterneTaken": [], "omvatteBijlagen": [],
        }  # fmt: skip
        betrokkene = {
            **body.get("betrokkene", {}), "uuid": betrokkene_key, "url": self.url("betrokkenen", betrokkene_key),
            "hadKlantcontact": contact_ref, "digitaleAdressen": [], "volledigeNaam": "",
        }  # fmt: skip
        if betrokkene.get("wasPartij"):
            partij_key = betrokkene["wasPartij"]["uuid"]
            betrokkene["wasPartij"] = {"uuid": partij_key, "url": self.url("partijen", partij_key)}
        onderwerpobject = {
            **body.get("onderwerpobject", {}), "uuid": onderwerp_key,
            "url": self.url("onderwerpobjecten", onderwerp_key),
            "klantcontact": contact_ref,
        }  # fmt: skip
        self.klantcontacten.append({
            **klantcontact,
            "_objectId": (body.get("onderwerpobject") or {}).get("onderwerpobjectidentificator", {}).get("objectId"),
            "_betrokkene": betrokkene,
        })  # fmt: skip
        answer = {"klantcontact": klantcontact, "betrokkene": betrokkene, "onderwerpobject": onderwerpobject}
        return json_response(answer, status=201)
