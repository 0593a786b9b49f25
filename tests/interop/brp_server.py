"""A loopback Haal Centraal BRP Personen 2.7 server (POST /personen, RaadpleegMetBurgerservicenummer) serving the
official test persons (``data/brp-test-persons.json``, a subset of the personen-mock data) through the official
spec (``interop/specs/brp``). The test data is stored as the personen-mock stores it (dates as yyyymmdd, address
flat); ``to_api`` turns it into the API's shape the way the mock does, for the parts the tests use: name, birth,
sex, nationalities, address, gemeente, partners, children, death. The ``fields`` parameter is applied as the real
API does (only the asked paths, with the ``type`` of polymorphic objects). Like the RvIG gateway, it refuses a
request without the protocollering header ``x-doelbinding`` (403)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

from openinburgering.interop import brp

from .loopback import LoopbackServer, json_response, load_openapi

SPEC = Path(brp.__file__).with_name("specs") / "brp" / "brp-personen-openapi-2.7.0-resolved.json"
DATA = Path(__file__).with_name("data") / "brp-test-persons.json"
PREFIX = "/haalcentraal/api/brp"
PROBLEM = "application/problem+json"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")  # fmt: skip


def api_date(value: str | None) -> dict[str, Any] | None:
    if not value:
        return None
    year, month, day = int(value[:4]), int(value[4:6]), int(value[6:8])
    if year == 0:
        return {"type": "DatumOnbekend", "onbekend": True, "langFormaat": "onbekend"}
    if month == 0:
        return {"type": "JaarDatum", "jaar": year, "langFormaat": str(year)}
    if day == 0:
        return {"type": "JaarMaandDatum", "jaar": year, "maand": month, "langFormaat": f"{MONTHS[month - 1]} {year}"}
    return {
        "type": "Datum",
        "datum": f"{year:04d}-{month:02d}-{day:02d}",
        "langFormaat": f"{day} {MONTHS[month - 1]} {year}",
    }


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _nationality(stored: dict[str, Any]) -> dict[str, Any]:
    code = (stored.get("nationaliteit") or {}).get("code")
    kind = {"0000": "NationaliteitOnbekend", "0499": "Staatloos"}.get(code or "", "Nationaliteit")
    result: dict[str, Any] = {"type": kind, "redenOpname": stored.get("redenOpname")}
    if kind == "Nationaliteit":
        result["nationaliteit"] = stored.get("nationaliteit")
    return _drop_empty(result)


def _address(stored: dict[str, Any]) -> dict[str, Any] | None:
    if not stored:
        return None
    if stored.get("straat"):
        house = stored.get("huisnummer")
        return _drop_empty({
            "type": "Adres",
            "functieAdres": stored.get("functieAdres"),
            "datumVan": api_date(stored.get("datumAanvangAdreshouding")),
            "adresseerbaarObjectIdentificatie": stored.get("adresseerbaarObjectIdentificatie"),
            "nummeraanduidingIdentificatie": stored.get("nummeraanduidingIdentificatie"),
            "verblijfadres": _drop_empty({
                "officieleStraatnaam": stored.get("naamOpenbareRuimte") or stored.get("straat"),
                "korteStraatnaam": stored.get("straat"),
                "huisnummer": int(house) if house else None,
                "huisletter": stored.get("huisletter"),
                "huisnummertoevoeging": stored.get("huisnummertoevoeging"),
                "postcode": stored.get("postcode"),
                "woonplaats": stored.get("woonplaats"),
            }),
        })  # fmt: skip
    return {"type": "VerblijfplaatsOnbekend"}


def to_api(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored test person in the shape of the API's ``Persoon`` (the parts the tests use)."""
    name = stored.get("naam") or {}
    birth = stored.get("geboorte") or {}
    death = stored.get("overlijden") or {}
    return _drop_empty({
        "burgerservicenummer": stored.get("burgerservicenummer"),
        "geslacht": stored.get("geslacht"),
        "naam": _drop_empty({
            "voornamen": (name.get("voornamen") or "").strip(),
            "voorvoegsel": name.get("voorvoegsel"),
            "geslachtsnaam": name.get("geslachtsnaam"),
        }),
        "geboorte": _drop_empty({
            "datum": api_date(birth.get("datum")), "land": birth.get("land"), "plaats": birth.get("plaats"),
        }),
        "nationaliteiten": [_nationality(n) for n in stored.get("nationaliteiten") or []],
        "verblijfplaats": _address(stored.get("verblijfplaats") or {}),
        "gemeenteVanInschrijving": stored.get("gemeenteVanInschrijving"),
        "datumInschrijvingInGemeente": api_date(stored.get("datumInschrijvingInGemeente")),
        "partners": [_drop_empty({"burgerservicenummer": p.get("burgerservicenummer"), "geslacht": p.get("geslacht")})
                     for p in stored.get("partners") or []],
        "kinderen": [_drop_empty({"burgerservicenummer": k.get("burgerservicenummer")})
                     for k in stored.get("kinderen") or []],
        "overlijden": _drop_empty({"datum": api_date(death.get("datum")), "land": death.get("land")}) or None,
    })  # fmt: skip


