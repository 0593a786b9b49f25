"""Every scenario file in the repository (the public copy and our own) runs through the runner's code path.

The shared folder beside the repository, when present, is run by ``make rules-check`` in CI (``.ci/run``), so a clone
without it still passes ``make test`` (#11 item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from openinburgering.rules.runner import scenario_outcome

from .scenario_cases import OWN_SCENARIOS, PUBLIC_SCENARIOS, SHARED_DIR_ENV, Case, cases, shared_scenarios_dir


def _outcome(case: Case) -> str | None:
    if case.problem is not None:
        return case.problem
    label, failure = scenario_outcome(case.scenarios, case.index)
    return None if failure is None else f"{case.name} ({label}): {failure}"


@pytest.mark.parametrize("case", cases(OWN_SCENARIOS), ids=lambda case: case.name)
def test_own_scenario_passes(case: Case) -> None:
    assert _outcome(case) is None


def test_the_public_scenarios_are_kept_inside_the_repository() -> None:
    names = [case.name for case in cases(PUBLIC_SCENARIOS)]
    assert names[0] == "wi2021-basics.yaml::1"
    assert all(name.startswith("wi2021-basics.yaml::") for name in names)
    assert len(names) == 23


def test_shared_dir_comes_from_the_environment_when_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(SHARED_DIR_ENV, str(tmp_path))
    assert shared_scenarios_dir() == tmp_path / "scenarios"


def test_shared_dir_defaults_to_the_folder_beside_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SHARED_DIR_ENV, raising=False)
    repository = Path(__file__).resolve().parents[2]
    assert shared_scenarios_dir() == repository.parent / "shared" / "scenarios"


def test_a_missing_shared_folder_is_a_failing_case_not_a_skip(tmp_path: Path) -> None:
    (case,) = cases(tmp_path / "absent")
    assert _outcome(case) == f"scenario folder {tmp_path / 'absent'} does not exist"


def test_an_empty_folder_is_a_failing_case(tmp_path: Path) -> None:
    (case,) = cases(tmp_path)
    assert _outcome(case) == f"scenario folder {tmp_path} has no .yaml files"


def test_an_unreadable_file_is_a_failing_case(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("scenarios: {}\n", encoding="utf-8")
    (case,) = cases(tmp_path)
    assert _outcome(case) == f"ERROR {tmp_path / 'bad.yaml'}: expected a mapping with a list under 'scenarios'"


def test_a_failing_scenario_names_file_id_and_difference(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(
        "scenarios:\n  - {id: wrong, rule: retention, given: {plicht_ended_on: 2025-06-30},"
        " expect: {retain_until_on: 2030-07-01}}\n",
        encoding="utf-8",
    )
    (case,) = cases(tmp_path)
    assert _outcome(case) == "one.yaml::1 (wrong): retain_until_on: expected 2030-07-01, got 2030-06-30"
