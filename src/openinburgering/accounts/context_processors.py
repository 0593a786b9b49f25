from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .actor import active_memberships
from .roles import Capability


def actor(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "actor", None)
    if current is None:
        return {"actor": None}
    return {
        "actor": current,
        "capabilities": set(current.membership.role.capabilities),
        "Capability": Capability,
        "other_memberships": [m for m in active_memberships(current.user) if m.pk != current.membership.pk],
    }
