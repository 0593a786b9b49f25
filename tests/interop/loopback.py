"""A loopback HTTP server for the koppelingen tests: a small WSGI app on 127.0.0.1 in a thread, that validates every
request and every response against an official OpenAPI file with openapi-core. A validation failure of a request is
answered as the API's own 400; a response that does not fit the spec is recorded in ``spec_errors`` (and answered
500), so a test that ends with ``assert server.spec_errors == []`` proves both sides kept to the specification.

``stop()`` kills the server (connections refused, as when the remote system is down); ``start()`` brings it back on
the same port with its data intact."""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import urlsplit

from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response


def load_openapi(spec: dict[str, Any], *, base_uri: str = "") -> OpenAPI:
    """openapi-core for a spec dict; ``application/problem+json`` (the error bodies of these APIs) is read as JSON,
    which openapi-core does not do by itself."""
    config = Config(
        extra_media_type_deserializers={"application/problem+json": json.loads},
        extra_format_validators={"uri": _is_uri},  # the ZGW specs use format uri, which openapi-core leaves out
        extra_format_unmarshallers={"uri": str},
    )
    return OpenAPI.from_dict(spec, config=config, base_uri=base_uri)


def _is_uri(value: object) -> bool:
    """An absolute URI (RFC 3986): a scheme and, for http(s), a host."""
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and (parts.scheme not in ("http", "https") or bool(parts.netloc))


class LoopbackServer:
    def __init__(self, openapi: OpenAPI | None = None) -> None:
        self.openapi = openapi
        self.port = 0
        self.spec_errors: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._server = make_server("127.0.0.1", self.port, self.wsgi, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- the WSGI side --------------------------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:  # pragma: no cover - overridden
        raise NotImplementedError

    def openapi_for(self, request: Request) -> OpenAPI | None:
        """The specification a request is checked against (one server may play several APIs)."""
        return self.openapi

    def request_errors(self, request: Request) -> list[str]:
        openapi = self.openapi_for(request)
        if openapi is None:
            return []
        result = openapi.unmarshal_request(WerkzeugOpenAPIRequest(request))
        return [_describe(error) for error in result.errors]

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        body = request.get_data(cache=True)
        self.requests.append(
            {
                "method": request.method,
                "path": request.path,
                "query": dict(request.args),
                "headers": dict(request.headers),
                "json": json.loads(body) if body and request.mimetype.endswith("json") else None,
            }
        )
        response = self.handle(request)
        openapi = self.openapi_for(request)
        if openapi is not None:
            try:
                openapi.validate_response(WerkzeugOpenAPIRequest(request), _FullContentTypeResponse(response))
            except Exception as exc:  # every kind of spec failure is recorded for the test
                self.spec_errors.append(f"{request.method} {request.path} -> {response.status_code}: {_describe(exc)}")
                response = Response("response does not fit the specification", status=500)
        return response(environ, start_response)


class _FullContentTypeResponse(WerkzeugOpenAPIResponse):
    """openapi-core's werkzeug wrapper gives the response's media type without its parameters, so a spec that names
    ``application/json; charset=utf-8`` (the BRP API) never matches: use the whole Content-Type header instead."""

    @property
    def content_type(self) -> str:
        return str(self.response.content_type)


def _describe(error: Exception) -> str:
    causes = [str(error)]
    cause = getattr(error, "__cause__", None)
    while cause is not None and len(causes) < 4:
        causes.append(str(cause)[:500])
        schema_errors = getattr(cause, "schema_errors", None)
        if schema_errors:
            causes.extend(str(e.message)[:300] for e in schema_errors[:5])
        cause = getattr(cause, "__cause__", None)
    return " | ".join(causes)


def json_response(data: Any, status: int = 200, content_type: str = "application/json") -> Response:
    return Response(json.dumps(data), status=status, content_type=content_type)
