"""The functioneel beheerder narrows the need-to-know matrix for the gemeente (#12 item 1): never past the legal
maximum of a role (accounts.sections.LEGAL_MAXIMUM). Every change is audited with the old and new access."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError, NotFound

from .actor import Actor
from .models import SectionLimit
from .roles import Capability, RoleCode
from .sections import LEGAL_MAXIMUM, Access, Section, legal_maximum

PURPOSE = "beheer van de toegang tot persoonsgegevens (need to know)"

# Every page of a file asks the gemeente's limits (clients.access.section_access) and they change a few times a year:
# they are cached per gemeente (#18), as the attendance threshold is (progress.selectors). set_section_access deletes
# the entry at once and again when its transaction commits; with a cache per process (no REDIS_URL) another process
# may use the old limits for at most LIMITS_CACHE_SECONDS after a change.
LIMITS_CACHE_SECONDS = 60


def limits_cache_key(gemeente_id: int) -> str:
    return f"accounts:section_limits:{gemeente_id}"


def gemeente_limits(gemeente_id: int) -> dict[str, dict[str, int]]:
    """The gemeente's SectionLimit rows as {role code: {section: access}} (from the cache, else one query)."""
    key = limits_cache_key(gemeente_id)
    cached = cache.get(key)
    if isinstance(cached, dict):
        return cached
    limits: dict[str, dict[str, int]] = {}
    for role, section, access in SectionLimit.objects.filter(gemeente_id=gemeente_id).values_list(
        "role_code", "section", "access"
    ):
        limits.setdefault(role, {})[section] = access
    cache.set(key, limits, LIMITS_CACHE_SECONDS)
    return limits


@dataclass(frozen=True)
class MatrixCell:
    role: RoleCode
    section: Section
    maximum: Access
    current: Access


def matrix_for(actor: Actor) -> list[MatrixCell]:
    """Every (role, section) a role can have at all, with the gemeente's current access (one query)."""
    if not actor.can(Capability.MANAGE_STAFF):
        raise NotFound()
    limits = {
        (role, section): access
        for role, section, access in SectionLimit.objects.filter(gemeente_id=actor.gemeente_id).values_list(
            "role_code", "section", "access"
        )
    }
    return [
        MatrixCell(RoleCode(role), section, maximum, Access(min(maximum, limits.get((role, section), maximum))))
        for role, sections in LEGAL_MAXIMUM.items()
        for section, maximum in sorted(sections.items(), key=lambda item: list(Section).index(item[0]))
    ]


@transaction.atomic
def set_section_access(*, actor: Actor, role_code: str, section: str, access: int, via: str = "ui") -> SectionLimit:
    """Set what ``role_code`` may do in ``section`` in the actor's gemeente; refuse more than the legal maximum."""
    if not actor.can(Capability.MANAGE_STAFF):
        raise NotFound()
    if role_code not in RoleCode.values or section not in Section.values or access not in Access.values:
        raise ApplicationError("Kies een rol, een onderdeel van het dossier en een toegang uit de lijst.")
    maximum = legal_maximum(role_code, section)
    if access > maximum:
        raise ApplicationError(
            f"{RoleCode(role_code).label} mag bij {Section(section).label} ten hoogste "
            f"'{Access(maximum).label.lower()}': meer toegang kan de gemeente niet geven."
        )
    limit, created = SectionLimit.objects.select_for_update().get_or_create(
        gemeente_id=actor.gemeente_id, role_code=role_code, section=section, defaults={"access": access}
    )
    old = maximum if created else limit.access
    if not created and limit.access != access:
        limit.access = access
        limit.save(update_fields=["access", "changed_at"])
    key = limits_cache_key(actor.gemeente_id)
    cache.delete(key)  # this transaction reads the new limits from here on
    transaction.on_commit(lambda: cache.delete(key))  # and nobody keeps limits read before the commit
    if old != access:
        record_event(
            actor=actor,
            event_type="section_access_changed",
            purpose=PURPOSE,
            subject=limit,
            changes={"role": role_code, "section": section, "access": {"old": old, "new": access}},
            via=via,
        )
    return limit
