"""The registry: every rule by its catalogue name, with the kinds of its inputs and outputs.

Names, required inputs and defaults come from the rule function's keyword-only signature; the registry adds
the kind of each input (how the scenario runner reads it from YAML) and derives the outputs from the fields of
the rule's frozen result dataclass. :class:`Rule` checks at import time that the two agree.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .deadlines import betalingstermijn, bezwaar_termijn, file_termijn, pip_deadline, reported_termijn, termijn
from .enums import Doelgroep, ExamPart, Leerroute, Level, Residence, ResidencePurpose
from .exams import extension_for_effort, voldaan
from .fines import Culpability, TermijnKind, fine_intake, fine_pip
from .intake import CallStatus, intake_next_step, lbt_outcome
from .ontzorgen import ontzorgen
from .plicht import inburgeringsplicht
from .retention import retention
from .routes import SwitchException, afschalen, route_switch
from .statistics import cbs_levering
from .validation import duo_resultaat_validation, pip_validation


class Kind(StrEnum):
    """How a value is written in a scenario and compared."""

    DATE = "date"
    BOOL = "bool"
    INT = "int"
    NUMBER = "number"
    MONEY = "money"
    CODE = "code"
    CODES = "codes"
    INTS = "ints"
    EXAMS = "exams"
    PREVIOUS_W23 = "previous_w23"


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One input of a rule. ``required`` inputs have no default; ``nullable`` ones default to None."""

    name: str
    kind: Kind
    required: bool
    default: object
    codes: type[StrEnum] | None = None

    @property
    def nullable(self) -> bool:
        """True when the input may be null (its default is None)."""
        return not self.required and self.default is None


@dataclass(frozen=True, slots=True)
class OutputSpec:
    """One output of a rule, read from the result dataclass field of the same name."""

    name: str
    kind: Kind
    nullable: bool
    codes: type[StrEnum] | None = None


Input = Kind | tuple[Kind, type[StrEnum]]
"""How the registry declares an input: its kind, with the enumeration for ``code`` and ``codes``."""


def _output_spec(name: str, hint: object) -> OutputSpec:
    """Derive an output's kind from the type hint of its result field."""
    args = typing.get_args(hint)
    nullable = isinstance(hint, types.UnionType) and type(None) in args
    if nullable:
        (hint,) = (arg for arg in args if arg is not type(None))
        args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple:
        return OutputSpec(name, Kind.CODES, nullable, args[0])
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return OutputSpec(name, Kind.CODE, nullable, hint)
    kinds: dict[object, Kind] = {date: Kind.DATE, bool: Kind.BOOL, int: Kind.INT, Decimal: Kind.MONEY}
    return OutputSpec(name, kinds[hint], nullable)


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: its catalogue name, its articles, its function and the specs of its inputs and outputs."""

    name: str
    articles: str
    function: Callable[..., object]
    result_type: type
    inputs: tuple[InputSpec, ...]
    outputs: tuple[OutputSpec, ...]

    @classmethod
    def build(cls, name: str, articles: str, function: Callable[..., object], kinds: Mapping[str, Input]) -> Rule:
        """Combine the function's signature with the declared ``kinds``; raise TypeError if they disagree."""
        parameters = inspect.signature(function).parameters
        if set(parameters) != set(kinds):
            raise TypeError(f"{name}: declared inputs {sorted(kinds)} differ from {sorted(parameters)}")
        inputs = []
        for parameter in parameters.values():
            declared = kinds[parameter.name]
            kind, codes = declared if isinstance(declared, tuple) else (declared, None)
            required = parameter.default is inspect.Parameter.empty
            default = None if required else parameter.default
            inputs.append(InputSpec(parameter.name, kind, required, default, codes))
        result_type = typing.get_type_hints(function)["return"]
        hints = typing.get_type_hints(result_type)
        outputs = tuple(_output_spec(field.name, hints[field.name]) for field in dataclasses.fields(result_type))
        return cls(name, articles, function, result_type, tuple(inputs), outputs)

    def output(self, name: str) -> OutputSpec | None:
        """Return the spec of output ``name``, or None when the rule does not define it."""
        return next((spec for spec in self.outputs if spec.name == name), None)


D, B, N, M = Kind.DATE, Kind.BOOL, Kind.NUMBER, Kind.MONEY

RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule.build(
            "inburgeringsplicht",
            "W 3, B 2.2, W 54",
            inburgeringsplicht,
            {
                "birth_on": D,
                "residence": (Kind.CODE, Residence),
                "residence_purpose": (Kind.CODE, ResidencePurpose),
                "residence_from_on": D,
                "temporary_by_decision": B,
                "long_term_resident_elsewhere": B,
                "treaty_exempt": B,
            },
        ),
        Rule.build(
            "lbt_outcome",
            "W 14.3 a, W 14.6",
            lbt_outcome,
            {"taken_on": D, "score": Kind.INT, "visual_impairment": B, "auditive_impairment_unable": B},
        ),
        Rule.build(
            "intake_next_step",
            "W 14.1-2, W 22, B 7.1.1",
            intake_next_step,
            {"calls": (Kind.CODES, CallStatus)},
        ),
        Rule.build(
            "pip_deadline",
            "B 5.3, Atw 1, 4, 5",
            pip_deadline,
            {
                "kennisgeving_on": D,
                "housed_under_taakstelling": B,
                "registered_on": D,
                "awaiting_third_party": B,
                "third_party_received_on": D,
                "moved_registered_on": D,
            },
        ),
        Rule.build(
            "termijn",
            "W 11, W 12, B 4.4, B 4.5, B 5.4",
            termijn,
            {"pip_dagtekening_on": D, "extensions_months": Kind.INTS},
        ),
        Rule.build(
            "route_switch",
            "W 17.2, B 5.4",
            route_switch,
            {
                "termijn_start_on": D,
                "decided_on": D,
                "from_route": (Kind.CODE, Leerroute),
                "to_route": (Kind.CODE, Leerroute),
                "exception": (Kind.CODE, SwitchException),
            },
        ),
        Rule.build(
            "pip_validation",
            "W 15, W 34.1; DUO M2M PIP checks",
            pip_validation,
            {
                "leerroute": (Kind.CODE, Leerroute),
                "level": (Kind.CODE, Level),
                "first_pip": B,
                "doelgroep": (Kind.CODE, Doelgroep),
                "estimated_b1_intensity": Kind.INT,
                "pip_dagtekening_on": D,
                "plicht_start_on": D,
                "previous_dagtekening_on": D,
                "settled_on": D,
            },
        ),
        Rule.build(
            "afschalen",
            "W 17.3, B 5.5",
            afschalen,
            {
                "leerroute": (Kind.CODE, Leerroute),
                "nt2_course_hours": N,
                "sufficient_effort": B,
                "b1_reachable_in_termijn": B,
            },
        ),
        Rule.build(
            "voldaan",
            "W 6, W 7, W 8, W 9, B 3.14",
            voldaan,
            {
                "leerroute": (Kind.CODE, Leerroute),
                "doelgroep": (Kind.CODE, Doelgroep),
                "pvt_signed_on": D,
                "map_completed_on": D,
                "exams_passed": Kind.EXAMS,
                "lowered_to_a2": (Kind.CODES, ExamPart),
                "exempted_parts": (Kind.CODES, ExamPart),
                "onderwijsroute_completed": B,
                "z_course_hours": N,
                "z_course_hours_credited": N,
                "z_participation_hours": N,
                "pvt_hours": N,
                "map_hours": N,
                "z_final_interview_on": D,
                "z_course_hours_norm": N,
            },
        ),
        Rule.build(
            "extension_for_effort",
            "W 12.1 b, B 4.4, B 4.5",
            extension_for_effort,
            {
                "doelgroep": (Kind.CODE, Doelgroep),
                "leerroute": (Kind.CODE, Leerroute),
                "exams_passed": Kind.EXAMS,
                "all_lessons_attended": B,
                "lesson_hours": N,
                "pvt_signed_on": D,
                "map_completed_on": D,
                "requested_on": D,
                "termijn_end_on": D,
            },
        ),
        Rule.build(
            "fine_intake",
            "W 22, W 26, W 27, B 7.1",
            fine_intake,
            {"bijstand_reduced_for_same_conduct": B, "fines_total": M, "cap": M, "published_on": D},
        ),
        Rule.build(
            "fine_pip",
            "W 23, W 26, W 27, B 7.1",
            fine_pip,
            {
                "culpability": (Kind.CODE, Culpability),
                "established_on": D,
                "previous_w23": Kind.PREVIOUS_W23,
                "fines_total": M,
                "termijn_kind": (Kind.CODE, TermijnKind),
                "bijstand_reduced_for_same_conduct": B,
            },
        ),
        Rule.build(
            "ontzorgen",
            "Pw 56a, W 15.3",
            ontzorgen,
            {
                "plichtig_wi2021": B,
                "residence": (Kind.CODE, Residence),
                "receives_bijstand": B,
                "bijstand_start_on": D,
                "bijstand_end_on": D,
                "extended_until_on": D,
            },
        ),
        Rule.build("retention", "B 9.9", retention, {"plicht_ended_on": D}),
        # Beyond the catalogue: the Awb bezwaartermijn against the PIP beschikking.
        Rule.build(
            "bezwaar_termijn",
            "Awb 6:7, 6:8, 6:9, Atw 1",
            bezwaar_termijn,
            {"bekendgemaakt_on": D, "received_on": D},
        ),
        # Beyond the catalogue: the Awb payment term of the boetebeschikking.
        Rule.build("betalingstermijn", "Awb 4:87, Atw 1", betalingstermijn, {"bekendgemaakt_on": D}),
        # Beyond the catalogue: the quarter and the delivery deadline of the CBS statistics file (#16 item 5).
        Rule.build("cbs_levering", "W 39, B 9.12", cbs_levering, {"year": Kind.INT, "quarter": Kind.INT}),
        # Beyond the catalogue: an extension read from the termijn DUO reports (#16, the monitoring figures).
        Rule.build(
            "reported_termijn", "W 11, W 12, B 4.4", reported_termijn, {"pip_dagtekening_on": D, "duo_einddatum_on": D}
        ),
        # Beyond the catalogue: DUO's checks on a MAP or PVT date before it is sent (DUO M2M client).
        Rule.build(
            "duo_resultaat_validation",
            "W 6, W 24, W 34.1, B 3.1, B 3.2; DUO M2M MAP/PVT checks",
            duo_resultaat_validation,
            {
                "reported_on": D,
                "as_of": D,
                "termijn_start_on": D,
                "duo_einddatum_on": D,
                "zroute_completed_on": D,
                "verwijtbaar": B,
            },
        ),
        # Beyond the catalogue: the termijn that applies to a file, with DUO's extension when its report fits.
        Rule.build(
            "file_termijn",
            "W 11, W 12, B 4.4, B 4.5, B 5.4",
            file_termijn,
            {"pip_dagtekening_on": D, "duo_startdatum_on": D, "duo_einddatum_on": D},
        ),
    )
}
"""Every rule of the catalogue, by name, in the catalogue's order, then the rules beyond it (bezwaar_termijn,
betalingstermijn, cbs_levering, reported_termijn, duo_resultaat_validation,
file_termijn)."""
