"""The quarterly CBS file (#16 item 5): records and codes, what is missing, the job that validates before storing,
versions and corrections. Expectations are hand-computed from ``cbs_fixtures.quarterly``."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, datetime

import pytest
from lxml import etree

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import User
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.models import JobRun
from openinburgering.monitoring.cbs import document, mapping
from openinburgering.monitoring.cbs.models import CbsDelivery
from openinburgering.monitoring.cbs.services import Quarter, request_delivery
from openinburgering.monitoring.cbs.sources import quarter_sources

from .cbs_fixtures import Quarterly, intake, make_delivery, quarterly

pytestmark = pytest.mark.django_db

NS = {"s": mapping.NAMESPACE}
K2, K3 = Quarter(2026, 2), Quarter(2026, 3)
AFTER = date(2026, 12, 7)


@pytest.fixture
def files(staff: dict[str, User], make_file: Callable[..., ClientFile]) -> Quarterly:
    return quarterly(staff, make_file)


def _make(actor: Actor, quarter: Quarter) -> CbsDelivery:
    return make_delivery(actor, quarter, AFTER)


def _xml(delivery: CbsDelivery) -> etree._Element:
    return etree.fromstring(bytes(delivery.content))


def _bsns(root: etree._Element, section: str) -> list[str]:
    return root.xpath(f"s:{section}/s:inburgeraar/s:bsn/text()", namespaces=NS)


def _record(root: etree._Element, bsn: str, section: str = "inburgeraars") -> etree._Element:
    [element] = root.xpath(f"s:{section}/s:inburgeraar[s:bsn='{bsn}']", namespaces=NS)
    return element


def _text(element: etree._Element, path: str) -> list[str]:
    return element.xpath(path, namespaces=NS)


def test_the_quarter_holds_the_files_under_the_plicht_in_it_as_they_stood_on_its_last_day(files: Quarterly) -> None:
    gemeente = files.complete.gemeente_id
    k2 = {s.client_file_id: s for s in quarter_sources(gemeente, start=date(2026, 4, 1), end=date(2026, 6, 30))}
    assert set(k2) == {files.complete.pk, files.no_intake.pk, files.no_doelgroep.pk}
    assert (k2[files.complete.pk].status, k2[files.no_intake.pk].status) == ("in_traject", "aangemeld")
    assert k2[files.no_intake.pk].pip is None  # its PIP (3 August) came after the quarter
    k3 = {s.client_file_id: s for s in quarter_sources(gemeente, start=date(2026, 7, 1), end=date(2026, 9, 30))}
    assert set(k3) == {files.complete.pk, files.no_intake.pk, files.no_doelgroep.pk}
    assert [gap.code for gap in mapping.missing(k3[files.no_intake.pk])] == ["BREDE_INTAKE"]
    assert mapping.missing(k3[files.no_doelgroep.pk]) == (mapping.NO_DOELGROEP,)
    assert mapping.missing(k3[files.complete.pk]) == ()


def test_the_job_writes_a_validated_file_with_the_records_and_codes(files: Quarterly, actor: Callable[..., Actor],
                                                                     ) -> None:  # fmt: skip
    delivery = _make(actor("bram"), K3)
    document.validate(bytes(delivery.content))  # stored only after validation; still valid
    root = _xml(delivery)
    assert _text(root, "s:kop/s:gemeentecode/text()") == ["GM0392"]
    assert _text(root, "s:kop/s:uiterlijkeLeverdatum/text()") == ["2026-10-28"]
    assert _text(root, "s:kop/s:soortLevering/text()") == ["regulier"]
    assert _text(root, "s:kop/s:aantalInburgeraars/text()") == ["2"]
    assert _text(root, "s:kop/s:aantalOnvolledig/text()") == ["1"]
    assert _bsns(root, "inburgeraars") == [files.complete.person.bsn, files.no_intake.person.bsn]
    assert _bsns(root, "correcties") == []
    complete = _record(root, files.complete.person.bsn)
    assert _text(complete, "s:doelgroep/text()") == ["1"]
    assert _text(complete, "s:statusEindePeriode/text()") == ["04"]
    assert _text(complete, "s:bredeIntake/s:datumAfgerond/text()") == ["2026-05-04"]
    assert _text(complete, "s:pip/*/text()") == ["2026-06-01", "2026-06-01", "1", "B1", "B1"]
    assert _text(complete, "s:ontzorgen/*/text()") == ["J", "2026-06-01"]
    assert _text(complete, "s:participatiecomponent/*/text()") == ["J", "J"]
    assert _text(complete, "s:wijzigingen") == []  # nothing changed in K3
    other = _record(root, files.no_intake.person.bsn)
    assert _text(other, "s:doelgroep/text()") == ["2"]
    assert _text(other, "s:pip/s:leerroute/text()") == ["ZR"]
    assert _text(other, "s:pip/s:taalniveau/text()") == ["NVT"]
    assert _text(other, "s:wijzigingen/s:kenmerk/text()") == ["STATUS", "PIP"]
    assert _text(other, "s:onvolledig/s:ontbreekt/text()") == ["BREDE_INTAKE"]
    assert (delivery.record_count, delivery.incomplete_count, delivery.left_out_count) == (2, 1, 1)
    assert files.no_doelgroep.person.bsn.encode() not in bytes(delivery.content)
    event = AuditEvent.objects.get(event_type="cbs_delivery_generated")
    assert (event.via, event.actor.username, event.client_file_id) == ("job", "bram", None)
    assert event.changes == {"period": "2026-K3", "version": 1, "records": 2, "corrections": 0, "left_out": 1}


def test_changes_in_the_quarter_are_named_per_record(files: Quarterly, actor: Callable[..., Actor]) -> None:
    root = _xml(_make(actor("bram"), K2))
    complete = _record(root, files.complete.person.bsn)
    assert _text(complete, "s:wijzigingen/s:kenmerk/text()") == ["STATUS", "BREDE_INTAKE", "PIP", "ONTZORGEN"]
    assert _text(_record(root, files.no_intake.person.bsn), "s:statusEindePeriode/text()") == ["01"]


def test_a_file_that_breaks_the_schema_is_refused_with_a_dutch_message() -> None:
    header = mapping.header(mapping.Header(
        gemeente_code="Haarlem", year=2026, quarter=3, start=date(2026, 7, 1), end=date(2026, 9, 30),
        deliver_by=date(2026, 10, 28), version=1, replaces_version=None,
        created_at=datetime(2026, 10, 1, 9, 0), records=0, corrections=0, incomplete=0,
    ))  # fmt: skip
    with pytest.raises(document.InvalidCbsFile, match=r"voldoet niet aan het schema .*gemeentecode"):
        document.build(header=header, records=[], corrections=[])


def test_two_records_for_one_bsn_are_refused_by_the_schema(files: Quarterly, actor: Callable[..., Actor]) -> None:
    content = bytes(_make(actor("bram"), K3).content)
    root = etree.fromstring(content)
    section = root.find(f"{{{mapping.NAMESPACE}}}inburgeraars")
    section.append(copy.deepcopy(section[0]))
    with pytest.raises(document.InvalidCbsFile, match=r"eenRecordPerBsn|Duplicate"):
        document.validate(etree.tostring(root))


def test_a_second_file_for_a_quarter_is_a_new_version_and_the_first_is_kept(
    files: Quarterly, actor: Callable[..., Actor]
) -> None:  # fmt: skip
    first = _make(actor("bram"), K3)
    second = _make(actor("tamara"), K3)
    assert (second.version, second.replaces_id) == (2, first.pk)
    assert _text(_xml(second), "s:kop/s:soortLevering/text()") == ["vervangend"]
    assert _text(_xml(second), "s:kop/s:vervangtVolgnummer/text()") == ["1"]
    assert CbsDelivery.objects.get(pk=first.pk).content == first.content
    with pytest.raises(TypeError, match="insert-only"):
        first.save()


def test_late_entries_for_an_earlier_quarter_go_into_the_next_file_as_corrections(
    files: Quarterly, staff: dict[str, User], actor: Callable[..., Actor]
) -> None:  # fmt: skip
    _make(actor("bram"), K2)
    # After K2 was made: the doelgroep of the left-out client is filled in, and an intake of 15 June is recorded
    # late for the client without one.
    ClientFile.objects.filter(pk=files.no_doelgroep.pk).update(doelgroep="overig")
    intake(files.no_intake, date(2026, 6, 15), staff["kim"])
    k3 = _make(actor("bram"), K3)
    root = _xml(k3)
    assert _bsns(root, "correcties") == [files.no_intake.person.bsn, files.no_doelgroep.person.bsn]
    assert set(_text(root, "s:correcties/s:inburgeraar/@verslagperiode")) == {"2026-K2"}
    corrected = _record(root, files.no_intake.person.bsn, "correcties")
    assert _text(corrected, "s:bredeIntake/s:datumAfgerond/text()") == ["2026-06-15"]
    assert k3.correction_count == 2
    assert _text(root, "s:kop/s:aantalCorrecties/text()") == ["2"]
    # A next file does not repeat corrections already delivered.
    again = _make(actor("bram"), K3)
    assert _bsns(_xml(again), "correcties") == []


def test_a_second_request_while_the_job_waits_returns_the_same_job(files: Quarterly, actor: Callable[..., Actor],
                                                                    ) -> None:  # fmt: skip
    first = request_delivery(actor=actor("bram"), quarter=K3, today=AFTER)
    second = request_delivery(actor=actor("tamara"), quarter=K3, today=AFTER)
    assert first.pk == second.pk
    assert JobRun.objects.filter(kind="cbs_delivery").count() == 1
    assert AuditEvent.objects.filter(event_type="cbs_delivery_requested").count() == 1
