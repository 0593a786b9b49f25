"""The scenario runner: read scenario files, apply each rule, compare outputs (shared/scenarios/README.md).

The CLI (``python -m openinburgering.rules check``) and the test suite both go through :func:`load_file` and
:func:`run_scenario`, so a scenario passes in one exactly when it passes in the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import TextIO

import yaml
from yaml.constructor import ConstructorError

from .enums import ExamPart, Level
from .errors import RuleInputError
from .exams import ExamsPassed
from .fines import PreviousW23
from .money import cents
from .registry import RULES, InputSpec, Kind, OutputSpec

SCENARIO_KEYS = frozenset({"id", "rule", "source", "note", "given", "expect"})
REQUIRED_KEYS = ("id", "rule", "given", "expect")
ID_PATTERN = re.compile(r"[a-z0-9-]+")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ScenarioError(Exception):
    """A scenario that cannot be run as written: the message says what to fix."""


class ScenarioFileError(Exception):
    """A file that cannot be read, or is not YAML of the scenario file shape."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a mapping with the same key twice (a silent overwrite hides a typo)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        keys = [self.construct_object(key_node, deep=deep) for key_node, _ in node.value]
        duplicates = sorted({str(key) for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ConstructorError(None, None, f"duplicate key {', '.join(duplicates)}", node.start_mark)
        return super().construct_mapping(node, deep=deep)

    def construct_lenient_timestamp(self, node: yaml.ScalarNode) -> object:
        """A date-like scalar that is no date (``2025-02-30``) stays a string: only its scenario fails."""
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _UniqueKeyLoader.construct_lenient_timestamp)


def load_file(path: Path) -> list[object]:
    """Return the scenarios of a file; raise :class:`ScenarioFileError` when it is unreadable or misshapen."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioFileError(f"cannot read the file ({error})") from error
    try:
        loader = _UniqueKeyLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        raise ScenarioFileError(f"not valid YAML ({' '.join(str(error).split())})") from error
    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), list):
        raise ScenarioFileError("expected a mapping with a list under 'scenarios'")
    scenarios: list[object] = data["scenarios"]
    for number, scenario in enumerate(scenarios, start=1):
        if not isinstance(scenario, dict):
            raise ScenarioFileError(f"scenario #{number} is not a mapping")
    return scenarios


def scenario_label(scenario: object, number: int) -> str:
    """The scenario's ``id``, or ``#number`` when it has no usable id."""
    if isinstance(scenario, dict) and isinstance(scenario.get("id"), str) and scenario["id"]:
        return str(scenario["id"])
    return f"#{number}"


def _type_error(name: str, expected: str, value: object) -> ScenarioError:
    return ScenarioError(f"input {name}: wrong type, expected {expected}, got {value!r}")


def _read_date(value: object) -> date:
    """A YAML date or an ISO ``YYYY-MM-DD`` string; raise ValueError otherwise."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return date.fromisoformat(value)
    raise ValueError(value)


def _read_money(value: object) -> Decimal:
    """A number or numeric string as euros with 2 places; raise ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(value)
    try:
        amount = Decimal(str(value))
    except InvalidOperation as error:
        raise ValueError(value) from error
    if not amount.is_finite():
        raise ValueError(value)
    return cents(amount)


def _read_code(value: object, codes: type[StrEnum]) -> StrEnum:
    if not isinstance(value, str) or value not in set(codes):
        raise ValueError(value)
    return codes(value)


def _read_exams(value: object) -> ExamsPassed:
    if not isinstance(value, dict):
        raise ValueError(value)
    exams: dict[ExamPart, Level | bool | None] = {}
    for part, result in value.items():
        exam_part = ExamPart(_read_code(part, ExamPart))
        if result is None or (exam_part == ExamPart.KNM and isinstance(result, bool)):
            exams[exam_part] = result
        elif exam_part == ExamPart.KNM:
            raise ValueError(result)
        else:
            exams[exam_part] = Level(_read_code(result, Level))
    return exams


def _read_previous(value: object) -> tuple[PreviousW23, ...]:
    if not isinstance(value, list):
        raise ValueError(value)
    records = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"established_on", "final"}:
            raise ValueError(item)
        if not isinstance(item["final"], bool):
            raise ValueError(item)
        records.append(PreviousW23(established_on=_read_date(item["established_on"]), final=item["final"]))
    return tuple(records)


