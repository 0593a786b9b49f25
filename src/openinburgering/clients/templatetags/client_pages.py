"""Template helpers for the client pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """mapping[key] in a template, or None (for dicts keyed by id, e.g. the bound correction forms)."""
    try:
        return mapping.get(key) if mapping is not None else None
    except AttributeError:
        return None
