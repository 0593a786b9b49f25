"""The portal's boundary (#15 items 1 and 2).

- Inside /mijn/ (and /api/v1/mijn/) the client's chosen language is active (PortalAccount, else the cookie), never
  the browser's Accept-Language; staff pages stay Dutch (LANGUAGES in conf/base.py is Dutch only on purpose).
- A portal session ends after PORTAL_IDLE_TIMEOUT_MINUTES (15) without a request (the last request's time is
  written to the session in steps of 30 seconds, so a page view is not a session write).
- A portal client never reaches a staff page: every path outside the portal redirects to /mijn/ (GET) or is 404.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

from openinburgering.accounts.actor import SESSION_PORTAL_ACCOUNT_KEY

from .languages import COOKIE_NAME, SESSION_KEY, clean_language

ACCOUNT_SESSION_KEY = SESSION_PORTAL_ACCOUNT_KEY
ACTIVITY_SESSION_KEY = "mijn_last_activity_at"
# The last activity moves in steps of this many seconds (#18, as the staff's idle clock): a request within it of the
# recorded activity leaves the session unchanged, so a page view is not a session write. The session may therefore
# end up to this many seconds before PORTAL_IDLE_TIMEOUT_MINUTES of real idleness, never after.
ACTIVITY_WRITE_SECONDS = 30
EXPIRED_SESSION_KEY = "mijn_expired"
PORTAL_PREFIXES = ("/mijn/", "/api/v1/mijn/")
# Paths a portal client may still use outside the portal: static files and the error pages' own assets.
OPEN_PREFIXES = ("/static/",)


def is_portal_path(path: str) -> bool:
    return path.startswith(PORTAL_PREFIXES)


def is_portal_session(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and request.session.get(ACCOUNT_SESSION_KEY))


class PortalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        portal_path = is_portal_path(request.path)
        if is_portal_session(request):
            if not portal_path and not request.path.startswith(OPEN_PREFIXES):
                if request.method in ("GET", "HEAD") and not request.path.startswith("/api/"):
                    return HttpResponseRedirect(reverse("mijn:start"))
                raise Http404()
            now = time.time()
            last = request.session.get(ACTIVITY_SESSION_KEY)
            if last is not None and now - float(last) > int(settings.PORTAL_IDLE_TIMEOUT_MINUTES) * 60:
                language = request.session.get(SESSION_KEY)
                logout(request)
                request.session[EXPIRED_SESSION_KEY] = True
                if language:
                    request.session[SESSION_KEY] = language
            elif last is None or now - float(last) >= ACTIVITY_WRITE_SECONDS:
                request.session[ACTIVITY_SESSION_KEY] = now
        if not portal_path:
            return self.get_response(request)
        language = clean_language(request.session.get(SESSION_KEY) or request.COOKIES.get(COOKIE_NAME))
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response
