"""Command line: ``python -m openinburgering.rules check PATH [PATH ...]`` and ``... docs``.

``check`` runs the scenario files (shared/scenarios/README.md): one ``PASS``/``FAIL``/``ERROR`` line each,
then ``N passed, M failed``; exit 0, 1 (a scenario failed) or 2 (a file could not be read). ``docs`` prints
the rules reference; ``docs --write FILE`` updates it inside FILE and ``docs --check FILE`` exits 1 when FILE
is stale.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .docs import render_reference, update_document
from .runner import check

DESCRIPTION = "Run the Wet inburgering 2021 rule scenarios, or print the rules reference."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m openinburgering.rules", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("check", help="run scenario files (.yaml files or folders searched recursively)")
    run.add_argument("paths", nargs="+", metavar="PATH")
    docs = commands.add_parser("docs", help="print the rules reference, or update/check it inside a file")
    target = docs.add_mutually_exclusive_group()
    target.add_argument("--write", metavar="FILE", type=Path, help="update the generated section of FILE")
    target.add_argument("--check", metavar="FILE", type=Path, help="exit 1 when FILE's section is out of date")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    arguments = _parser().parse_args(argv)
    if arguments.command == "check":
        return check(arguments.paths, sys.stdout)
    target: Path | None = arguments.write or arguments.check
    if target is None:
        sys.stdout.write(render_reference())
        return 0
    text = target.read_text(encoding="utf-8")
    fresh = update_document(text)
    if arguments.write is not None:
        target.write_text(fresh, encoding="utf-8")
        return 0
    if fresh != text:
        sys.stdout.write(f"{target} is out of date: run python -m openinburgering.rules docs --write {target}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
