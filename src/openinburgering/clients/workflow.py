"""Allowed status transitions of a client file, as a table. Closed files are not reopened: a person who
comes back gets a new file (the old one stays as history)."""

from __future__ import annotations

from .choices import FileStatus as S

_ENDINGS = (S.VRIJGESTELD_ONTHEVEN, S.VERHUISD, S.BEEINDIGD)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.AANGEMELD: (S.INTAKE, *_ENDINGS),
    S.INTAKE: (S.PIP, S.AANGEMELD, *_ENDINGS),
    S.PIP: (S.IN_TRAJECT, S.INTAKE, *_ENDINGS),
    S.IN_TRAJECT: (S.VOLDAAN, S.PIP, *_ENDINGS),
    S.VOLDAAN: (S.VERHUISD, S.BEEINDIGD),
    S.VRIJGESTELD_ONTHEVEN: (S.VERHUISD, S.BEEINDIGD),
    S.VERHUISD: (),
    S.BEEINDIGD: (),
}


# Voldaan is never set by hand with the general status form: DUO reports it (a signal), or the klantregisseur
# confirms it on the handhaving page after ``rules.voldaan`` says every part is done
# (``handhaving.services.record_voldaan``).
CHECKED_STATUSES = (S.VOLDAAN,)


def allowed_next_statuses(current: str) -> tuple[str, ...]:
    return TRANSITIONS.get(current, ())


def manual_next_statuses(current: str) -> tuple[str, ...]:
    """The transitions the general status form (page and API) offers: all but the checked ones."""
    return tuple(status for status in allowed_next_statuses(current) if status not in CHECKED_STATUSES)


def can_transition(current: str, target: str) -> bool:
    return target in allowed_next_statuses(current)
