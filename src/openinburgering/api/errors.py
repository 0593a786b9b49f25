"""Problem Details (RFC 7807 / 9457) for every API error, as the VNG API design rules ask."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from openinburgering.core.errors import ApplicationError

_TITLES = {
    400: "Ongeldige invoer.",
    401: "Niet ingelogd.",
    403: "Geen toegang.",
    404: "Niet gevonden.",
    405: "Methode niet toegestaan.",
    409: "Conflict.",
    413: "Verzoek te groot.",
    415: "Mediatype niet ondersteund.",
    429: "Te veel verzoeken.",
}


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    if isinstance(detail, dict):
        out: list[dict[str, str]] = []
        for key, value in detail.items():
            key = "nonFieldErrors" if key == api_settings.NON_FIELD_ERRORS_KEY else key
            name = f"{prefix}.{key}" if prefix else str(key)
            out += _flatten(value, name)
        return out
    if isinstance(detail, list):
        out = []
        for index, value in enumerate(detail):
            name = prefix if not isinstance(value, dict | list) else f"{prefix}.{index}"
            out += _flatten(value, name)
        return out
    code = getattr(detail, "code", "invalid")
    return [{"name": prefix or "nonFieldErrors", "code": str(code), "reason": str(detail)}]


def problem(
    status_code: int, *, detail: str, code: str, invalid_params: list[dict[str, str]] | None = None
) -> Response:
    body: dict[str, Any] = {
        "type": f"https://open-inburgering.nl/problemen/{code}",
        "code": code,
        "title": _TITLES.get(status_code, "Fout."),
        "status": status_code,
        "detail": detail,
    }
    if invalid_params:
        body["invalidParams"] = invalid_params
    return Response(body, status=status_code, content_type="application/problem+json")


def problem_details_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        params = [
            {"name": field, "code": exc.code, "reason": message}
            for field, messages in exc.field_errors.items()
            for message in messages
        ]
        return problem(exc.status_code, detail=exc.message, code=exc.code, invalid_params=params or None)
    if isinstance(exc, Http404):
        return problem(404, detail="Niet gevonden.", code="not_found")
    if isinstance(exc, RequestDataTooBig):  # Django's own limit, e.g. a form body read by the CSRF check
        return problem(413, detail="Het verzoek is te groot.", code="request_too_large")
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return problem(400, detail="Controleer de invoer.", code="invalid", invalid_params=_flatten(exc.detail))
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    result = problem(response.status_code, detail=str(detail), code=str(code))
    for header in ("WWW-Authenticate", "Allow", "Retry-After"):
        if header in response:
            result[header] = response[header]
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in result:
        result["WWW-Authenticate"] = "Token"
    return result


@contextmanager
def renamed_fields(names: Mapping[str, str]) -> Iterator[None]:
    """Re-raises an ApplicationError with its field names as the API spells them (e.g. a service's `bsn` is
    `person.bsn` in a request body, a selector's message about the query belongs to `q`)."""
    try:
        yield
    except ApplicationError as exc:
        if exc.status_code != status.HTTP_400_BAD_REQUEST:
            raise
        if not exc.field_errors and "" in names:
            exc.field_errors = {names[""]: [exc.message]}
        else:
            exc.field_errors = {names.get(field, field): messages for field, messages in exc.field_errors.items()}
        raise
