"""Wet inburgering 2021 as pure functions: the contract of ``shared/domain/rules-catalogue.md``.

No Django, no database, no clock, no settings: every input is an argument and every rule is deterministic.

Public API for the Django app
-----------------------------
Each rule is a keyword-only function named as in the catalogue; it returns a frozen dataclass whose attributes
are the catalogue's outputs (codes are ``StrEnum`` members, equal to their lower-case code strings; money is a
``Decimal`` with 2 places; list outputs are tuples). Inputs that are out of range or inconsistent raise
:class:`RuleInputError` (a ``ValueError``). Import only from this package; the submodules may move::

    from openinburgering.rules import Leerroute, pip_deadline, termijn

    deadline = pip_deadline(kennisgeving_on=date(2025, 3, 3), housed_under_taakstelling=True)
    # deadline.pip_due_on is None and deadline.basis == "waiting" until the person is registered
    t = termijn(pip_dagtekening_on=date(2024, 3, 15), extensions_months=[6])
    # t.termijn_start_on == date(2024, 3, 16); t.termijn_end_on == date(2027, 9, 15)

Signatures (``*`` = keyword-only; defaults as in the catalogue):

- ``inburgeringsplicht(*, birth_on, residence, residence_from_on, residence_purpose=None,
  temporary_by_decision=False, long_term_resident_elsewhere=False, treaty_exempt=False) ->
  Inburgeringsplicht`` (``plichtig``, ``reason``, ``doelgroep``, ``law``)
- ``lbt_outcome(*, taken_on=None, score=None, visual_impairment=False, auditive_impairment_unable=False)
  -> LbtResult`` (``outcome``, ``threshold``)
- ``intake_next_step(*, calls=()) -> IntakeNextStep`` (``next_step``, ``fine``)
- ``pip_deadline(*, kennisgeving_on, housed_under_taakstelling=False, registered_on=None,
  awaiting_third_party=False, third_party_received_on=None, moved_registered_on=None) -> PipDeadline``
  (``pip_due_on``, ``pip_due_on_unshifted``, ``basis``)
- ``termijn(*, pip_dagtekening_on, extensions_months=()) -> Termijn`` (``termijn_start_on``,
  ``termijn_end_on``, ``route_switch_until_on``, ``extension_request_from_on``, ``duo_einddatum_on``)
- ``bezwaar_termijn(*, bekendgemaakt_on, received_on=None) -> BezwaarTermijn`` (``term_starts_on``,
  ``term_ends_on``, ``on_time``): Awb 6:7-6:9, beyond the catalogue, for the PIP's bezwaar
- ``betalingstermijn(*, bekendgemaakt_on) -> BetalingsTermijn`` (``pay_by_on``): Awb 4:87 lid 1, beyond the
  catalogue, for the boetebeschikking
- ``cbs_levering(*, year, quarter) -> CbsLevering`` (``period_start_on``, ``period_end_on``, ``deliver_by_on``):
  W 39, B 9.12 and CBS's SWI agreement (4 weeks after the quarter), beyond the catalogue, for the CBS file
- ``reported_termijn(*, pip_dagtekening_on, duo_einddatum_on) -> ReportedTermijn`` (``fits``,
  ``extension_months``, ``termijn_end_on``): W 11, 12, B 4.4 -- the termijn DUO reports read as the PIP's termijn
  plus an extension, beyond the catalogue, for the monitoring figures (#16)
- ``file_termijn(*, pip_dagtekening_on, duo_startdatum_on=None, duo_einddatum_on=None) -> FileTermijn`` (the
  ``Termijn`` fields, ``extension_months``, ``duo_report``): W 11, 12, B 4.4 -- the termijn that applies to a file,
  with the extension DUO reported when its report fits the PIP, beyond the catalogue; every page, the API and the
  portal show this one (through ``plans.services.termijn_of``)
- ``route_switch(*, termijn_start_on, decided_on, from_route, to_route, exception=None) -> RouteSwitch``
- ``pip_validation(*, leerroute, first_pip, doelgroep, level=None, estimated_b1_intensity=None,
  pip_dagtekening_on=None, plicht_start_on=None, previous_dagtekening_on=None, settled_on=None) ->
  PipValidation`` and ``duo_resultaat_validation(*, reported_on, as_of, termijn_start_on, duo_einddatum_on,
  zroute_completed_on=None, verwijtbaar=None) -> ResultaatValidation`` (DUO's checks on a MAP or PVT date,
  beyond the catalogue, for the DUO M2M client)
- ``afschalen(*, leerroute, nt2_course_hours, sufficient_effort, b1_reachable_in_termijn) -> Afschalen``
- ``voldaan(*, leerroute, doelgroep, ...) -> Voldaan`` and ``extension_for_effort(*, doelgroep, leerroute,
  requested_on, termijn_end_on, ...) -> ExtensionForEffort``
- ``fine_intake(*, bijstand_reduced_for_same_conduct=False, fines_total=Decimal("0.00"),
  cap=Decimal("2400.00"), published_on=None) -> FineIntake`` and ``fine_pip(*, culpability, established_on,
  previous_w23=(), ...) -> FinePip``
- ``ontzorgen(*, plichtig_wi2021, residence, receives_bijstand, bijstand_start_on=None, bijstand_end_on=None,
  extended_until_on=None) -> Ontzorgen`` and ``retention(*, plicht_ended_on) -> Retention``

Date helpers for the app: :func:`add_weeks`, :func:`period_end`, :func:`months_before`, :func:`atw_shift`,
:func:`is_feestdag`. The full reference with every input, default, output and code is ``docs/rules.md``;
``RULES`` maps each catalogue name to its function and specs.
"""

