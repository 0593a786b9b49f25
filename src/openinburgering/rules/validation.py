"""DUO's checks on a PIP message (DUO M2M specification for gemeenten, "Het aanleveren van een PIP")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .enums import Doelgroep, Leerroute, Level
from .errors import RuleInputError

PIP_LEVELS = frozenset({Level.A2, Level.B1})
"""DUO's ``NiveauPip`` enumeration: A2 and B1."""

INTENSITY_MIN = 1
INTENSITY_MAX = 9999
"""DUO's bounds for ``geschatteIntensiteitB1Route`` (integer, minimum 1, maximum 9999)."""


class PipError(StrEnum):
    """A reason DUO refuses to register a PIP."""

    A2_NOT_WITH_ONDERWIJS = "a2_not_with_onderwijs"
    B1_NOT_WITH_Z = "b1_not_with_z"
    A2_NOT_ON_FIRST_B1_PIP = "a2_not_on_first_b1_pip"
    INTENSITY_ONLY_B1_ASIEL = "intensity_only_b1_asiel"
    DAGTEKENING_BEFORE_PLICHT = "dagtekening_before_plicht"
    DAGTEKENING_BEFORE_PREVIOUS = "dagtekening_before_previous"
    DAGTEKENING_BEFORE_SETTLEMENT = "dagtekening_before_settlement"


@dataclass(frozen=True, slots=True)
class PipValidation:
    """The outcome of :func:`pip_validation`.

    ``errors`` lists every check that fails, in the order of :class:`PipError`. ``effective_level`` is the
    level DUO registers: the given one, else B1 for the B1-route and the onderwijsroute and none for the
    Z-route.
    """

    valid: bool
    errors: tuple[PipError, ...]
    effective_level: Level | None


def _earlier(day: date | None, bound: date | None) -> bool:
    """True when both dates are known and ``day`` is strictly before ``bound`` (the same day is allowed)."""
    return day is not None and bound is not None and day < bound


def pip_validation(
    *,
    leerroute: Leerroute,
    first_pip: bool,
    doelgroep: Doelgroep,
    level: Level | None = None,
    estimated_b1_intensity: int | None = None,
    pip_dagtekening_on: date | None = None,
    plicht_start_on: date | None = None,
    previous_dagtekening_on: date | None = None,
    settled_on: date | None = None,
) -> PipValidation:
    """Apply DUO's checks on a PIP message (Wet inburgering 2021 art. 15, 34; DUO M2M README, PIP checks).

    Niveau: A2 not with the onderwijsroute; B1 not with the Z-route; A2 not with the B1-route on the person's
    first PIP in any gemeente; without a niveau DUO sets B1 for the B1-route and the onderwijsroute.
    ``geschatteIntensiteitB1Route`` only for the B1-route and asielstatushouders (W 15 lid 2). The dagtekening
    may not lie before the start of the plicht, before the dagtekening of the initial or current PIP, or
    before the day the person settled in the gemeente; each is checked only when both dates are given.
    """
    if level is not None and level not in PIP_LEVELS:
        raise RuleInputError(f"level must be A2, B1 or null, got {level}")
    if estimated_b1_intensity is not None and not INTENSITY_MIN <= estimated_b1_intensity <= INTENSITY_MAX:
        raise RuleInputError(
            f"estimated_b1_intensity must be between {INTENSITY_MIN} and {INTENSITY_MAX}, got {estimated_b1_intensity}"
        )
    checks = {
        PipError.A2_NOT_WITH_ONDERWIJS: level == Level.A2 and leerroute == Leerroute.ONDERWIJS,
        PipError.B1_NOT_WITH_Z: level == Level.B1 and leerroute == Leerroute.Z,
        PipError.A2_NOT_ON_FIRST_B1_PIP: level == Level.A2 and leerroute == Leerroute.B1 and first_pip,
        PipError.INTENSITY_ONLY_B1_ASIEL: estimated_b1_intensity is not None
        and (leerroute != Leerroute.B1 or doelgroep != Doelgroep.ASIELSTATUSHOUDER),
        PipError.DAGTEKENING_BEFORE_PLICHT: _earlier(pip_dagtekening_on, plicht_start_on),
        PipError.DAGTEKENING_BEFORE_PREVIOUS: _earlier(pip_dagtekening_on, previous_dagtekening_on),
        PipError.DAGTEKENING_BEFORE_SETTLEMENT: _earlier(pip_dagtekening_on, settled_on),
    }
    errors = tuple(error for error, failed in checks.items() if failed)
    if level is None and leerroute != Leerroute.Z:
        level = Level.B1
    return PipValidation(valid=not errors, errors=errors, effective_level=level)


