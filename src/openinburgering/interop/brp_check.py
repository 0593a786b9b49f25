"""The periodic BRP check (#17 item 1): every open file of a gemeente is checked against the BRP once a day for a move
out of the gemeente and for a death; each finding becomes a signal on the file ("Controle nodig") for the
klantregisseur. A move is confirmed by a person (``confirm_move``): then the file goes to ``verhuisd``.

- **Data minimisation**: the BRP is asked only ``CHECK_FIELDS`` (BSN, gemeente and date of inschrijving, date of
  death), 20 BSNs per request (the API's maximum), with the gemeente's doelbinding and the verwerking
  ``VERWERKING`` in the protocollering headers.
- **Idempotent**: a finding that already has a signal on the file (open or handled, same kind and date) raises no
  new one, so the daily run and a rerun after a failure change nothing twice.
- **Law from the rules module**: after a move the new gemeente has 10 weeks from the registration there to set the
  PIP (Besluit inburgering 2021 art. 5.3 lid 3, ``rules.pip_deadline`` with ``moved_registered_on``); the signal says
  which day that is, so the warme overdracht can mention it.
- **Audit**: one ``residence_check_completed`` read event per run (how many files were checked, the doelbinding), and
  one ``residence_check_signalled`` per signal, in the transaction that writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError, NotFound

from . import brp
from .connections import connection_for
from .models import System

if TYPE_CHECKING:
    from openinburgering.accounts.models import Gemeente
    from openinburgering.signals.models import FileSignal

CHECK_FIELDS = ("burgerservicenummer", "gemeenteVanInschrijving", "datumInschrijvingInGemeente", "overlijden.datum")
VERWERKING = "Controle verhuizing en overlijden inburgeringsplichtigen"
BATCH = 20
PURPOSE_CHECK = "Uitvoering Wet inburgering 2021: dossiers actueel houden (verhuizing, overlijden)"
MOVED, DIED = "verhuisd", "overleden"


@dataclass(frozen=True)
class Finding:
    client_file_id: int
    kind: str  # MOVED or DIED
    on: date | None
    new_gemeentecode: str = ""
    on_text: str = ""  # the BRP's own wording when the date is incomplete ("2014")


@dataclass
class CheckReport:
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    signals: int = 0

    def summary(self) -> str:
        moved = sum(1 for f in self.findings if f.kind == MOVED)
        died = sum(1 for f in self.findings if f.kind == DIED)
        return (
            f"{self.checked} open dossiers gecontroleerd in de BRP: {moved} verhuisd, {died} overleden; "
            f"{self.signals} nieuwe signalen."
        )


def _date_of(value: Any) -> date | None:
    if isinstance(value, dict) and value.get("type") == "Datum" and value.get("datum"):
        return date.fromisoformat(value["datum"])
    return None


def _text_of(value: Any) -> str:
    return str(value.get("langFormaat") or "") if isinstance(value, dict) else ""


def findings_for(person: dict[str, Any], *, client_file_id: int, own_code: str) -> list[Finding]:
    """What the BRP says about one person that the file does not know yet (pure)."""
    found = []
    death = person.get("overlijden") or {}
    if death:
        found.append(
            Finding(
                client_file_id=client_file_id, kind=DIED, on=_date_of(death.get("datum")),
                on_text=_text_of(death.get("datum")),
            )
        )  # fmt: skip
    code = str((person.get("gemeenteVanInschrijving") or {}).get("code") or "")
    if code and code != own_code and not death:
        found.append(
            Finding(
                client_file_id=client_file_id, kind=MOVED, on=_date_of(person.get("datumInschrijvingInGemeente")),
                new_gemeentecode=code, on_text=_text_of(person.get("datumInschrijvingInGemeente")),
            )
        )  # fmt: skip
    return found


def check_gemeente(
    *, gemeente: Gemeente, progress: Callable[[int, int], None] | None = None, as_of: date | None = None
) -> CheckReport:
    """Checks every open file with a BSN of the gemeente. Raises ApplicationError (Dutch) when the BRP does not
    answer, so the job retries; signals written before that stay (the rerun skips them)."""
    from openinburgering.clients.choices import OPEN_STATUSES
    from openinburgering.clients.models import ClientFile

    report = CheckReport()
    connection = connection_for(gemeente, System.BRP)
    if connection is None:
        return report
    own_code = gemeente.code.upper().removeprefix("GM")
    rows = list(
        ClientFile.objects.filter(gemeente=gemeente, status__in=OPEN_STATUSES)
        .exclude(person__bsn="")
        .order_by("pk")
        .values_list("pk", "person__bsn")
    )
    for start in range(0, len(rows), BATCH):
        batch = {bsn: pk for pk, bsn in rows[start : start + BATCH]}
        persons = brp.fetch_persons(
            gemeente_id=gemeente.pk, bsns=list(batch), fields=CHECK_FIELDS, verwerking=VERWERKING
        )
        for person in persons:
            bsn = person.get("burgerservicenummer")
            if bsn in batch:
                report.findings += findings_for(person, client_file_id=batch[bsn], own_code=own_code)
        report.checked += len(batch)
        if progress is not None:
            progress(report.checked, len(rows))
    report.signals = _raise_signals(gemeente=gemeente, findings=report.findings)
    with transaction.atomic():
        record_event(
            event_type="residence_check_completed", purpose=connection.option("doelbinding") or PURPOSE_CHECK,
            gemeente=gemeente, subject_type="brp_controle", via="job",
            changes={"checked": {"old": None, "new": report.checked},
                     "fields": {"old": None, "new": list(CHECK_FIELDS)},
                     "findings": {"old": None, "new": len(report.findings)}},
        )  # fmt: skip
    return report


def _summary(finding: Finding, kennisgeving_on: date | None) -> tuple[str, dict[str, Any]]:
    on_text = f"{finding.on:%d-%m-%Y}" if finding.on else (finding.on_text or "een onbekende datum")
    data: dict[str, Any] = {
        "brp_check": finding.kind, "datum": finding.on.isoformat() if finding.on else finding.on_text,
    }  # fmt: skip
    if finding.kind == DIED:
        return (
            f"Volgens de BRP is de inburgeraar overleden ({on_text}). Controleer dit en beëindig het dossier.",
            data,
        )
    data["nieuwe_gemeentecode"] = finding.new_gemeentecode
    text = (
        f"Volgens de BRP woont de inburgeraar sinds {on_text} in gemeente GM{finding.new_gemeentecode}. "
        "Bevestig de verhuizing: dan gaat het dossier naar 'Verhuisd'."
    )
    if finding.on is not None:
        due = rules.pip_deadline(kennisgeving_on=kennisgeving_on or finding.on, moved_registered_on=finding.on)
        if due.pip_due_on is not None:
            data["pip_due_on_new_gemeente"] = due.pip_due_on.isoformat()
            text += (
                f" De nieuwe gemeente moet het PIP uiterlijk {due.pip_due_on:%d-%m-%Y} vaststellen "
                "(10 weken na de inschrijving, Besluit inburgering 2021 artikel 5.3 lid 3)."
            )
    return text, data


def _raise_signals(*, gemeente: Gemeente, findings: list[Finding]) -> int:
    from openinburgering.clients.models import ClientFile
    from openinburgering.signals.choices import FileSignalKind
    from openinburgering.signals.models import FileSignal
    from openinburgering.signals.system import system_actor

    if not findings:
        return 0
    files = ClientFile.objects.in_bulk([f.client_file_id for f in findings])
    known = {
        (row["client_file_id"], row["data__brp_check"], row["data__datum"])
        for row in FileSignal.objects.filter(
            client_file_id__in=list(files), kind=FileSignalKind.REVIEW_NEEDED, data__has_key="brp_check"
        ).values("client_file_id", "data__brp_check", "data__datum")
    }
    actor = system_actor(gemeente)
    written = 0
    for finding in findings:
        client_file = files[finding.client_file_id]
        summary, data = _summary(finding, client_file.kennisgeving_on)
        if (finding.client_file_id, data["brp_check"], data["datum"]) in known:
            continue
        with transaction.atomic():
            signal = FileSignal.objects.create(
                gemeente=gemeente, client_file=client_file, kind=FileSignalKind.REVIEW_NEEDED, summary=summary,
                data=data,
            )  # fmt: skip
            record_event(
                actor=actor, event_type="residence_check_signalled", purpose=PURPOSE_CHECK, client_file=client_file,
                subject=signal, changes={key: {"old": None, "new": value} for key, value in data.items()}, via="job",
            )  # fmt: skip
        written += 1
    return written


def is_move_signal(signal: FileSignal) -> bool:
    return signal.resolved_at is None and (signal.data or {}).get("brp_check") == MOVED


@transaction.atomic
def confirm_move(*, actor: Actor, file_signal_id: int, via: str = "ui") -> FileSignal:
    """The klantregisseur confirms a move the BRP check found: the file goes to ``verhuisd`` (status history and
    audit through the clients service) and the signal is handled. 404 for a signal of another gemeente, one that is
    not an open move, or a file the actor may not change."""
    from openinburgering.clients.access import access_client_file
    from openinburgering.clients.services import change_status
    from openinburgering.signals.models import FileSignal
    from openinburgering.signals.services import resolve_file_signal

    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    signal = FileSignal.objects.filter(pk=file_signal_id, gemeente_id=actor.gemeente_id).first()
    if signal is None or not is_move_signal(signal):
        raise NotFound()
    client_file = access_client_file(actor, signal.client_file_id, section=Section.BASIS, for_write=True)
    if not client_file.is_open:
        raise ApplicationError("Dit dossier is al gesloten.")
    code, on = signal.data.get("nieuwe_gemeentecode", ""), signal.data.get("datum", "")
    when = f" op {date.fromisoformat(on):%d-%m-%Y}" if len(on) == 10 else ""
    change_status(
        actor=actor, client_file=client_file, to_status="verhuisd", via=via,
        reason=f"BRP: verhuisd naar gemeente GM{code}{when} (bevestigd).",
    )  # fmt: skip
    return resolve_file_signal(
        actor=actor, file_signal=signal, via=via, resolution=f"Verhuizing naar GM{code} bevestigd; dossier verhuisd."
    )
