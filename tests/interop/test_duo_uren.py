"""Followed hours to DUO (#17 item 2): the providers' weekly reports (form/API service and CSV) queue the totals per
DUO hours kind through the outbox, idempotent, sent as the total at delivery to the loopback DUO over mutual TLS, every
request and response validated against DUO's GevolgdeUren spec."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.interop import outbox
from openinburgering.interop.duo_uren import enqueue_uren, hours_totals
from openinburgering.interop.models import OutboxMessage, OutboxState
from openinburgering.plans.models import PipVersion
from openinburgering.providers import services as providers
from tests.providers.conftest import weeks_ago
from tests.providers.test_csv import HEADER

pytestmark = pytest.mark.django_db


def report(actor: Any, enrolment: Any, week: str, attended: str) -> str:
    data = {"week": week, "hours_offered": "10", "hours_attended": attended, "hours_absent_authorised": "0",
            "hours_absent_unauthorised": "0", "absence_reason": "", "note": ""}  # fmt: skip
    return providers.save_weekly_report(actor=actor, enrolment=enrolment, data=data)[1]


def queued() -> list[tuple[str, int]]:
    return [
        (m["payload"]["kind"], m["payload"]["uren"])
        for m in OutboxMessage.objects.filter(kind="duo.uren").order_by("pk").values("payload")
    ]


@pytest.fixture
def participatie_contract(regional_contract: Any) -> Any:
    """A regional contract of the demo provider for participatie-activiteiten, PVT and duaal trajecten (the demo's has
    none)."""
    from decimal import Decimal

    from openinburgering.providers.models import Contract

    return Contract.objects.create(
        provider=regional_contract.provider, name="Participatie regio", region=regional_contract.region,
        starts_on=regional_contract.starts_on,
        ends_on=regional_contract.ends_on, price_model="per_hour", price_per_hour=Decimal("10.00"), capacity=10,
        components=["participatie", "pvt", "duaal"], reporting_frequency="weekly",
    )  # fmt: skip


@pytest.fixture
def file_with_pip(duo_server: Any, duo_connection: Any, pip_file: Any, vastgesteld: Any) -> Any:
    """A Haarlem file whose PIP (B1-route) is registered at DUO, dagtekening three weeks ago."""
    client_file = pip_file()
    version = vastgesteld(client_file)
    outbox.sweep()
    assert client_file.person.bsn in duo_server.pips
    PipVersion.objects.filter(pk=version.pk).update(dagtekening_on=today() - timedelta(days=21))
    return client_file


def test_weekly_reports_put_the_totals_at_duo_once(
    duo_server: Any, file_with_pip: Any, enrol: Any, regional_contract: Any, actor: Any
) -> None:
    anouk = actor("anouk")
    enrolment = enrol(file_with_pip, regional_contract, accepted=True)
    bsn = file_with_pip.person.bsn

    report(anouk, enrolment, weeks_ago(6), "6")  # before the PIP's dagtekening: brede intake
    report(anouk, enrolment, weeks_ago(1), "8")  # after it: the leerroute
    report(anouk, enrolment, weeks_ago(1), "8")  # unchanged: nothing new
    assert queued() == [("bredeintake_taallesknm", 6), ("participatietaalles", 8)]
    outbox.sweep()

    assert duo_server.uren[bsn] == {"bredeintake/taallesknm": 6, "participatietaalles": 8}
    # A correction replaces the total (rounded down to whole hours); the brede intake total did not change.
    report(anouk, enrolment, weeks_ago(1), "5.5")
    assert queued()[2:] == [("participatietaalles", 5)]
    outbox.sweep()
    assert duo_server.uren[bsn] == {"bredeintake/taallesknm": 6, "participatietaalles": 5}
    events = AuditEvent.objects.filter(event_type="duo_uren_registered", client_file=file_with_pip)
    assert sorted((e.subject_id, e.changes["uren"]["new"]) for e in events) == [
        ("bredeintake_taallesknm", 6), ("participatietaalles", 5), ("participatietaalles", 8),
    ]  # fmt: skip
    puts = [r for r in duo_server.requests if r["method"] == "PUT"]
    assert len(puts) == 3
    assert duo_server.spec_errors == []


def test_a_csv_upload_reports_the_files_it_changed_and_the_same_file_again_nothing(
    duo_server: Any, file_with_pip: Any, enrol: Any, regional_contract: Any, actor: Any
) -> None:
    enrolment = enrol(file_with_pip, regional_contract, accepted=True)
    body = (HEADER + f"{enrolment.pk};{weeks_ago(1)};10;7;0;0;;\n{enrolment.pk};{weeks_ago(2)};10;4;0;0;;\n").encode()

    providers.import_csv(actor=actor("anouk"), provider=regional_contract.provider, raw=body)
    providers.import_csv(actor=actor("anouk"), provider=regional_contract.provider, raw=body)
    outbox.sweep()

    assert queued() == [("participatietaalles", 11)]
    assert duo_server.uren[file_with_pip.person.bsn] == {"participatietaalles": 11}
    assert duo_server.spec_errors == []


def test_the_total_at_delivery_is_sent_and_an_older_message_is_skipped(
    duo_server: Any, file_with_pip: Any, enrol: Any, regional_contract: Any, actor: Any
) -> None:
    """Two providers reporting at once each queue a total without the other's hours: what DUO gets is the sum."""
    enrolment = enrol(file_with_pip, regional_contract, accepted=True)
    stale = enqueue_uren(client_file=file_with_pip, kind="participatietaalles", uren=3, as_of="stale")
    report(actor("anouk"), enrolment, weeks_ago(1), "7")
    assert stale is not None
    newer = OutboxMessage.objects.filter(kind="duo.uren").latest("pk")

    assert outbox.deliver(stale.pk) == OutboxState.SENT
    stale.refresh_from_db()
    assert stale.progress == {"superseded": newer.pk}
    assert file_with_pip.person.bsn not in duo_server.uren
    OutboxMessage.objects.filter(pk=newer.pk).update(payload={"kind": "participatietaalles", "uren": 2})
    assert outbox.deliver(newer.pk) == OutboxState.SENT
    assert duo_server.uren[file_with_pip.person.bsn] == {"participatietaalles": 7}


