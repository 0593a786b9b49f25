"""Template tags of the koppelingen: whether the current gemeente has a BRP connection (the aanmelding shows its
"ophalen uit de BRP" form only then)."""

from __future__ import annotations

from typing import Any

from django import template

from openinburgering.interop.connections import has_connection
from openinburgering.interop.models import System

register = template.Library()


@register.simple_tag(takes_context=True)
def brp_lookup_enabled(context: dict[str, Any]) -> bool:
    request = context.get("request")
    actor = getattr(request, "actor", None)
    gemeente = getattr(actor, "gemeente", None)
    return gemeente is not None and has_connection(gemeente, System.BRP)
