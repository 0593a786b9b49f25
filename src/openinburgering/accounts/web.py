"""The one door for staff pages: `staff_view` (login, an active membership, NotFound → 404), `request_actor`
and `require` — shared by every app's views so the access rules are written once."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from openinburgering.core.errors import NotFound

from .actor import Actor
from .roles import Capability

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponse)


def staff_view(view: Callable[P, R]) -> Callable[P, R | HttpResponse]:
    """Logged-in staff only (anonymous: to the login page); NotFound from access/selectors becomes a 404,
    and a user without an active membership sees a 404 too."""

    @wraps(view)
    @login_required
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | HttpResponse:
        request = args[0]
        if getattr(request, "actor", None) is None:
            raise Http404()
        try:
            return view(*args, **kwargs)
        except NotFound:
            raise Http404() from None

    return wrapper


def request_actor(request: HttpRequest) -> Actor:
    """The actor ActorMiddleware put on the request; inside `staff_view` it is never None."""
    actor = getattr(request, "actor", None)
    if not isinstance(actor, Actor):
        raise NotFound()
    return actor


def require(actor: Actor, capability: Capability) -> None:
    """Missing a capability looks the same as a missing object: 404."""
    if not actor.can(capability):
        raise NotFound()


def actor_of(request: HttpRequest) -> Actor | None:
    """The actor on the request, or None (anonymous, or no active membership)."""
    actor = getattr(request, "actor", None)
    return actor if isinstance(actor, Actor) else None