def test_leerroute_hours_wait_for_the_pip_registration(
    duo_server: Any, duo_connection: Any, pip_file: Any, vastgesteld: Any, enrol: Any, regional_contract: Any,
    actor: Any,
) -> None:  # fmt: skip
    client_file = pip_file()
    version = vastgesteld(client_file)  # its duo.pip message is still in the outbox
    PipVersion.objects.filter(pk=version.pk).update(dagtekening_on=today() - timedelta(days=21))
    report(actor("anouk"), enrol(client_file, regional_contract, accepted=True), weeks_ago(1), "4")
    message = OutboxMessage.objects.get(kind="duo.uren")

    assert outbox.deliver(message.pk) == OutboxState.PENDING
    message.refresh_from_db()
    assert message.last_error == "Uren melden: wacht tot het PIP bij DUO is gemeld."
    pip = OutboxMessage.objects.get(kind="duo.pip")
    assert outbox.deliver(pip.pk) == OutboxState.SENT
    assert outbox.deliver(message.pk, now=message.next_attempt_at + timedelta(seconds=1)) == OutboxState.SENT
    assert duo_server.uren[client_file.person.bsn] == {"participatietaalles": 4}
    assert duo_server.spec_errors == []


def test_which_hours_count_for_which_kind(
    pip_file: Any, vastgesteld: Any, make_file: Any, enrol: Any, regional_contract: Any, participatie_contract: Any,
    actor: Any,
) -> None:  # fmt: skip
    anouk = actor("anouk")
    no_pip = make_file()
    report(anouk, enrol(no_pip, regional_contract, accepted=True), weeks_ago(1), "4")
    report(anouk, enrol(no_pip, participatie_contract, component="participatie", accepted=True), weeks_ago(1), "3")
    z_route = pip_file()  # an asielstatushouder
    version = vastgesteld(z_route, leerroute="z", level="")
    PipVersion.objects.filter(pk=version.pk).update(dagtekening_on=today() - timedelta(days=21))
    report(anouk, enrol(z_route, regional_contract, component="z_route_cursus", accepted=True), weeks_ago(1), "2")
    report(anouk, enrol(z_route, participatie_contract, component="participatie", accepted=True), weeks_ago(6), "5")
    report(anouk, enrol(z_route, regional_contract, component="map", accepted=True), weeks_ago(1), "9")
    report(anouk, enrol(z_route, participatie_contract, component="pvt", accepted=True), weeks_ago(2), "3")
    report(anouk, enrol(z_route, participatie_contract, component="duaal", accepted=True), weeks_ago(1), "7")
    b1_route = pip_file()  # an asielstatushouder in the B1-route: MAP hours are not Z-route participation
    version = vastgesteld(b1_route)
    PipVersion.objects.filter(pk=version.pk).update(dagtekening_on=today() - timedelta(days=21))
    report(anouk, enrol(b1_route, regional_contract, component="map", accepted=True), weeks_ago(1), "9")

    totals = hours_totals([no_pip.pk, z_route.pk, b1_route.pk])

    assert totals[no_pip.pk] == {"bredeintake_taallesknm": 4}  # no PIP: no leerroute hours, no Z-route
    # Z-route: participatie 5 + MAP 9 + PVT 3 (B 3.14 lid 5); the duaal traject's 7 hours are in no kind.
    assert totals[z_route.pk] == {
        "bredeintake_taallesknm": 0, "participatietaalles": 2, "participatieactiviteiten": 17,
    }  # fmt: skip
    assert totals[b1_route.pk] == {"bredeintake_taallesknm": 0, "participatietaalles": 0}


def test_without_a_duo_connection_nothing_is_queued(make_file: Any, enrol: Any, regional_contract: Any, actor: Any):
    report(actor("anouk"), enrol(make_file(), regional_contract, accepted=True), weeks_ago(1), "4")
    assert not OutboxMessage.objects.filter(kind="duo.uren").exists()
