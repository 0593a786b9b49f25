from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request


def actor_of(request: Request) -> Any:
    return getattr(request._request, "actor", None)


class HasActor(permissions.BasePermission):
    """Authenticated, and acting for a gemeente in a role. Object access is checked by access_* functions."""

    message = "Log in of gebruik een geldige token."

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.user is not None and actor_of(request) is not None
