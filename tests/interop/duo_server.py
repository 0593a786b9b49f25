"""A loopback DUO for the M2M tests: a TLS server on 127.0.0.1 that demands a client certificate (mutual TLS, as on
Diginetwerk), serving DUO's APIs under ``/v1`` and validating every request and every response against DUO's own
OpenAPI files (``interop/specs/duo``) with openapi-core. A request that does not fit is answered 400 and recorded in
``spec_errors``, as is a response that does not fit (then answered 500): ``assert server.spec_errors == []`` proves
both sides kept to the specification.

Test certificates come from trustme (a throwaway CA). ``issue_pkio_cert`` makes a certificate shaped like a
PKIoverheid one: the organisation's OIN in the subject ``serialNumber``.

The server keeps DUO's data per BSN (``pips``, ``termijnen``, ``plicht``, ``doelgroep``, ``lbt``,
``vrijstellingen``, ``ontheffingen``, ``uren``, ``resultaten`` for MAP and PVT) and applies two of DUO's PIP rules
from the README (A2 not with the onderwijsroute, B1 not with the Z-route) and three of its MAP/PVT rules (a current
PIP, not in the future, not before the termijn) as a 403 with ``Foutmelding``, plus any ``refuse[bsn]`` texts (rules
on data only DUO has, such as the vestiging date). ``fail_next`` answers that many requests 503;
``stop()`` makes it unreachable.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import ssl
import threading
from pathlib import Path
from typing import Any

import trustme
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from openinburgering.interop import duo

from .loopback import _describe, _FullContentTypeResponse

SPECS = Path(duo.__file__).with_name("specs") / "duo"
GEMEENTE_OIN = "00000001001589623000"  # shaped like a gemeente OIN (test value)
DUO_OIN = "00000001800866472000"  # shaped like DUO's OIN (test value)
ROUTES = (
    (re.compile(r"^/v1/personen/\d{9}/PIP$"), "PIP"),
    (re.compile(r"^/v1/personen/\d{9}/uren"), "GevolgdeUren"),
    (re.compile(r"^/v1/personen/\d{9}/inburgeringstermijn"), "Inburgeringstermijn"),
    (re.compile(r"^/v1/personen/\d{9}/(inburgeringsplicht|doelgroep)"), "Inburgeringsplicht"),
    (re.compile(r"^/v1/personen/\d{9}/lbt/"), "Leerbaarheidstoets"),
    (re.compile(r"^/v1/personen/\d{9}/vrijstellingen$"), "Vrijstelling"),
    (re.compile(r"^/v1/personen/\d{9}/ontheffingen$"), "Ontheffing"),
    (re.compile(r"^/v1/personen/\d{9}/(map|pvt|zroute)$"), "MAP-PVT-Zroute"),
)
_APIS: dict[str, tuple[OpenAPI, str]] = {}


def duo_api(name: str) -> tuple[OpenAPI, str]:
    """openapi-core for one of DUO's files, served under ``/v1`` (the spec has no servers; DUO's base is /v{major})."""
    if name not in _APIS:
        spec = yaml.safe_load((SPECS / name / "openapi.yml").read_text(encoding="utf-8"))
        spec["servers"] = [{"url": "/v1"}]
        _APIS[name] = (OpenAPI.from_dict(spec), str(spec["info"]["version"]))
    return _APIS[name]


def issue_pkio_cert(ca: trustme.CA, *, oin: str, organisation: str) -> tuple[bytes, bytes]:
    """A client certificate signed by the test CA with the OIN in the subject serialNumber (as PKIoverheid does).
    Returns (certificate PEM, private key PEM)."""
    key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = x509.load_pem_x509_certificate(ca.cert_pem.bytes())
    ca_key = serialization.load_pem_private_key(ca.private_key_pem.bytes(), password=None)
    now = dt.datetime.now(dt.UTC)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, oin),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation.lower().replace(' ', '-')}.test"),
    ])  # fmt: skip
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def server_context(ca: trustme.CA, client_ca: trustme.CA) -> ssl.SSLContext:
    """TLS for a loopback server: a certificate for 127.0.0.1 from ``ca``, client certificates required and
    checked against ``client_ca``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    client_ca.configure_trust(context)
    context.verify_mode = ssl.CERT_REQUIRED
    return context


