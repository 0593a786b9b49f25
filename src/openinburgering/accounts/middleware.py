from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .actor import SESSION_MEMBERSHIP_KEY, resolve_actor


class ActorMiddleware:
    """Sets `request.actor` (user + gemeente + role) for logged-in staff, or None."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]  # set on every request by design
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.actor = resolve_actor(user, request.session.get(SESSION_MEMBERSHIP_KEY))  # type: ignore[attr-defined]  # same attribute
        return self.get_response(request)
