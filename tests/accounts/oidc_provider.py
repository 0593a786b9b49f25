"""A real OpenID Connect provider on loopback for the single sign-on tests (#12 item 3): pyop (the OP library of
SATOSA) behind a small WSGI server in a thread, over https with a certificate made for the run (OpenID Connect
requires an https issuer; the tests point REQUESTS_CA_BUNDLE at the certificate). It signs ID tokens with its own
RSA key and publishes it at its JWKS endpoint, so the app under test validates real signatures; nothing of the
client code is mocked.

There is no login screen: the test says who is logged in at the provider (`provider.log_in_as(...)`), and the
authorization endpoint answers at once with a code, as a provider would after its own login.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from Cryptodome.PublicKey import RSA
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwkest.jwk import RSAKey
from pyop.authz_state import AuthorizationState
from pyop.exceptions import InvalidAuthenticationRequest, OAuthError
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo
from pyop.util import should_fragment_encode

CLIENT_ID = "open-inburgering"
CLIENT_SECRET = "loopback-test-secret-1234567890"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@dataclass
class LoopbackProvider:
    base_url: str
    ca_file: str = ""
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    current_user: str = ""
    extra_claims: dict[str, Any] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    provider: Provider | None = None

    @property
    def issuer(self) -> str:
        return self.base_url

    @property
    def discovery_url(self) -> str:
        return f"{self.base_url}/.well-known/openid-configuration"

    def log_in_as(self, user_id: str, claims: dict[str, Any]) -> None:
        """The person who is logged in at the provider, with the claims it releases about them."""
        self.users[user_id] = {key: value for key, value in claims.items() if key != "roles"}
        self.extra_claims = {"roles": claims["roles"]} if "roles" in claims else {}
        self.current_user = user_id

    def allow_redirect_uri(self, uri: str) -> None:
        assert self.provider is not None
        self.provider.clients[CLIENT_ID]["redirect_uris"] = [uri]

    # -- the WSGI app ------------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        assert self.provider is not None
        path = environ["PATH_INFO"]
        self.requests.append(path)
        headers = {
            key[5:].replace("_", "-").title(): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        body = b""
        if environ.get("CONTENT_LENGTH"):
            body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        try:
            if path == "/.well-known/openid-configuration":
                return _json(start_response, self.provider.provider_configuration.to_dict())
            if path == "/jwks":
                return _json(start_response, self.provider.jwks)
            if path == "/authorize":
                request = self.provider.parse_authentication_request(environ.get("QUERY_STRING", ""))
                response = self.provider.authorize(request, self.current_user, extra_id_token_claims=self.extra_claims)
                location = response.request(request["redirect_uri"], should_fragment_encode(request))
                start_response("302 Found", [("Location", location)])
                return [b""]
            if path == "/token":
                answer = self.provider.handle_token_request(
                    body.decode(), headers, extra_id_token_claims=lambda _u, _c: self.extra_claims
                )
                return _json(start_response, answer.to_dict())
            if path == "/userinfo":
                answer = self.provider.handle_userinfo_request(body.decode(), headers)
                return _json(start_response, answer.to_dict())
        except (InvalidAuthenticationRequest, OAuthError) as error:
            start_response("400 Bad Request", [("Content-Type", "application/json")])
            return [json.dumps({"error": str(error)}).encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]


def _json(start_response: Any, data: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(data).encode()]


@contextmanager
def running_provider() -> Iterator[LoopbackProvider]:
    """Starts the provider on 127.0.0.1 (a free port) in a thread; stops it afterwards."""
    holder = LoopbackProvider(base_url="")
    server: WSGIServer = make_server("127.0.0.1", 0, holder, handler_class=_QuietHandler)
    workdir = tempfile.TemporaryDirectory()
    cert_file, key_file = _self_signed_certificate(workdir.name, f"loopback-op-{server.server_port}")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    base = f"https://127.0.0.1:{server.server_port}"
    holder.base_url = base
    holder.ca_file = cert_file
    signing_key = RSAKey(key=RSA.generate(2048), alg="RS256", kid="loopback-1")
    configuration = {
        "issuer": base,
        "authorization_endpoint": f"{base}/authorize",
        "token_endpoint": f"{base}/token",
        "userinfo_endpoint": f"{base}/userinfo",
        "jwks_uri": f"{base}/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
        "scopes_supported": ["openid", "email", "profile"],
        "claims_supported": ["sub", "email", "given_name", "family_name", "preferred_username"],
        "code_challenge_methods_supported": ["S256"],
    }
    clients = {
        CLIENT_ID: {
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_post",
        }
    }
    holder.provider = Provider(
        signing_key,
        configuration,
        AuthorizationState(HashBasedSubjectIdentifierFactory("loopback-salt")),
        clients,
        Userinfo(holder.users),
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        workdir.cleanup()


def _self_signed_certificate(directory: str, common_name: str) -> tuple[str, str]:
    """A certificate for 127.0.0.1, its own CA; the name differs per provider, so two can share a CA bundle."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = f"{directory}/op.pem", f"{directory}/op.key"
    with open(cert_file, "wb") as out:
        out.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key_file, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    return cert_file, key_file


def follow_to_callback(authorize_url: str) -> str:
    """What the browser does at the provider: opens the authorization URL and gets the redirect back to the app
    (path and query of the callback)."""
    import requests

    response = requests.get(authorize_url, allow_redirects=False, timeout=10)  # REQUESTS_CA_BUNDLE: the test's
    assert response.status_code == 302, response.text
    parts = urlsplit(response.headers["Location"])
    return f"{parts.path}?{parts.query}"
