"""DUO's termijn message (SS102) against the file's PIP (W 11, 12; B 4.4): an extension DUO decided is recorded as
one (no 'termijn wijkt af' signal); a termijn that does not fit the PIP's dagtekening still raises the signal.
Messages go in through the real DUO import, as DUO's Inburgeringstermijn API would deliver them."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from openinburgering.clients.deadlines import NextDeadline, next_deadline
from openinburgering.clients.models import ClientFile
from openinburgering.signals.choices import FileSignalKind
from openinburgering.signals.models import FileSignal
from openinburgering.signals.services import import_duo_events
from tests.signals.builders import duo_event

pytestmark = pytest.mark.django_db

# PIP dagtekening 2 March 2023: the termijn runs from 3 March 2023 up to and including 2 March 2026, DUO's
# exclusive einddatum is 3 March 2026 (rules.termijn).
DAGTEKENING = date(2023, 3, 2)


def _file(make_file: Callable[..., ClientFile]) -> ClientFile:
    client_file = make_file(assigned_to="kim")
    ClientFile.objects.filter(pk=client_file.pk).update(status="in_traject", pip_dagtekening_on=DAGTEKENING)
    return ClientFile.objects.get(pk=client_file.pk)


def _report(actor: Any, client_file: ClientFile, bericht_id: str, start: str, end: str) -> list[FileSignal]:
    before = set(FileSignal.objects.filter(client_file=client_file).values_list("pk", flat=True))
    event = duo_event("SS102", bericht_id=bericht_id, bsn=client_file.person.bsn,
                      inburgeringstermijn={"startdatum": start, "einddatum": end})  # fmt: skip
    report = import_duo_events(actor=actor, events=[event], via="api")
    assert report.results[0].result == "applied", report.results[0].reason
    return list(FileSignal.objects.filter(client_file=client_file).exclude(pk__in=before).order_by("pk"))


def test_the_plain_termijn_is_recorded_without_a_mismatch(actor: Callable[..., Any], make_file: Any) -> None:
    client_file = _file(make_file)
    signals = _report(actor("kim"), client_file, "plain", "2023-03-03", "2026-03-03")
    assert [s.kind for s in signals] == [FileSignalKind.TERMIJN_STARTED]
    assert "verlenging_maanden" not in signals[0].data
    assert signals[0].summary.startswith("DUO: de inburgeringstermijn loopt van 03-03-2023 tot 03-03-2026")


def test_an_extension_duo_decided_is_recorded_as_an_extension_not_as_a_mismatch(
    actor: Callable[..., Any], make_file: Any
) -> None:
    client_file = _file(make_file)
    kim = actor("kim")
    _report(kim, client_file, "first", "2023-03-03", "2026-03-03")
    signals = _report(kim, client_file, "verlengd", "2023-03-03", "2026-09-03")  # six months more (B 4.4)
    assert [s.kind for s in signals] == [FileSignalKind.TERMIJN_STARTED]
    assert signals[0].data == {"startdatum": "2023-03-03", "einddatum": "2026-09-03", "verlenging_maanden": 6}
    assert signals[0].summary == (
        "DUO heeft de inburgeringstermijn verlengd met 6 maanden. De termijn loopt nu tot en met 02-09-2026."
    )
    one = _report(kim, client_file, "een-maand", "2023-03-03", "2026-04-03")
    assert [(s.kind, s.data["verlenging_maanden"]) for s in one] == [(FileSignalKind.TERMIJN_STARTED, 1)]
    assert "verlengd met 1 maand." in one[0].summary
    assert not FileSignal.objects.filter(client_file=client_file, kind=FileSignalKind.TERMIJN_MISMATCH).exists()
    assert not FileSignal.objects.filter(client_file=client_file, kind=FileSignalKind.REVIEW_NEEDED).exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2023-03-03", "2026-03-20"),  # not the PIP's termijn plus whole months
        ("2023-03-03", "2026-02-03"),  # shorter than the PIP's termijn
        ("2023-04-03", "2026-04-03"),  # another start: a different dagtekening, not an extension
    ],
)
def test_a_termijn_that_does_not_fit_the_pip_still_raises_the_mismatch(
    actor: Callable[..., Any], make_file: Any, start: str, end: str
) -> None:
    client_file = _file(make_file)
    signals = _report(actor("kim"), client_file, "odd", start, end)
    assert [s.kind for s in signals] == [FileSignalKind.TERMIJN_STARTED, FileSignalKind.TERMIJN_MISMATCH]
    assert "verlenging_maanden" not in signals[0].data
    assert signals[1].data["rules_duo_einddatum"] == "2026-03-03"
    assert signals[1].summary.startswith(f"De termijn van DUO ({date.fromisoformat(start):%d-%m-%Y} tot ")


def test_the_files_next_step_follows_the_termijn_duo_reports_and_its_retraction(
    actor: Callable[..., Any], make_file: Any
) -> None:
    # The caseload and the file page show the stored next step (clients.deadlines): the end of the termijn.
    client_file = _file(make_file)
    kim = actor("kim")
    _report(kim, client_file, "first", "2023-03-03", "2026-03-03")
    client_file.refresh_from_db()
    assert (client_file.next_deadline_kind, client_file.next_deadline_on) == ("termijn_ends", date(2026, 3, 2))
    _report(kim, client_file, "verlengd", "2023-03-03", "2026-09-03")  # extended by six months
    client_file.refresh_from_db()
    assert (client_file.next_deadline_kind, client_file.next_deadline_on) == ("termijn_ends", date(2026, 9, 2))
    assert next_deadline(client_file, as_of=date(2026, 6, 1)) == NextDeadline(date(2026, 9, 2), "termijn_ends")

    report = import_duo_events(actor=kim, events=[
        {"berichtId": "verlengd-weg", "intrekkingVan": "verlengd", "bsn": client_file.person.bsn,
         "registratieDatumTijd": "2026-01-06T09:00:00+01:00"},
    ], via="api")  # fmt: skip
    assert report.results[0].result == "applied", report.results[0].reason
    client_file.refresh_from_db()
    assert (client_file.next_deadline_kind, client_file.next_deadline_on) == ("termijn_ends", date(2026, 3, 2))

    # A termijn that does not fit the PIP is a mismatch for a person to look at, never an extension.
    _report(kim, client_file, "odd", "2023-03-03", "2026-09-20")
    client_file.refresh_from_db()
    assert client_file.next_deadline_on == date(2026, 3, 2)


def _stored(client_file: ClientFile) -> tuple[date | None, date | None]:
    client_file.refresh_from_db()
    return client_file.duo_termijn_start_on, client_file.duo_termijn_einddatum_on


def _retract(actor: Any, client_file: ClientFile, bericht_id: str) -> None:
    report = import_duo_events(actor=actor, events=[
        {"berichtId": f"{bericht_id}-weg", "intrekkingVan": bericht_id, "bsn": client_file.person.bsn,
         "registratieDatumTijd": "2026-01-06T09:00:00+01:00"},
    ], via="api")  # fmt: skip
    assert report.results[0].result == "applied", report.results[0].reason


def test_the_file_keeps_the_newest_termijn_duo_did_not_retract(actor: Callable[..., Any], make_file: Any) -> None:
    client_file = _file(make_file)
    kim = actor("kim")
    assert _stored(client_file) == (None, None)
    _report(kim, client_file, "first", "2023-03-03", "2026-03-03")
    _report(kim, client_file, "six", "2023-03-03", "2026-09-03")
    _report(kim, client_file, "twelve", "2023-03-03", "2027-03-03")
    assert _stored(client_file) == (date(2023, 3, 3), date(2027, 3, 3))
    _retract(kim, client_file, "six")  # an older report: the newest still stands
    assert _stored(client_file) == (date(2023, 3, 3), date(2027, 3, 3))
    _retract(kim, client_file, "twelve")  # the newest: the one before it that is left comes back
    assert _stored(client_file) == (date(2023, 3, 3), date(2026, 3, 3))
    assert client_file.duo_termijn_reported_on == timezone.localdate(
        FileSignal.objects.get(message__external_id="first").created_at
    )
    _retract(kim, client_file, "first")  # nothing left: no report
    assert _stored(client_file) == (None, None)
    assert client_file.duo_termijn_reported_on is None
    assert (client_file.next_deadline_kind, client_file.next_deadline_on) == ("termijn_ends", date(2026, 3, 2))


def test_the_migration_fills_the_stored_termijn_from_the_signals(actor: Callable[..., Any], make_file: Any) -> None:
    # signals 0003 stores on existing files what the DUO import stores from now on.
    client_file = _file(make_file)
    kim = actor("kim")
    _report(kim, client_file, "first", "2023-03-03", "2026-03-03")
    _report(kim, client_file, "six", "2023-03-03", "2026-09-03")
    _report(kim, client_file, "twelve", "2023-03-03", "2027-03-03")
    _retract(kim, client_file, "twelve")
    other = _file(make_file)
    expected = [_stored(client_file), _stored(other)]
    assert expected == [(date(2023, 3, 3), date(2026, 9, 3)), (None, None)]
    ClientFile.objects.update(duo_termijn_start_on=None, duo_termijn_einddatum_on=None, duo_termijn_reported_on=None)
    migration = importlib.import_module("openinburgering.signals.migrations.0003_duo_termijn_on_files")
    migration.forwards(django_apps, None)
    assert [_stored(client_file), _stored(other)] == expected
