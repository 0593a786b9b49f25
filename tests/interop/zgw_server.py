"""A loopback zaaksysteem: the operations of the Zaken 1.7, Documenten 1.7, Besluiten 1.1 and Notificaties 1.0
APIs that Open Inburgering uses, on one port under ``/zaken``, ``/documenten``, ``/besluiten`` and
``/notificaties``. Every request and every response is validated against the official OpenAPI files in
``interop/specs/zgw`` (the same files, unchanged; only ``servers`` is pointed at the loopback path). Requests
without a valid ZGW JWT (HS256, the configured client id and secret) are refused with 403, as Open Zaak does.

It stores what it receives in memory (``objects``), keyed by collection, so a test checks "exactly once" there.
``fail_after_acting``: the next creating request is carried out and then answered with a 500, as when the server
dies between acting and answering (the client must find the object back instead of creating it again).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jwt
import yaml
from openapi_core import OpenAPI
from werkzeug.wrappers import Request, Response

from openinburgering.interop import zgw

from .loopback import LoopbackServer, json_response, load_openapi

SPECS = Path(zgw.__file__).with_name("specs") / "zgw" / "standaard"
APIS = {
    "zaken": "zaken/zrc/1.7.x/1.7.0/openapi.yaml",
    "documenten": "documenten/drc/1.7.x/1.7.1/openapi.yaml",
    "besluiten": "besluiten/brc/1.1.0/openapi.yaml",
    "notificaties": "notificaties/nrc/1.0.1/openapi.yaml",
}
CLIENT_ID = "open-inburgering"
# Test-only; a gemeente's real secret lives in its Service row (database), never in the repository.
SECRET = "loopback-zgw-secret-of-at-least-32-bytes"
PAGINATED = {"zaken", "statussen", "rollen", "enkelvoudiginformatieobjecten", "besluiten"}


@cache
def spec_for(api: str) -> OpenAPI:
    path = (SPECS / APIS[api]).resolve()
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec["servers"] = [{"url": f"/{api}/api/v1"}]  # relative: matches the loopback on any port
    return load_openapi(spec, base_uri=path.as_uri())


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class ZgwServer(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.objects: dict[str, list[dict[str, Any]]] = {}
        self.notifications: list[dict[str, Any]] = []
        self.fail_after_acting = False
        self.unavailable = False

    def start(self) -> None:
        for api in APIS:  # parse the specs before the first request (a slow first answer would time out)
            spec_for(api)
        super().start()

    def api_root(self, api: str) -> str:
        return f"{self.base_url}/{api}/api/v1/"

    def api_of(self, request: Request) -> str:
        return request.path.strip("/").split("/", 1)[0]

    def openapi_for(self, request: Request) -> OpenAPI | None:
        api = self.api_of(request)
        return spec_for(api) if api in APIS else None

    def created(self, collection: str) -> list[dict[str, Any]]:
        return self.objects.get(collection, [])

    # --- helpers -------------------------------------------------------------------------------------------------
    def authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return False
        try:
            claims = jwt.decode(header[7:], SECRET, algorithms=["HS256"], options={"verify_iat": False})
        except jwt.PyJWTError:
            return False
        return bool(claims.get("client_id") == CLIENT_ID or claims.get("iss") == CLIENT_ID)

    def problem(self, status: int, title: str, **extra: Any) -> Response:
        body = {"type": "about:blank", "code": extra.pop("code", "error"), "title": title, "status": status,
                "detail": title, "instance": f"urn:uuid:{uuid.uuid4()}", **extra}  # fmt: skip
        return json_response(body, status=status, content_type="application/problem+json")

    def new_object(self, api: str, collection: str, body: dict[str, Any]) -> dict[str, Any]:
        ident = str(uuid.uuid4())
        obj = {**body, "url": f"{self.api_root(api)}{collection}/{ident}", "uuid": ident}
        return obj

    def listing(self, collection: str, request: Request) -> Any:
        items = [
            item for item in self.created(collection)
            if all(str(item.get(name, "")) == value for name, value in request.args.items() if name != "page")
        ]  # fmt: skip
        if collection in PAGINATED:
            return {"count": len(items), "next": None, "previous": None, "results": items}
        return items

    # --- the resources -------------------------------------------------------------------------------------------
    def complete(self, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
        """What the real API adds to a created object (read-only fields)."""
        if collection == "zaken":
            obj.update({
                "einddatum": None, "betalingsindicatieWeergave": "", "deelzaken": [], "eigenschappen": [],
                "rollen": [], "status": None, "zaakinformatieobjecten": [], "zaakobjecten": [], "resultaat": None,
            })  # fmt: skip
        elif collection == "statussen":
            for other in self.created("statussen"):
                if other["zaak"] == obj["zaak"]:
                    other["indicatieLaatstGezetteStatus"] = False
            obj.update({"indicatieLaatstGezetteStatus": True, "zaakinformatieobjecten": []})
            for zaak in self.created("zaken"):
                if zaak["url"] == obj["zaak"]:
                    zaak["status"] = obj["url"]
        elif collection == "rollen":
            obj.update({"omschrijving": "Inburgeraar", "omschrijvingGeneriek": "belanghebbende",
                        "registratiedatum": _now(), "statussen": []})  # fmt: skip
        elif collection == "zaakinformatieobjecten":
            obj.update({"aardRelatieWeergave": "Hoort bij, omgekeerd: kent", "registratiedatum": _now()})
        elif collection == "enkelvoudiginformatieobjecten":
            content = obj.pop("inhoud", "")
            obj.update({
                "inhoud": f"{obj['url']}/download", "versie": 1, "beginRegistratie": _now(), "locked": False,
                "bestandsdelen": [], "ontvangstdatum": None, "verzenddatum": None,
            })  # fmt: skip
            obj["_content"] = content
        elif collection == "besluiten":
            obj.setdefault("identificatie", str(uuid.uuid4()))
        return obj

    def public(self, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in obj.items() if not key.startswith("_")}

    def handle(self, request: Request) -> Response:
        api = self.api_of(request)
        if api not in APIS:
            return Response("not found", status=404)
        if self.unavailable:
            return self.problem(503, "Service niet beschikbaar.")
        if not self.authorised(request):
            return self.problem(403, "Authenticatiegegevens zijn niet geldig.", code="permission_denied")
        errors = self.request_errors(request)
        if errors:
            return self.problem(400, "Invalid input.", code="invalid",
                                invalidParams=[{"name": "nonFieldErrors", "code": "invalid", "reason": e[:200]}
                                               for e in errors])  # fmt: skip
        collection = request.path.rstrip("/").rsplit("/", 1)[-1]
        headers = {"API-version": "1.0.0"}
        if api == "zaken" and collection == "zaken":
            headers["Content-Crs"] = "EPSG:4326"
        if api == "notificaties" and request.method == "POST":
            self.notifications.append(json.loads(request.get_data()))
            return self._respond(json.loads(request.get_data()), 200, headers)
        if request.method == "GET":
            listing = self.listing(collection, request)
            if isinstance(listing, dict):
                listing["results"] = [self.public(collection, o) for o in listing["results"]]
            else:
                listing = [self.public(collection, o) for o in listing]
            return self._respond(listing, 200, headers)
        body = json.loads(request.get_data())
        obj = self.complete(collection, self.new_object(api, collection, body))
        self.objects.setdefault(collection, []).append(obj)
        if self.fail_after_acting:
            self.fail_after_acting = False
            return self.problem(500, "Interne serverfout.", code="error")
        answer = self.public(collection, obj)
        if collection == "enkelvoudiginformatieobjecten":
            answer["lock"] = ""  # the create answer (EnkelvoudigInformatieObjectCreateLockData) has the lock
        return self._respond(answer, 201, {**headers, "Location": obj["url"]})

    def _respond(self, data: Any, status: int, headers: dict[str, str]) -> Response:
        response = json_response(data, status=status)
        for name, value in headers.items():
            response.headers[name] = value
        return response


# --- configuring a gemeente for this server (as the functioneel beheerder would) ----------------------------------

CATALOGI = "https://catalogi.haarlem.example/catalogi/api/v1"
ZAAKTYPE = f"{CATALOGI}/zaaktypen/0119dd4e-7be9-477e-bccf-75023b1453c1"
STATUSTYPEN = {status: f"{CATALOGI}/statustypen/{status}" for status in ("aangemeld", "intake", "pip", "in_traject")}
BESLUITTYPEN = {"pip": f"{CATALOGI}/besluittypen/pip", "boete": f"{CATALOGI}/besluittypen/boete"}
INFORMATIEOBJECTTYPE = f"{CATALOGI}/informatieobjecttypen/brief"
ROLTYPE = f"{CATALOGI}/roltypen/inburgeraar"
RSIN = "001005650"


def connect_zgw(gemeente: Any, server: ZgwServer, *, notifications: bool = True) -> None:
    """The gemeente's zaaksysteem as the functioneel beheerder configures it: a zgw-consumers Service per API
    (ZGW JWT with client id and secret) and the mapping in the Zaken connection's options."""
    from zgw_consumers.constants import APITypes, AuthTypes
    from zgw_consumers.models import Service

    from openinburgering.interop.models import GemeenteConnection

    apis = {"zaken": APITypes.zrc, "documenten": APITypes.drc, "besluiten": APITypes.brc}
    if notifications:
        apis["notificaties"] = APITypes.nrc
    for system, api_type in apis.items():
        service = Service.objects.create(
            label=f"{gemeente.code} {system}", slug=f"{gemeente.code.lower()}-{system}", api_type=api_type,
            api_root=server.api_root(system), auth_type=AuthTypes.zgw, client_id=CLIENT_ID, secret=SECRET, timeout=5,
        )  # fmt: skip
        options: dict[str, Any] = {}
        if system == "zaken":
            options = {
                "rsin": RSIN, "zaaktype": ZAAKTYPE, "roltype": ROLTYPE, "statustypen": STATUSTYPEN,
                "besluittypen": BESLUITTYPEN, "informatieobjecttype": INFORMATIEOBJECTTYPE,
            }  # fmt: skip
        if system == "notificaties":
            options = {"public_url": "https://inburgering.haarlem.example", "callback_auth": "Token abc123"}
        GemeenteConnection.objects.create(gemeente=gemeente, system=system, service=service, options=options)