_EXPECTED = {
    Kind.DATE: "a date (YYYY-MM-DD)",
    Kind.BOOL: "true or false",
    Kind.INT: "an integer",
    Kind.NUMBER: "a number",
    Kind.MONEY: "an amount of money",
    Kind.INTS: "a list of integers",
    Kind.EXAMS: "a mapping of exam part to level (knm: true/false)",
    Kind.PREVIOUS_W23: "a list of {established_on, final}",
}


def _describe(spec: InputSpec | OutputSpec) -> str:
    """What a value of this spec looks like, for error messages."""
    if spec.codes is not None:
        codes = ", ".join(code.value for code in spec.codes)
        return f"one of {codes}" if spec.kind == Kind.CODE else f"a list of: {codes}"
    return _EXPECTED[spec.kind]


def read_input(spec: InputSpec, value: object) -> object:
    """Turn a YAML value into the Python value the rule takes; raise :class:`ScenarioError` when wrong."""
    if value is None and spec.nullable:
        return None
    try:
        return _read_value(spec, value)
    except ValueError as error:
        expected = _describe(spec) + (" or null" if spec.nullable else "")
        raise _type_error(spec.name, expected, value) from error


def _read_value(spec: InputSpec | OutputSpec, value: object) -> object:
    """Read one value of ``spec``'s kind; raise ValueError when it is not one."""
    kind, codes = spec.kind, spec.codes
    if codes is not None:
        if kind == Kind.CODE:
            return _read_code(value, codes)
        if not isinstance(value, list):
            raise ValueError(value)
        return tuple(_read_code(item, codes) for item in value)
    if kind == Kind.DATE:
        return _read_date(value)
    if kind == Kind.MONEY:
        return _read_money(value)
    if kind == Kind.EXAMS:
        return _read_exams(value)
    if kind == Kind.PREVIOUS_W23:
        return _read_previous(value)
    if kind == Kind.INTS:
        if not isinstance(value, list) or not all(_is_int(item) for item in value):
            raise ValueError(value)
        return tuple(value)
    if kind == Kind.NUMBER and _is_number(value):
        return Decimal(str(value))
    if (kind == Kind.INT and _is_int(value)) or (kind == Kind.BOOL and isinstance(value, bool)):
        return value
    raise ValueError(value)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _show(value: object) -> str:
    """Show a value the way a scenario writes it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple | list | frozenset | set):
        return "[" + ", ".join(sorted(_show(item) for item in value)) + "]"
    return str(value)


def compare_output(spec: OutputSpec, expected: object, actual: object) -> str | None:
    """Compare one output; return a description of the difference, or None when they agree."""
    if expected is None:
        same = actual is None
    else:
        try:
            wanted = _read_value(spec, expected)
        except ValueError:
            nullable = " or null" if spec.nullable else ""
            return f"{spec.name}: cannot compare, expected must be {_describe(spec)}{nullable}, got {expected!r}"
        if isinstance(wanted, tuple) and isinstance(actual, tuple):
            same = set(wanted) == set(actual)
        else:
            same = wanted == actual
            expected = wanted
    if same:
        return None
    return f"{spec.name}: expected {_show(expected)}, got {_show(actual)}"


def scenario_outcome(scenarios: Sequence[object], index: int) -> tuple[str, str | None]:
    """Run ``scenarios[index]`` of one file; return its label and why it failed (None when it passed).

    An id already used by an earlier scenario of the same file fails the scenario.
    """
    scenario = scenarios[index]
    label = scenario_label(scenario, index + 1)
    earlier = {scenario_label(other, number) for number, other in enumerate(scenarios[:index], start=1)}
    if label in earlier:
        return label, f"duplicate id {label!r} in this file"
    return label, run_scenario(scenario)


def run_scenario(scenario: object) -> str | None:
    """Run one scenario; return why it failed, or None when it passed. Never raises for a bad scenario."""
    try:
        return _run(scenario)
    except ScenarioError as error:
        return str(error)


def _run(scenario: object) -> str | None:
    if not isinstance(scenario, dict):
        raise ScenarioError("a scenario must be a mapping")
    absent = [key for key in REQUIRED_KEYS if key not in scenario]
    if absent:
        raise ScenarioError(f"missing key(s): {', '.join(absent)}")
    unknown = sorted(str(key) for key in scenario if key not in SCENARIO_KEYS)
    if unknown:
        raise ScenarioError(f"unknown key(s): {', '.join(unknown)}")
    if not isinstance(scenario["id"], str) or not ID_PATTERN.fullmatch(scenario["id"]):
        raise ScenarioError(f"id must match [a-z0-9-]+, got {scenario['id']!r}")
    rule = RULES.get(scenario["rule"]) if isinstance(scenario["rule"], str) else None
    if rule is None:
        raise ScenarioError(f"unknown rule {scenario['rule']!r}; known rules: {', '.join(RULES)}")
    given, expect = scenario["given"], scenario["expect"]
    if not isinstance(given, dict) or not isinstance(expect, dict) or not expect:
        raise ScenarioError("given must be a mapping (may be empty) and expect a non-empty mapping")
    arguments = _arguments(rule.name, given, rule.inputs)
    unknown_outputs = sorted(str(key) for key in expect if rule.output(str(key)) is None)
    if unknown_outputs:
        known = ", ".join(spec.name for spec in rule.outputs)
        raise ScenarioError(f"unknown output(s) {', '.join(unknown_outputs)} for {rule.name}; outputs: {known}")
    try:
        result = rule.function(**arguments)
    except RuleInputError as error:
        raise ScenarioError(f"input error: {error}") from error
    except Exception as error:  # a bug in a rule must fail this scenario, not stop the run
        raise ScenarioError(f"the rule raised {type(error).__name__}: {error}") from error
    differences = [
        compare_output(spec, expect[spec.name], getattr(result, spec.name))
        for spec in rule.outputs
        if spec.name in expect
    ]
    return "; ".join(difference for difference in differences if difference) or None


def _arguments(rule_name: str, given: Mapping[object, object], inputs: Iterable[InputSpec]) -> dict[str, object]:
    """Check the given inputs against the rule's specs and read them into Python values."""
    specs = {spec.name: spec for spec in inputs}
    unknown = sorted(str(name) for name in given if name not in specs)
    if unknown:
        raise ScenarioError(f"unknown input(s) {', '.join(unknown)} for {rule_name}; inputs: {', '.join(specs)}")
    missing = [name for name, spec in specs.items() if spec.required and name not in given]
    if missing:
        raise ScenarioError(f"missing required input(s) for {rule_name}: {', '.join(missing)}")
    return {str(name): read_input(specs[str(name)], value) for name, value in given.items()}


