"""The hand-written docs keep their shape: links resolve, ADRs follow the template, bench markers end the README."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC_FILES = sorted([REPO / "README.md", *(REPO / "docs").rglob("*.md")])
ADR_FILES = sorted((REPO / "docs" / "adr").glob("[0-9][0-9][0-9][0-9]-*.md"))

_LINK = re.compile(r"\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```.*?^```", flags=re.MULTILINE | re.DOTALL)


def local_link_targets(path: Path) -> list[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    targets = []
    for target in _LINK.findall(text):
        if target.startswith(("http://", "https://", "mailto:", "#")):
            continue
        targets.append(target.split("#", 1)[0])
    return targets


def test_every_relative_link_in_the_docs_points_at_an_existing_file():
    broken = [
        f"{path.relative_to(REPO)} -> {target}"
        for path in DOC_FILES
        for target in local_link_targets(path)
        if not (path.parent / target).exists()
    ]
    assert broken == []


def test_the_first_three_adrs_exist():
    assert [path.name for path in ADR_FILES[:3]] == [
        "0001-stack.md",
        "0002-tenancy-model.md",
        "0003-audit-design.md",
    ]


def test_every_adr_has_a_numbered_title_and_the_four_sections():
    for path in ADR_FILES:
        text = path.read_text(encoding="utf-8")
        number = path.name[:4]
        assert text.startswith(f"# {number}. "), path.name
        for section in ("Status", "## Context", "## Decision", "## Consequences"):
            assert section in text, f"{path.name}: missing {section}"


def test_readme_ends_with_the_bench_markers():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("<!-- bench:start -->")
    assert text.rstrip().endswith("<!-- bench:end -->")
    assert text.count("<!-- bench:start -->") == 1
    assert text.count("<!-- bench:end -->") == 1
    assert start < text.index("<!-- bench:end -->")


def test_readme_quickstart_is_the_two_make_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    quickstart = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    first_block = quickstart.split("```sh\n", 1)[1].split("```", 1)[0]
    assert first_block == "make run\nmake test\n"
