"""docs/privacy.md names every processing activity of the register and every section of a file."""

from __future__ import annotations

from pathlib import Path

from openinburgering.accounts.sections import Section
from openinburgering.audit.processing import ACTIVITIES

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"


def test_the_privacy_page_lists_every_activity_with_its_legal_basis() -> None:
    text = DOC.read_text(encoding="utf-8")
    for activity in ACTIVITIES:
        assert f"**{activity.name}** (`{activity.code}`) | {activity.purpose} | {activity.legal_basis} |" in text


def test_the_privacy_page_describes_every_section() -> None:
    text = DOC.read_text(encoding="utf-8")
    for section in Section:
        assert f"| `{section.value}` |" in text
