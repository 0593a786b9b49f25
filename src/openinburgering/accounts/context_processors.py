from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from .actor import Actor, active_memberships
from .models import Membership
from .roles import Capability


def _memberships(current: Actor) -> tuple[Membership, ...] | list[Membership]:
    return current.memberships if current.memberships is not None else active_memberships(current.user)


def actor(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "actor", None)
    if current is None:
        return {"actor": None}
    return {
        "actor": current,
        # The idle warning (static/js/session-timeout.js): the page itself counts as activity, so a full timeout.
        "session_url": reverse("accounts:session-status"),
        "session_seconds": settings.SESSION_IDLE_TIMEOUT_MINUTES * 60,
        "session_warning_seconds": settings.SESSION_IDLE_WARNING_MINUTES * 60,
        "capabilities": set(current.membership.role.capabilities),
        "Capability": Capability,
        "other_memberships": [m for m in _memberships(current) if m.pk != current.membership.pk],
    }
