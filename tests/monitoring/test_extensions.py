"""Extensions of the termijn in the figures (#16): DUO decides on an extension (W 12) and reports the new termijn
(SS102, Inburgeringstermijn API); the aggregate layer reads it through rules.reported_termijn. Messages go in
through the real DUO import; the facts are refreshed as the after-commit hook and the nightly job do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from openinburgering.clients.models import ClientFile
from openinburgering.monitoring import facts, figures
from openinburgering.monitoring.models import FactCell, FileFact
from openinburgering.plans.models import PipVersion
from openinburgering.signals.services import import_duo_events
from tests.signals.builders import duo_event

TODAY = date(2026, 6, 1)  # after the plain end (2 March 2026), before the extended one (2 September)


def _file_with_pip(make_file: Callable[..., ClientFile], staff: dict[str, Any], dagtekening: date) -> ClientFile:
    client_file = make_file(assigned_to="kim")
    ClientFile.objects.filter(pk=client_file.pk).update(status="in_traject", pip_dagtekening_on=dagtekening,
                                                        kennisgeving_on=date(2023, 1, 10))  # fmt: skip
    PipVersion.objects.create(
        client_file=client_file, number=1, status="vastgesteld", leerroute="b1", drafted_by=staff["kim"],
        drafted_at=timezone.now(), approved_by=staff["tamara"], approved_at=timezone.now(), dagtekening_on=dagtekening,
        termijn_end_on=date(2026, 3, 2),
    )  # fmt: skip
    return ClientFile.objects.get(pk=client_file.pk)


def _termijn(actor: Any, client_file: ClientFile, bericht_id: str, end: str) -> None:
    event = duo_event("SS102", bericht_id=bericht_id, bsn=client_file.person.bsn,
                      inburgeringstermijn={"startdatum": "2023-03-03", "einddatum": end})  # fmt: skip
    report = import_duo_events(actor=actor, events=[event], via="api")
    assert report.results[0].result == "applied", report.results[0].reason


def _cells(client_file: ClientFile) -> dict[tuple[str, str], int]:
    cells = FactCell.objects.filter(gemeente=client_file.gemeente, metric__startswith="extension")
    return {(f"{c.month:%Y-%m}", c.metric): c.value for c in cells}


@pytest.mark.django_db
def test_an_extension_reported_by_duo_is_counted_and_moves_the_termijn(
    make_file: Callable[..., ClientFile], staff: dict[str, Any], actor: Callable[..., Any]
) -> None:
    # PIP 2 March 2023: the termijn ends 2 March 2026 (DUO's exclusive einddatum 3 March 2026).
    extended = _file_with_pip(make_file, staff, date(2023, 3, 2))
    plain = _file_with_pip(make_file, staff, date(2023, 3, 2))
    odd = _file_with_pip(make_file, staff, date(2023, 3, 2))
    kim = actor("kim")
    _termijn(kim, plain, "plain", "2026-03-03")  # three years: no extension
    _termijn(kim, extended, "first", "2026-03-03")
    _termijn(kim, extended, "verlengd", "2026-09-03")  # six months more (B 4.4)
    _termijn(kim, odd, "odd", "2026-03-20")  # not the PIP's termijn plus whole months: not an extension
    facts.refresh_files([extended.pk, plain.pk, odd.pk], today=TODAY)

    fact = FileFact.objects.get(pk=extended.pk)
    assert (fact.extension_months, fact.termijn_end_on) == (6, date(2026, 9, 2))
    assert fact.extended_on is not None
    month = f"{fact.extended_on:%Y-%m}"
    assert FileFact.objects.get(pk=plain.pk).extension_months == 0
    assert FileFact.objects.get(pk=odd.pk).extension_months == 0
    assert _cells(extended) == {(month, "extension"): 1, (month, "extension_months"): 6}
    # The plain file's termijn ended on 2 March 2026 without voldaan: late; the extended one has not ended yet.
    assert FileFact.objects.get(pk=plain.pk).voldaan_outcome == facts.LATE
    assert fact.voldaan_outcome == ""

    s = figures.sums([extended.gemeente_id], figures.Filters(month_from=fact.extended_on.replace(day=1),
                                                              month_to=fact.extended_on.replace(day=1)))  # fmt: skip
    key = {row[0]: row[1:4] for row in figures.key_figure_rows(s)}
    assert key["Verlengingen van de termijn"] == [1, None, None]

    # DUO retracts the extension: the file's termijn is the three years again; the cells follow.
    report = import_duo_events(actor=kim, events=[
        {"berichtId": "verlengd-weg", "intrekkingVan": "verlengd", "bsn": extended.person.bsn,
         "registratieDatumTijd": "2026-01-06T09:00:00+01:00"},
    ], via="api")  # fmt: skip
    assert report.results[0].result == "applied", report.results[0].reason
    facts.refresh_files([extended.pk], today=TODAY)
    fact = FileFact.objects.get(pk=extended.pk)
    assert (fact.extension_months, fact.extended_on, fact.termijn_end_on) == (0, None, date(2026, 3, 2))
    assert _cells(extended) == {(month, "extension"): 0, (month, "extension_months"): 0}
    facts.rebuild_gemeente(extended.gemeente_id)  # the cells equal a rebuild from the facts
    assert _cells(extended) == {}
