from __future__ import annotations

import math
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .actor import SESSION_MEMBERSHIP_KEY, SESSION_PORTAL_ACCOUNT_KEY, resolve_actor

# Seconds since the epoch of the last request that counted as activity.
SESSION_ACTIVITY_KEY = "last_activity_at"
# The idle clock moves in steps of this many seconds (#18): a request within it of the recorded activity leaves
# the session unchanged, so most page views read the session and write nothing. The session may therefore end
# up to this many seconds before SESSION_IDLE_TIMEOUT_MINUTES of real idleness, never after.
ACTIVITY_RESOLUTION_SECONDS = 30
# Set when the login passed a second factor (accounts.two_factor): a gemeente that requires two-factor login
# accepts no session without it, also one that started before the requirement was switched on.
SESSION_TWO_FACTOR_KEY = "two_factor_verified"
# The page that answers the idle warning's question "how long still?" without counting as activity.
PASSIVE_URL_NAME = "accounts:session-status"

IDLE_MESSAGE = "U bent uitgelogd omdat u {minutes} minuten niets heeft gedaan. Log opnieuw in."
TWO_FACTOR_MESSAGE = "Uw gemeente vraagt nu om tweestapsverificatie. Log opnieuw in."


def idle_seconds() -> int:
    return int(settings.SESSION_IDLE_TIMEOUT_MINUTES) * 60


def seconds_left(request: HttpRequest, now: float | None = None) -> int:
    """Seconds before the session of this request ends for inactivity."""
    last = request.session.get(SESSION_ACTIVITY_KEY)
    if last is None:
        return idle_seconds()
    return max(0, math.ceil(float(last) + idle_seconds() - (time.time() if now is None else now)))


class IdleSessionMiddleware:
    """Ends a logged-in session after SESSION_IDLE_TIMEOUT_MINUTES without a request (#12 item 4); every other
    request renews it. The page script (static/js/session-timeout.js) warns before; without it the session simply
    expires and the next page is the login page with a Dutch notice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(SESSION_ACTIVITY_KEY)
            if last is not None and now - float(last) > idle_seconds():
                logout(request)
                messages.info(request, IDLE_MESSAGE.format(minutes=settings.SESSION_IDLE_TIMEOUT_MINUTES))
            elif last is None or (
                now - float(last) >= ACTIVITY_RESOLUTION_SECONDS
                and (request.method != "GET" or request.path != reverse(PASSIVE_URL_NAME))
            ):
                request.session[SESSION_ACTIVITY_KEY] = now
        return self.get_response(request)


class ActorMiddleware:
    """Sets `request.actor` (user + gemeente + role) for logged-in staff, or None. A session without a second
    factor ends when the actor's gemeente requires two-factor login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]  # set on every request by design
        user = getattr(request, "user", None)
        # A portal client's user has no memberships (mijn.backends): no query for them (#18).
        if user is not None and user.is_authenticated and not request.session.get(SESSION_PORTAL_ACCOUNT_KEY):
            actor = resolve_actor(user, request.session.get(SESSION_MEMBERSHIP_KEY))
            if (
                actor is not None
                and actor.gemeente.requires_two_factor
                and not request.session.get(SESSION_TWO_FACTOR_KEY)
            ):
                logout(request)
                messages.info(request, TWO_FACTOR_MESSAGE)
                actor = None
            request.actor = actor  # type: ignore[attr-defined]  # same attribute
        return self.get_response(request)
