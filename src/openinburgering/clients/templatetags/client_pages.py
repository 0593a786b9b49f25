"""Template helpers for the client pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """mapping[key] in a template, or None (for dicts keyed by id, e.g. the bound correction forms)."""
    try:
        return mapping.get(key) if mapping is not None else None
    except AttributeError:
        return None


_FIELD_LABELS = {
    "assigned_to": "klantregisseur",
    "team": "team",
    "status": "status",
    "relation": "relatie",
    "ended_on": "einddatum",
    "corrects": "correctie",
}


@register.filter
def dutch_field_names(detail: str) -> str:
    """The field names a timeline item lists ("phone, surname") in Dutch, from the models' verbose names."""
    from openinburgering.clients.models import ClientFile, Person

    names = []
    for name in (part.strip() for part in detail.split(",")):
        label = _FIELD_LABELS.get(name)
        for model in (Person, ClientFile):
            if label is None:
                try:
                    field = model._meta.get_field(name)
                except FieldDoesNotExist:  # an unknown name is shown as it is
                    continue
                label = str(getattr(field, "verbose_name", name))
        names.append(label or name)
    return ", ".join(names)


@register.filter
def role_label(code: str) -> str:
    from openinburgering.accounts.roles import RoleCode

    return str(RoleCode(code).label) if code in RoleCode.values else code
