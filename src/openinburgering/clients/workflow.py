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


def allowed_next_statuses(current: str) -> tuple[str, ...]:
    return TRANSITIONS.get(current, ())


def can_transition(current: str, target: str) -> bool:
    return target in allowed_next_statuses(current)