from __future__ import annotations

from .dates import (
    add_months,
    add_weeks,
    atw_shift,
    easter_sunday,
    feestdagen,
    is_feestdag,
    months_before,
    period_end,
)
from .deadlines import (
    BetalingsTermijn,
    BezwaarTermijn,
    DuoTermijnReport,
    FileTermijn,
    PipDeadline,
    PipDeadlineBasis,
    ReportedTermijn,
    Termijn,
    betalingstermijn,
    bezwaar_termijn,
    file_termijn,
    pip_deadline,
    reported_termijn,
    termijn,
)
from .enums import Doelgroep, ExamPart, Leerroute, Level, Residence, ResidencePurpose
from .errors import RuleInputError
from .exams import (
    EffortUnmet,
    ExtensionForEffort,
    Missing,
    Voldaan,
    extension_for_effort,
    voldaan,
)
from .fines import (
    PIP_FINE_BASE,
    PIP_FINE_MAX,
    Culpability,
    FineIntake,
    FinePip,
    PreviousW23,
    TermijnKind,
    fine_intake,
    fine_pip,
)
from .intake import (
    CallStatus,
    IntakeNextStep,
    IntakeStep,
    LbtOutcome,
    LbtResult,
    intake_next_step,
    lbt_outcome,
)
from .ontzorgen import Ontzorgen, OntzorgenItem, OntzorgenReason, ontzorgen
from .plicht import Inburgeringsplicht, Law, PlichtReason, inburgeringsplicht
from .registry import RULES, Rule
from .retention import Retention, retention
from .routes import (
    Afschalen,
    AfschalenReason,
    RouteSwitch,
    SwitchException,
    SwitchReason,
    afschalen,
    route_switch,
)
from .statistics import CbsLevering, cbs_levering
from .validation import (
    PipError,
    PipValidation,
    ResultaatError,
    ResultaatValidation,
    duo_resultaat_validation,
    pip_validation,
)

__all__ = [
    "PIP_FINE_BASE",
    "PIP_FINE_MAX",
    "RULES",
    "Afschalen",
    "AfschalenReason",
    "BetalingsTermijn",
    "BezwaarTermijn",
    "CallStatus",
    "CbsLevering",
    "Culpability",
    "Doelgroep",
    "DuoTermijnReport",
    "EffortUnmet",
    "ExamPart",
    "ExtensionForEffort",
    "FileTermijn",
    "FineIntake",
    "FinePip",
    "Inburgeringsplicht",
    "IntakeNextStep",
    "IntakeStep",
    "Law",
    "LbtOutcome",
    "LbtResult",
    "Leerroute",
    "Level",
    "Missing",
    "Ontzorgen",
    "OntzorgenItem",
    "OntzorgenReason",
    "PipDeadline",
    "PipDeadlineBasis",
    "PipError",
    "PipValidation",
    "PlichtReason",
    "PreviousW23",
    "ReportedTermijn",
    "Residence",
    "ResidencePurpose",
    "ResultaatError",
    "ResultaatValidation",
    "Retention",
    "RouteSwitch",
    "Rule",
    "RuleInputError",
    "SwitchException",
    "SwitchReason",
    "Termijn",
    "TermijnKind",
    "Voldaan",
    "add_months",
    "add_weeks",
    "afschalen",
    "atw_shift",
    "betalingstermijn",
    "bezwaar_termijn",
    "cbs_levering",
    "duo_resultaat_validation",
    "easter_sunday",
    "extension_for_effort",
    "feestdagen",
    "file_termijn",
    "fine_intake",
    "fine_pip",
    "inburgeringsplicht",
    "intake_next_step",
    "is_feestdag",
    "lbt_outcome",
    "months_before",
    "ontzorgen",
    "period_end",
    "pip_deadline",
    "pip_validation",
    "reported_termijn",
    "retention",
    "route_switch",
    "termijn",
    "voldaan",
]
