"""``python -m django apply_retention [--dry-run]``: the daily retention job (issue #12 item 5, docs/retention.md).

Files whose plicht ended more than five years ago (``rules.retention``, Besluit inburgering 2021 art. 9.9 lid 1
sub a) are destroyed: their personal data goes, a skeleton without personal data and a DestructionRecord stay.
``--dry-run`` prints the same report and changes nothing. Files on a legal hold and files still open are listed,
never destroyed. Idempotent: a second run destroys nothing new. Exit status 0 when done.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openinburgering.accounts.models import Gemeente
from openinburgering.core.dates import today
from openinburgering.retention.destruction import LABELS
from openinburgering.retention.models import BASIS_LID_1_SUB_A
from openinburgering.retention.services import RetentionReport, apply_retention


def _ids(ids: list[int]) -> str:
    return ", ".join(str(pk) for pk in ids)


def render_report(report: RetentionReport) -> list[str]:
    """The report in Dutch, one gemeente at a time (ids only, never names or BSNs)."""
    mode = "PROEFDRAAI: er is niets gewijzigd" if report.dry_run else "uitgevoerd"
    lines = [f"Bewaartermijn ({BASIS_LID_1_SUB_A}), peildatum {report.as_of.isoformat()}, {mode}."]
    if not report.gemeenten:
        lines.append("Geen dossiers over de bewaartermijn.")
    for code in sorted(report.gemeenten):
        part = report.gemeenten[code]
        done = f"{len(part.destroyable)} te vernietigen" if report.dry_run else f"{len(part.destroyed)} vernietigd"
        lines.append(f"{part.code} {part.name}: {part.past_retention} over de bewaartermijn, {done}.")
        if part.on_hold:
            lines.append(f"  Legal hold, niet vernietigd: {len(part.on_hold)} (dossier {_ids(part.on_hold)})")
        if part.still_open:
            lines.append(
                f"  Nog open (voldaan of vrijgesteld, niet afgesloten), niet vernietigd: {len(part.still_open)} "
                f"(dossier {_ids(part.still_open)})"
            )
        for category, count in part.rows.items():
            if count:
                lines.append(f"  {LABELS[category]}: {count}")
    done = "te vernietigen" if report.dry_run else "vernietigd"
    for what, files in (
        ("betaalbestanden (SEPA) over de bewaartermijn (AWR art. 52 lid 4)", report.payment_files),
        ("CBS-bestanden over de bewaartermijn (twee jaar na het kwartaal)", report.cbs_files),
    ):
        lines.extend(
            f"{code}: {what}, {done}: {len(files[code])} (bestand {_ids(files[code])})" for code in sorted(files)
        )
    return lines


class Command(BaseCommand):
    help = "Destroys client files past their retention date (B 9.9); --dry-run only reports. Daily; idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="report what would be destroyed; change nothing")
        parser.add_argument("--gemeente", default="", help="only this gemeente (CBS code, e.g. GM0392)")
        parser.add_argument("--batch-size", type=int, default=100, help="files read per batch (default 100)")
        parser.add_argument("--as-of", default="", help="peildatum YYYY-MM-DD (default: today); for a dry run")

    def handle(self, *args: Any, **options: Any) -> None:
        gemeente = None
        code = str(options["gemeente"] or "").upper()
        if code:
            gemeente = Gemeente.objects.filter(code=code).first()
            if gemeente is None:
                raise CommandError(f"Onbekende gemeente {code!r} (verwacht een CBS-code zoals GM0392).")
        batch_size = int(options["batch_size"])
        if batch_size < 1:
            raise CommandError("--batch-size moet minstens 1 zijn.")
        dry_run = bool(options["dry_run"])
        as_of = today()
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(str(options["as_of"]))
            except ValueError:
                raise CommandError("--as-of moet een datum zijn als 2031-03-02.") from None
            if as_of > today() and not dry_run:
                raise CommandError("Een peildatum in de toekomst kan alleen met --dry-run.")

        def progress(done: int, destroyed: int) -> None:
            if int(options.get("verbosity", 1)) >= 2:
                self.stderr.write(f"  {done} dossiers bekeken, {destroyed} vernietigd")

        report = apply_retention(
            as_of=as_of,
            dry_run=dry_run,
            gemeente_id=gemeente.pk if gemeente else None,
            batch_size=batch_size,
            progress=progress,
        )
        for line in render_report(report):
            self.stdout.write(line)
