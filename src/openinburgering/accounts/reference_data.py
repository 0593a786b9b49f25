"""The roles with their capabilities (``accounts.roles``) written to the Role table. Loaded by data migrations and,
after a test flush, by ``clients.reference_data.ensure_reference_data``. Takes the model class as an argument so
migrations can pass their historical model. Idempotent: running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from .roles import ROLE_CAPABILITIES, RoleCode


def load_roles(role_model: Any) -> None:
    # The stored name is Dutch, whatever language the calling thread has active (a portal request in Tigrinya
    # before a test's reference data came back stored the role names in Tigrinya).
    with translation.override("nl"):
        for code, capabilities in ROLE_CAPABILITIES.items():
            role_model.objects.update_or_create(
                code=str(code),
                defaults={"name": str(RoleCode(code).label), "capabilities": [str(c) for c in capabilities]},
            )
