"""Print the audit event catalogue as Markdown, or write it to docs/reference/audit-events.md (`--write`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from openinburgering.audit.catalogue import render_markdown

REFERENCE_PATH = Path("docs") / "reference" / "audit-events.md"


class Command(BaseCommand):
    help = "Print the audit event catalogue as Markdown; --write updates docs/reference/audit-events.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--write",
            action="store_true",
            help="Write the catalogue to docs/reference/audit-events.md instead of printing it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = render_markdown()
        if not options["write"]:
            self.stdout.write(text, ending="")
            return
        path = Path(settings.BASE_DIR) / REFERENCE_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {REFERENCE_PATH}")