def select_fields(value: Any, paths: list[tuple[str, ...]]) -> Any:
    """Only the asked paths (``fields``), keeping ``type`` of polymorphic objects next to what is kept."""
    if isinstance(value, list):
        items = [select_fields(item, paths) for item in value]
        return [item for item in items if item not in ({}, None)]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key, item in value.items():
        sub = [path[1:] for path in paths if path[0] == key]
        if not sub:
            continue
        if any(len(path) == 0 for path in sub):
            result[key] = item
        else:
            selected = select_fields(item, sub)
            if selected not in ({}, [], None):
                result[key] = selected
    if result and "type" in value:
        result["type"] = value["type"]
    return result


class BrpServer(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.persons = {p["burgerservicenummer"]: p for p in json.loads(DATA.read_text(encoding="utf-8"))}
        self.fail_with: int | None = None

    def start(self) -> None:
        super().start()
        spec = json.loads(SPEC.read_text(encoding="utf-8"))
        spec["servers"] = [{"url": f"{self.base_url}{PREFIX}"}]  # the loopback address instead of RvIG's
        self.openapi = load_openapi(spec)

    def problem(self, status: int, title: str, detail: str, **extra: Any) -> Response:
        body = {
            "type": "https://www.rfc-editor.org/rfc/rfc9110",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": f"{self.base_url}{PREFIX}/personen",
            "code": extra.pop("code", "error"),
            **extra,
        }
        return json_response(body, status=status, content_type=PROBLEM)

    @property
    def api_root(self) -> str:
        return f"{self.base_url}{PREFIX}/"

    def handle(self, request: Request) -> Response:
        if self.fail_with is not None:
            return self.problem(self.fail_with, "Service Unavailable", "De service is niet beschikbaar.")
        if not request.headers.get("x-doelbinding"):
            return self.problem(403, "U bent niet geautoriseerd voor deze operatie.", "Doelbinding ontbreekt.",
                           code="unauthorized")  # fmt: skip
        errors = self.request_errors(request)
        if errors:
            invalid = [{"name": "fields", "code": "invalid", "reason": "Waarde is niet geldig."}]
            return self.problem(
                400,
                "Een of meerdere parameters zijn niet correct.",
                "De vraag voldoet niet aan de API.",
                code="paramsValidation",
                invalidParams=invalid,
            )
        query = json.loads(request.get_data())
        paths = [tuple(field.split(".")) for field in query["fields"]]
        found = [to_api(self.persons[bsn]) for bsn in query["burgerservicenummer"] if bsn in self.persons]
        body = {"type": "RaadpleegMetBurgerservicenummer", "personen": [select_fields(p, paths) for p in found]}
        return json_response(body, content_type="application/json; charset=utf-8")
