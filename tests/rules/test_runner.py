"""The runner's contract (shared/scenarios/README.md): lines, totals, exit status, and clear failures."""

from __future__ import annotations

import dataclasses
import os
import runpy
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from openinburgering.rules import RULES
from openinburgering.rules.__main__ import main
from openinburgering.rules.registry import Kind, OutputSpec
from openinburgering.rules.runner import compare_output, run_scenario, scenario_label

GOOD = """\
scenarios:
  - id: retention-basic
    rule: retention
    given: {plicht_ended_on: 2025-06-30}
    expect: {retain_until_on: 2030-06-30}
  - id: pip-deadline
    rule: pip_deadline
    given: {kennisgeving_on: '2025-03-03'}
    expect: {pip_due_on: '2025-05-12', basis: kennisgeving}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *paths: Path | str) -> tuple[int, list[str]]:
    status = main(["check", *map(str, paths)])
    return status, capsys.readouterr().out.splitlines()


def one(rule: str, given: str, expect: str, scenario_id: str = "case") -> str:
    return f"scenarios:\n  - id: {scenario_id}\n    rule: {rule}\n    given: {given}\n    expect: {expect}\n"


def failure_of(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> str:
    """Run a one-scenario file and return the text after ``FAIL <file>::<id>: ``."""
    path = write(tmp_path, "case.yaml", text)
    status, lines = run(capsys, path)
    assert status == 1
    assert lines[-1] == "0 passed, 1 failed"
    prefix = f"FAIL {path}::"
    assert lines[0].startswith(prefix)
    return lines[0].removeprefix(prefix).split(": ", 1)[1]


def test_passing_file_prints_pass_lines_and_totals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "good.yaml", GOOD)
    assert run(capsys, path) == (
        0,
        [f"PASS {path}::retention-basic", f"PASS {path}::pip-deadline", "2 passed, 0 failed"],
    )


def test_folders_are_searched_recursively_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "b/nested.yaml", one("retention", "{plicht_ended_on: 2025-06-30}", "{core_max_years: 50}"))
    write(tmp_path, "a.yaml", one("retention", "{plicht_ended_on: 2025-06-30}", "{core_max_years: 50}"))
    write(tmp_path, "ignored.yml", "not: scenarios")
    assert run(capsys, tmp_path) == (
        0,
        [
            f"PASS {tmp_path / 'a.yaml'}::case",
            f"PASS {tmp_path / 'b' / 'nested.yaml'}::case",
            "2 passed, 0 failed",
        ],
    )


def test_a_file_given_twice_runs_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "good.yaml", GOOD)
    status, lines = run(capsys, path, tmp_path)
    assert (status, lines[-1], len(lines)) == (0, "2 passed, 0 failed", 3)


def test_difference_names_each_key_with_expected_and_actual(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = one(
        "pip_deadline",
        "{kennisgeving_on: 2025-03-01}",
        "{pip_due_on: 2025-05-10, pip_due_on_unshifted: 2025-05-10, basis: move}",
    )
    assert (
        failure_of(tmp_path, capsys, text)
        == "pip_due_on: expected 2025-05-10, got 2025-05-12; basis: expected move, got kennisgeving"
    )


def test_a_failure_and_an_unreadable_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    failing = write(tmp_path, "a.yaml", one("retention", "{plicht_ended_on: 2025-06-30}", "{core_max_years: 5}"))
    broken = write(tmp_path, "b.yaml", "scenarios: [\n")
    good = write(tmp_path, "c.yaml", GOOD)
    status, lines = run(capsys, tmp_path)
    assert status == 2
    assert lines[0] == f"FAIL {failing}::case: core_max_years: expected 5, got 50"
    assert lines[1].startswith(f"ERROR {broken}: not valid YAML (")
    assert lines[2:] == [f"PASS {good}::retention-basic", f"PASS {good}::pip-deadline", "2 passed, 1 failed"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("- just a list\n", "expected a mapping with a list under 'scenarios'"),
        ("", "expected a mapping with a list under 'scenarios'"),
        ("scenarios: nope\n", "expected a mapping with a list under 'scenarios'"),
        ("scenarios:\n  - id: a\n  - just text\n", "scenario #2 is not a mapping"),
        ("scenarios:\n  - {id: a, id: b}\n", "not valid YAML (duplicate key id"),
        (
            "scenarios:\n  - {id: a, rule: [x], given: {}, expect: {}}\n  - {[1]: x}\n",
            "not valid YAML (while",
        ),
    ],
)
def test_misshapen_files_print_error_and_count_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, reason: str
) -> None:
    path = write(tmp_path, "bad.yaml", text)
    status, lines = run(capsys, path)
    assert status == 2
    assert lines[0].startswith(f"ERROR {path}: {reason}")
    assert lines[1:] == ["0 passed, 0 failed"]


def test_a_file_that_is_not_utf8_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"scenarios: []\n# caf\xe9\n")
    status, lines = run(capsys, path)
    assert status == 2
    assert lines[0].startswith(f"ERROR {path}: cannot read the file (")


def test_missing_path_and_empty_folder_are_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(capsys, tmp_path / "absent.yaml", empty) == (
        2,
        [
            f"ERROR {tmp_path / 'absent.yaml'}: no such file or folder",
            f"ERROR {empty}: no .yaml files in this folder",
            "0 passed, 0 failed",
        ],
    )


def test_an_empty_scenario_list_passes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, write(tmp_path, "none.yaml", "scenarios: []\n")) == (0, ["0 passed, 0 failed"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scenarios:\n  - {id: x, rule: retention, given: {}}\n", "missing key(s): expect"),
        ("scenarios:\n  - {rule: retention, given: {}, expect: {a: 1}}\n", "missing key(s): id"),
        (
            "scenarios:\n  - {id: x, rule: retention, given: {}, expect: {a: 1}, expected: {}}\n",
            "unknown key(s): expected",
        ),
        (
            "scenarios:\n  - {id: Bad_Id, rule: retention, given: {}, expect: {a: 1}}\n",
            "id must match [a-z0-9-]+, got 'Bad_Id'",
        ),
        ("scenarios:\n  - {id: x, rule: 7, given: {}, expect: {a: 1}}\n", "unknown rule 7; known rules: "),
        ("scenarios:\n  - {id: x, rule: retention, given: [], expect: {a: 1}}\n", "given must be a mapping"),
        ("scenarios:\n  - {id: x, rule: retention, given: {}, expect: {}}\n", "given must be a mapping"),
    ],
)
def test_malformed_scenarios_fail_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = write(tmp_path, "case.yaml", text + GOOD.removeprefix("scenarios:\n"))
    status, lines = run(capsys, path)
    assert status == 1
    assert lines[0].split(": ", 1)[1].startswith(message)
    assert lines[1:] == [f"PASS {path}::retention-basic", f"PASS {path}::pip-deadline", "2 passed, 1 failed"]


def test_scenario_without_id_is_labelled_by_its_position(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "case.yaml", GOOD + "  - {rule: retention, given: {}, expect: {a: 1}}\n")
    status, lines = run(capsys, path)
    assert (status, lines[2]) == (1, f"FAIL {path}::#3: missing key(s): id")


def test_duplicate_id_fails_the_second_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "case.yaml", GOOD + GOOD.removeprefix("scenarios:\n"))
    status, lines = run(capsys, path)
    assert status == 1
    assert lines[2:] == [
        f"FAIL {path}::retention-basic: duplicate id 'retention-basic' in this file",
        f"FAIL {path}::pip-deadline: duplicate id 'pip-deadline' in this file",
        "2 passed, 2 failed",
    ]


def test_unknown_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    message = failure_of(tmp_path, capsys, one("pip_dedline", "{}", "{basis: move}"))
    assert message == f"unknown rule 'pip_dedline'; known rules: {', '.join(RULES)}"


def test_unknown_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    message = failure_of(tmp_path, capsys, one("retention", "{plicht_ended_on: 2025-01-01, when: 1}", "{a: 1}"))
    assert message == "unknown input(s) when for retention; inputs: plicht_ended_on"


def test_missing_required_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    message = failure_of(tmp_path, capsys, one("route_switch", "{from_route: b1, to_route: z}", "{allowed: true}"))
    assert message == "missing required input(s) for route_switch: termijn_start_on, decided_on"


def test_input_needed_only_on_a_branch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    given = "{plichtig_wi2021: true, residence: asiel, receives_bijstand: true}"
    message = failure_of(tmp_path, capsys, one("ontzorgen", given, "{applies: true}"))
    assert message == "input error: missing input: bijstand_start_on is needed when receives_bijstand is true"


def test_unknown_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    message = failure_of(tmp_path, capsys, one("retention", "{plicht_ended_on: 2025-01-01}", "{delete_on: 1}"))
    assert message == "unknown output(s) delete_on for retention; outputs: retain_until_on, core_max_years"


def test_rule_input_error_fails_the_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    message = failure_of(tmp_path, capsys, one("lbt_outcome", "{score: 41}", "{outcome: onbekend}"))
    assert message == "input error: score must be between 0 and 40, got 41"


def test_a_crashing_rule_fails_only_its_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(**_: object) -> object:
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(RULES, "retention", dataclasses.replace(RULES["retention"], function=crash))
    path = write(tmp_path, "case.yaml", GOOD)
    assert run(capsys, path) == (
        1,
        [
            f"FAIL {path}::retention-basic: the rule raised ZeroDivisionError: boom",
            f"PASS {path}::pip-deadline",
            "1 passed, 1 failed",
        ],
    )


REQUIRED = {
    "retention": {"plicht_ended_on": "2025-01-01"},
    "lbt_outcome": {},
    "afschalen": {
        "leerroute": "b1",
        "nt2_course_hours": "600",
        "sufficient_effort": "true",
        "b1_reachable_in_termijn": "false",
    },
    "fine_intake": {},
    "intake_next_step": {},
    "termijn": {"pip_dagtekening_on": "2025-01-01"},
    "voldaan": {"leerroute": "b1", "doelgroep": "overig"},
    "fine_pip": {"culpability": "opzet", "established_on": "2025-01-01"},
}
"""The required inputs of each rule in WRONG_TYPES, so that only the wrong one fails."""

WRONG_TYPES = [
    ("retention", "plicht_ended_on", "2025-13-01", "a date (YYYY-MM-DD)"),
    ("retention", "plicht_ended_on", "2025-02-29", "a date (YYYY-MM-DD)"),
    ("retention", "plicht_ended_on", "20250101", "a date (YYYY-MM-DD)"),
    ("retention", "plicht_ended_on", "2025-01-01 10:00:00", "a date (YYYY-MM-DD)"),
    ("retention", "plicht_ended_on", "null", "a date (YYYY-MM-DD)"),
    ("retention", "plicht_ended_on", "5", "a date (YYYY-MM-DD)"),
    ("lbt_outcome", "taken_on", "yesterday", "a date (YYYY-MM-DD) or null"),
    ("lbt_outcome", "visual_impairment", "'yes'", "true or false"),
    ("lbt_outcome", "score", "true", "an integer or null"),
    ("lbt_outcome", "score", "28.0", "an integer or null"),
    ("afschalen", "nt2_course_hours", "'600'", "a number"),
    ("afschalen", "nt2_course_hours", "true", "a number"),
    ("fine_intake", "fines_total", "true", "an amount of money"),
    ("fine_intake", "fines_total", "abc", "an amount of money"),
    ("fine_intake", "fines_total", ".nan", "an amount of money"),
    ("fine_intake", "fines_total", "[1]", "an amount of money"),
    ("afschalen", "leerroute", "B", "one of b1, onderwijs, z"),
    ("afschalen", "leerroute", "1", "one of b1, onderwijs, z"),
    (
        "intake_next_step",
        "calls",
        "no_show",
        "a list of: pending, appeared, no_show, insufficient_cooperation",
    ),
    (
        "intake_next_step",
        "calls",
        "[no-show]",
        "a list of: pending, appeared, no_show, insufficient_cooperation",
    ),
    ("termijn", "extensions_months", "6", "a list of integers"),
    ("termijn", "extensions_months", "[true]", "a list of integers"),
    ("voldaan", "exams_passed", "[lezen]", "a mapping of exam part to level (knm: true/false) or null"),
    ("voldaan", "exams_passed", "{dutch: B1}", "a mapping of exam part to level (knm: true/false) or null"),
    ("voldaan", "exams_passed", "{knm: B1}", "a mapping of exam part to level (knm: true/false) or null"),
    ("voldaan", "exams_passed", "{lezen: true}", "a mapping of exam part to level (knm: true/false) or null"),
    ("voldaan", "exams_passed", "{lezen: C1}", "a mapping of exam part to level (knm: true/false) or null"),
    (
        "fine_pip",
        "previous_w23",
        "{established_on: 2025-01-01, final: true}",
        "a list of {established_on, final}",
    ),
    ("fine_pip", "previous_w23", "[2025-01-01]", "a list of {established_on, final}"),
    ("fine_pip", "previous_w23", "[{established_on: 2025-01-01}]", "a list of {established_on, final}"),
    (
        "fine_pip",
        "previous_w23",
        "[{established_on: 2025-01-01, final: 1}]",
        "a list of {established_on, final}",
    ),
    (
        "fine_pip",
        "previous_w23",
        "[{established_on: soon, final: true}]",
        "a list of {established_on, final}",
    ),
]


@pytest.mark.parametrize(("rule", "name", "value", "expected"), WRONG_TYPES)
def test_wrong_input_type_fails_the_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rule: str, name: str, value: str, expected: str
) -> None:
    given = {**REQUIRED[rule], name: value}
    text = one(rule, "{" + ", ".join(f"{key}: {item}" for key, item in given.items()) + "}", "{x: 1}")
    path = write(tmp_path, "case.yaml", text)
    status, lines = run(capsys, path)
    assert status == 1
    message = lines[0].removeprefix(f"FAIL {path}::case: ")
    assert message.startswith(f"input {name}: wrong type, expected {expected}, got ")


UNCOMPARABLE = [
    (
        "retention",
        "{plicht_ended_on: 2025-06-30}",
        "{retain_until_on: soon}",
        "retain_until_on",
        "a date (YYYY-MM-DD)",
        "'soon'",
    ),
    ("lbt_outcome", "{}", "{threshold: '28'}", "threshold", "an integer or null", "'28'"),
    (
        "lbt_outcome",
        "{}",
        "{outcome: unknown}",
        "outcome",
        "one of ontheffing, haalbaar, niet_haalbaar, onbekend",
        "'unknown'",
    ),
    (
        "intake_next_step",
        "{}",
        "{next_step: [none]}",
        "next_step",
        "one of first_call, none, wait, warning_and_repeat_call, fine_and_new_term, fine_and_intake_in_absence",
        "['none']",
    ),
    (
        "afschalen",
        "{leerroute: z, nt2_course_hours: 1, sufficient_effort: true, b1_reachable_in_termijn: true}",
        "{allowed: 0}",
        "allowed",
        "true or false",
        "0",
    ),
    ("intake_next_step", "{}", "{fine: free}", "fine", "an amount of money", "'free'"),
]


@pytest.mark.parametrize(("rule", "given", "expect", "name", "wanted", "shown"), UNCOMPARABLE)
def test_uncomparable_expectation_fails_clearly(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rule: str,
    given: str,
    expect: str,
    name: str,
    wanted: str,
    shown: str,
) -> None:
    message = failure_of(tmp_path, capsys, one(rule, given, expect))
    assert message == f"{name}: cannot compare, expected must be {wanted}, got {shown}"


def test_values_are_shown_the_way_scenarios_write_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    given = "{leerroute: b1, level: A2, first_pip: true, doelgroep: overig, estimated_b1_intensity: 10}"
    expect = "{valid: true, errors: [], effective_level: null}"
    assert failure_of(tmp_path, capsys, one("pip_validation", given, expect)) == (
        "valid: expected true, got false; errors: expected [], got"
        " [a2_not_on_first_b1_pip, intensity_only_b1_asiel]; effective_level: expected null, got A2"
    )


def test_null_expectation_against_a_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    message = failure_of(tmp_path, capsys, one("pip_deadline", "{kennisgeving_on: 2025-03-03}", "{pip_due_on: null}"))
    assert message == "pip_due_on: expected null, got 2025-05-12"


def test_money_compares_as_decimal_with_two_places() -> None:
    spec = OutputSpec("fine", Kind.MONEY, nullable=False)
    assert compare_output(spec, 250, Decimal("250.00")) is None
    assert compare_output(spec, "250.004", Decimal("250.00")) is None
    assert compare_output(spec, "250.01", Decimal("250.00")) == "fine: expected 250.01, got 250.00"


def test_code_lists_compare_as_sets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    given = "{leerroute: z, doelgroep: asielstatushouder}"
    expect = "{missing: [z_final_interview, z_participation_hours, z_course_hours, map, pvt, pvt]}"
    path = write(tmp_path, "case.yaml", one("voldaan", given, expect))
    assert run(capsys, path) == (0, [f"PASS {path}::case", "1 passed, 0 failed"])


def test_run_scenario_rejects_a_non_mapping() -> None:
    assert run_scenario(["not", "a", "mapping"]) == "a scenario must be a mapping"


def test_scenario_label_falls_back_to_position() -> None:
    assert (scenario_label({"id": "a"}, 1), scenario_label({"id": ""}, 2), scenario_label("x", 3)) == (
        "a",
        "#2",
        "#3",
    )


def test_no_arguments_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check"])
    assert exit_info.value.code == 2
    assert "the following arguments are required: PATH" in capsys.readouterr().err


def test_module_entry_point_runs_main(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "good.yaml", GOOD)
    monkeypatch.setattr(sys, "argv", ["python -m openinburgering.rules", "check", str(path)])
    monkeypatch.delitem(sys.modules, "openinburgering.rules.__main__", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("openinburgering.rules", run_name="__main__")
    assert exit_info.value.code == 0


def test_command_line_without_django_settings(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", GOOD)
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    completed = subprocess.run(
        [sys.executable, "-m", "openinburgering.rules", "check", str(good)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        cwd=tmp_path,
    )
    assert (completed.returncode, completed.stdout.splitlines()[-1], completed.stderr) == (
        0,
        "2 passed, 0 failed",
        "",
    )


def test_importing_the_rules_imports_no_django() -> None:
    code = "import sys, openinburgering.rules; print(sorted(m for m in sys.modules if m.startswith('django')))"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout == "[]\n"
