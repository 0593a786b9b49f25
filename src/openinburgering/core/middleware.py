from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from .context import reset_request_id, set_request_id

# A client's token: 8 to 32 letters, digits and hyphens, at least one of them a letter. Digits alone could be a
# BSN or a phone number, and the id is stored in the audit log (#12 item 9).
_SAFE_TOKEN = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9-]{8,32}$")


def clean_request_id(incoming: str) -> str | None:
    """A client's X-Request-ID as we keep it: a UUID (in its canonical lowercase form) or a safe token; None
    for anything else, so a fresh id is made."""
    if len(incoming) <= 38 and re.fullmatch(r"\{?[0-9A-Fa-f-]{32,36}\}?", incoming):
        try:
            return str(uuid.UUID(incoming))
        except ValueError:
            return None
    return incoming if _SAFE_TOKEN.match(incoming) else None


class RequestIdMiddleware:
    """Gives every request an id (or keeps a well-formed incoming X-Request-ID, see clean_request_id) for logs
    and audit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        token = set_request_id(clean_request_id(incoming))
        try:
            response = self.get_response(request)
        finally:
            from .context import current_request_id

            request_id = current_request_id()
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """Headers on every response of the app (static files are served before this, by WhiteNoise) (#12 item 9):

    - ``Cache-Control: no-store`` (with Django's never-cache set): pages and API answers carry personal data, and
      a shared computer must not show them again from its cache after logging out. A view that sets its own
      Cache-Control (e.g. a letter PDF, ``private, no-store``) keeps it.
    - ``Permissions-Policy``: camera, microphone, location and other browser features are off.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response
