"""API authentication: a bearer token (`Authorization: Token oi_…`) acts as its membership; a logged-in browser
session acts as the session's chosen membership. Either way `request.actor` is set."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from openinburgering.accounts.actor import SESSION_MEMBERSHIP_KEY, Actor, resolve_actor
from openinburgering.accounts.models import ApiToken, User
from openinburgering.accounts.tokens import find_active_token

# "Last used" moves in steps of a minute (#18): a call within it of the recorded use writes nothing, so an API
# call is not a write of its token row.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        try:
            header = authentication.get_authorization_header(request).decode("latin-1").split()
        except UnicodeError:  # a header WSGI could not have produced; refuse it like any bad token
            raise exceptions.AuthenticationFailed("Ongeldige Authorization-header.") from None
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Ongeldige Authorization-header.")
        token = find_active_token(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed("Ongeldige, ingetrokken of verlopen token.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        request._request.actor = Actor(user=token.membership.user, membership=token.membership)  # type: ignore[attr-defined]  # the actor travels on the request
        return token.membership.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"


class ActorSessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        request._request.actor = resolve_actor(user, request._request.session.get(SESSION_MEMBERSHIP_KEY))  # type: ignore[attr-defined]  # the actor travels on the request
        return result