class ResultaatError(StrEnum):
    """A reason DUO refuses a datum eindgesprek MAP or datum ondertekening PVT (MAP, PVT en Z-route API)."""

    NO_TERMIJN = "no_termijn"
    IN_FUTURE = "in_future"
    BEFORE_TERMIJN = "before_termijn"
    AFTER_ZROUTE = "after_zroute"
    VERWIJTBAAR_REQUIRED = "verwijtbaar_required"
    VERWIJTBAAR_NOT_ALLOWED = "verwijtbaar_not_allowed"


@dataclass(frozen=True, slots=True)
class ResultaatValidation:
    """The outcome of :func:`duo_resultaat_validation`.

    ``errors`` lists every check that fails, in the order of :class:`ResultaatError`. ``overschreden`` says
    whether the date lies on or after DUO's (exclusive) einddatum of the termijn: then DUO demands
    ``verwijtbaar``.
    """

    valid: bool
    errors: tuple[ResultaatError, ...]
    overschreden: bool


def duo_resultaat_validation(
    *,
    reported_on: date,
    as_of: date,
    termijn_start_on: date | None,
    duo_einddatum_on: date | None,
    zroute_completed_on: date | None = None,
    verwijtbaar: bool | None = None,
) -> ResultaatValidation:
    """Apply DUO's checks on a MAP or PVT date (Wet inburgering 2021 art. 6, 24, 34 lid 1; Besluit art. 3.1,
    3.2, 9.2; DUO M2M README "Module Arbeidsmarkt en Participatie (MAP)", the same list for the PVT).

    ``reported_on`` is the datum eindgesprek MAP or datum ondertekening PVT. DUO needs a current PIP, that is a
    termijn (``termijn_start_on`` None: no termijn known at DUO). The date may not lie in the future (after
    ``as_of``), before the start of the termijn, or after the datum afronding Z-route. ``verwijtbaar`` (DUO's
    Ja/Nee) must be given when the termijn is exceeded (the date on or after DUO's exclusive
    ``duo_einddatum_on``) and must be left out when the date lies before that einddatum (then neither 'Ja' nor
    'Nee' fits; the newest README allows both once the termijn is exceeded). The withdrawal and "earlier
    delivered by your gemeente" checks concern the message history, not the date, and are left to the caller.
    """
    overschreden = duo_einddatum_on is not None and reported_on >= duo_einddatum_on
    checks = {
        ResultaatError.NO_TERMIJN: termijn_start_on is None,
        ResultaatError.IN_FUTURE: reported_on > as_of,
        ResultaatError.BEFORE_TERMIJN: _earlier(reported_on, termijn_start_on),
        ResultaatError.AFTER_ZROUTE: _earlier(zroute_completed_on, reported_on),
        ResultaatError.VERWIJTBAAR_REQUIRED: overschreden and verwijtbaar is None,
        ResultaatError.VERWIJTBAAR_NOT_ALLOWED: not overschreden and verwijtbaar is not None,
    }
    errors = tuple(error for error, failed in checks.items() if failed)
    return ResultaatValidation(valid=not errors, errors=errors, overschreden=overschreden)