def collect_files(paths: Iterable[str]) -> list[tuple[str, Path | None, str]]:
    """Expand the paths into scenario files, as (shown name, path or None, error when not usable)."""
    found: list[tuple[str, Path | None, str]] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(path.rglob("*.yaml"))
            if not files:
                found.append((raw, None, "no .yaml files in this folder"))
        elif path.exists():
            files = [path]
        else:
            found.append((raw, None, "no such file or folder"))
            files = []
        for file in files:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                found.append((str(file), file, ""))
    return found


def check(paths: Iterable[str], out: TextIO) -> int:
    """Run every scenario under ``paths``, print one line each and the totals; return the exit status.

    The status is 2 when a file could not be read, else 1 when a scenario failed, else 0.
    """
    passed = failed = file_errors = 0
    for shown, path, problem in collect_files(paths):
        try:
            if path is None:
                raise ScenarioFileError(problem)
            scenarios = load_file(path)
        except ScenarioFileError as error:
            out.write(f"ERROR {shown}: {error}\n")
            file_errors += 1
            continue
        for index in range(len(scenarios)):
            label, failure = scenario_outcome(scenarios, index)
            if failure is None:
                out.write(f"PASS {shown}::{label}\n")
                passed += 1
            else:
                out.write(f"FAIL {shown}::{label}: {failure}\n")
                failed += 1
    out.write(f"{passed} passed, {failed} failed\n")
    if file_errors:
        return 2
    return 1 if failed else 0