class DuoServer:
    def __init__(self, *, ca: trustme.CA, client_ca: trustme.CA) -> None:
        self.context = server_context(ca, client_ca)
        self.port = 0
        self.spec_errors: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self.fail_next = 0
        self.gemeentecode = "0392"  # the gemeente whose PIPs arrive (Haarlem in the tests)
        self.pips: dict[str, dict[str, Any]] = {}
        self.pip_posts = 0
        self.refuse: dict[str, list[str]] = {}  # bsn -> DUO's foutteksten for what only DUO knows (e.g. vestiging)
        self.termijnen: dict[str, dict[str, Any]] = {}
        self.plicht: dict[str, dict[str, Any]] = {}
        self.doelgroep: dict[str, dict[str, Any]] = {}
        self.lbt: dict[str, list[dict[str, Any]]] = {}
        self.vrijstellingen: dict[str, list[dict[str, Any]]] = {}
        self.ontheffingen: dict[str, list[dict[str, Any]]] = {}
        self.uren: dict[str, dict[str, int]] = {}
        self.resultaten: dict[str, dict[str, dict[str, Any]]] = {}  # bsn -> "map"/"pvt" -> DUO's resource
        self.resultaat_puts = 0
        self._server: BaseWSGIServer | None = None

    @property
    def api_root(self) -> str:
        return f"https://127.0.0.1:{self.port}/v1/"

    def start(self) -> None:
        self._server = make_server("127.0.0.1", self.port, self.wsgi, threaded=True, ssl_context=self.context)
        self.port = self._server.server_port
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        body = request.get_data(cache=True)
        self.requests.append({
            "method": request.method, "path": request.path, "headers": dict(request.headers),
            "json": json.loads(body) if body else None, "client_cert": environ.get("SSL_CLIENT_CERT", ""),
        })  # fmt: skip
        name = next((api for pattern, api in ROUTES if pattern.match(request.path)), None)
        if name is None:
            self.spec_errors.append(f"{request.method} {request.path}: no DUO API has this path")
            return Response(status=404)(environ, start_response)
        api, version = duo_api(name)
        errors = [_describe(e) for e in api.unmarshal_request(WerkzeugOpenAPIRequest(request)).errors]
        if errors:
            self.spec_errors.append(f"request {request.method} {request.path}: {' | '.join(errors)}")
            response = Response(status=400)
        elif self.fail_next > 0:
            self.fail_next -= 1
            response = Response(status=503)
        else:
            response = self.handle(request, bsn=request.path.split("/")[3])
        response.headers["API-Version"] = version
        response.headers["berichtId"] = request.headers.get("berichtId", "")
        try:
            api.validate_response(WerkzeugOpenAPIRequest(request), _FullContentTypeResponse(response))
        except Exception as exc:  # every kind of spec failure is recorded for the test
            self.spec_errors.append(f"response {request.method} {request.path} -> {response.status_code}: "
                                    f"{_describe(exc)}")  # fmt: skip
            response = Response("response does not fit the specification", status=500)
        return response(environ, start_response)

    # --- DUO's side ----------------------------------------------------------------------------------------------
    def handle(self, request: Request, *, bsn: str) -> Response:
        path = request.path.removeprefix(f"/v1/personen/{bsn}/")
        if path == "PIP" and request.method == "POST":
            return self._post_pip(bsn, request.get_json())
        if request.method == "PUT" and path in ("map", "pvt"):
            return self._put_resultaat(bsn, path, request.get_json())
        if request.method == "GET" and path in ("map", "pvt"):
            return _json(self.resultaten[bsn][path]) if path in self.resultaten.get(bsn, {}) else Response(status=404)
        if request.method == "PUT" and path.startswith("uren/"):
            self.uren.setdefault(bsn, {})[path.removeprefix("uren/")] = int(request.get_json()["uren"])
            return Response(status=200)
        data: Any = {
            "PIP": self.pips.get(bsn),
            "inburgeringstermijn": self.termijnen.get(bsn),
            "inburgeringsplicht": self.plicht.get(bsn),
            "doelgroep": self.doelgroep.get(bsn),
            "lbt/resultaten": self.lbt.get(bsn),
            "vrijstellingen": self.vrijstellingen.get(bsn),
            "ontheffingen": self.ontheffingen.get(bsn),
        }.get(path)
        if data is None:
            return Response(status=404)
        return _json(data)

    def _post_pip(self, bsn: str, pip: dict[str, Any]) -> Response:
        self.pip_posts += 1
        fouten = list(self.refuse.get(bsn, []))
        if pip.get("niveau") == "A2" and pip["leerroute"] == "O":
            fouten.append("Niveau A2 mag niet in combinatie met de onderwijsroute worden aangeleverd.")
        if pip.get("niveau") == "B1" and pip["leerroute"] == "Z":
            fouten.append("Niveau B1 mag niet in combinatie met de Z-route worden aangeleverd.")
        if fouten:
            return _json([{"fouttekst": text} for text in fouten], status=403)
        self.pips[bsn] = {"gemeentecode": self.gemeentecode, "pip": pip}
        return Response(status=201)

    def _put_resultaat(self, bsn: str, kind: str, body: dict[str, Any]) -> Response:
        """DUO's MAP/PVT checks from its README that need DUO's own data (a PIP and its termijn, today), plus any
        ``refuse[bsn]`` texts. PUT replaces the whole resource."""
        self.resultaat_puts += 1
        field = "datumEindgesprekMap" if kind == "map" else "datumOndertekeningPvt"
        label = "datum eindgesprek MAP" if kind == "map" else "datum ondertekening PVT"
        fouten = list(self.refuse.get(bsn, []))
        termijn = self.termijnen.get(bsn)
        if bsn not in self.pips or termijn is None:
            fouten.append("Uw gemeente moet een actuele PIP hebben voor de inburgeringsplichtige")
        if field in body:
            day = dt.date.fromisoformat(body[field])
            if day > dt.date.today():
                fouten.append(f"De {label} mag niet in de toekomst liggen")
            if termijn is not None and day < dt.date.fromisoformat(termijn["startdatum"]):
                fouten.append(f"De {label} mag niet voor de startdatum van de inburgeringstermijn liggen")
        if fouten:
            return _json([{"fouttekst": text} for text in fouten], status=403)
        self.resultaten.setdefault(bsn, {})[kind] = body
        return Response(status=200)


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")
