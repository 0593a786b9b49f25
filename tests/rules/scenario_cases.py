"""Turn scenario folders into one pytest parameter per scenario, through the runner's own code path."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from openinburgering.rules.runner import ScenarioFileError, load_file

SHARED_DIR_ENV = "OPENINBURGERING_SHARED_DIR"
"""Points at the ``shared`` folder when it is not beside the repository root."""

OWN_SCENARIOS = Path(__file__).resolve().parent / "scenarios"
"""Every scenario file kept in the repository: our own and, under ``public/``, the copy of the public files."""

PUBLIC_SCENARIOS = OWN_SCENARIOS / "public"


def shared_scenarios_dir() -> Path:
    """``$OPENINBURGERING_SHARED_DIR/scenarios``, else ``shared/scenarios`` beside the repository root."""
    configured = os.environ.get(SHARED_DIR_ENV)
    shared = Path(configured) if configured else Path(__file__).resolve().parents[3] / "shared"
    return shared / "scenarios"


@dataclass(frozen=True)
class Case:
    """One scenario of one file, or a problem that must fail the test (missing folder, unreadable file)."""

    name: str
    scenarios: list[object] = field(default_factory=list)
    index: int = 0
    problem: str | None = None


def cases(folder: Path) -> list[Case]:
    """One case per scenario under ``folder``; a missing or empty folder or a bad file is a failing case."""
    if not folder.is_dir():
        return [Case(name=f"{folder}::missing", problem=f"scenario folder {folder} does not exist")]
    files = sorted(folder.rglob("*.yaml"))
    if not files:
        return [Case(name=f"{folder}::empty", problem=f"scenario folder {folder} has no .yaml files")]
    found: list[Case] = []
    for path in files:
        relative = path.relative_to(folder)
        try:
            scenarios = load_file(path)
        except ScenarioFileError as error:
            found.append(Case(name=f"{relative}::file", problem=f"ERROR {path}: {error}"))
            continue
        found += [Case(f"{relative}::{index + 1}", scenarios, index) for index in range(len(scenarios))]
    return found
