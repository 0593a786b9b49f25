"""MAP and PVT to DUO (leftover of #17 item 5): a MAP or PVT the klantregisseur records queues its date through the
outbox in the same transaction, sent with PUT to DUO's MAP, PVT en Z-route API at the loopback DUO over mutual TLS,
every request and response validated against DUO's spec; corrections, waiting for the PIP, a 503 retried, a crash
after DUO answered, DUO's refusal and a date DUO would refuse, and what the handhaving page shows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.handhaving import services as handhaving
from openinburgering.interop import duo_resultaten, outbox
from openinburgering.interop.duo_resultaten import resultaat_statuses
from openinburgering.interop.models import OutboxMessage, OutboxState
from openinburgering.signals.models import FileSignal

pytestmark = pytest.mark.django_db

TERMIJN_START = today() - timedelta(days=60)


def record(actor: Any, client_file: Any, kind: str, achieved_on: date) -> None:
    handhaving.record_achievement(actor=actor("kim"), client_file=client_file,
                                  data={"kind": kind, "achieved_on": achieved_on})  # fmt: skip


def queued() -> list[tuple[str, str]]:
    rows = OutboxMessage.objects.filter(kind__in=["duo.map", "duo.pvt"]).order_by("pk").values_list("kind", "payload")
    return [(kind, payload["datum"]) for kind, payload in rows]


@pytest.fixture
def file_at_duo(duo_server: Any, duo_connection: Any, pip_file: Any, vastgesteld: Any) -> Any:
    """A Haarlem file whose PIP is registered at DUO, with DUO's termijn (start two months ago, einddatum exclusive)."""
    client_file = pip_file()
    vastgesteld(client_file)
    outbox.sweep()
    bsn = client_file.person.bsn
    assert bsn in duo_server.pips
    duo_server.termijnen[bsn] = {
        "startdatum": TERMIJN_START.isoformat(),
        "einddatum": TERMIJN_START.replace(year=TERMIJN_START.year + 3).isoformat(),
    }
    return client_file


def test_map_and_pvt_dates_are_put_at_duo_once_and_audited(duo_server: Any, file_at_duo: Any, actor: Any) -> None:
    pvt_on, map_on = today() - timedelta(days=20), today() - timedelta(days=3)
    record(actor, file_at_duo, "pvt", pvt_on)
    record(actor, file_at_duo, "map", map_on)
    record(actor, file_at_duo, "pvt", pvt_on + timedelta(days=5))  # a later PVT record: the earliest date stands
    record(actor, file_at_duo, "z_final_interview", today())  # not for this API
    assert queued() == [("duo.pvt", pvt_on.isoformat()), ("duo.map", map_on.isoformat())]

    assert outbox.sweep() == 2

    bsn = file_at_duo.person.bsn
    assert duo_server.resultaten[bsn] == {
        "pvt": {"datumOndertekeningPvt": pvt_on.isoformat()}, "map": {"datumEindgesprekMap": map_on.isoformat()},
    }  # fmt: skip
    puts = [r for r in duo_server.requests if r["method"] == "PUT"]
    assert [r["path"] for r in puts] == [f"/v1/personen/{bsn}/pvt", f"/v1/personen/{bsn}/map"]
    assert {r["headers"]["Bron"] for r in puts} == {"00000001001589623000"}
    assert duo_server.spec_errors == []
    events = AuditEvent.objects.filter(event_type="duo_resultaat_registered", client_file=file_at_duo)
    assert sorted((e.subject_id, e.via) for e in events) == [("map", "duo-m2m"), ("pvt", "duo-m2m")]
    assert [(s.kind, s.text, s.is_problem) for s in resultaat_statuses(client_file=file_at_duo)] == [
        ("map", "Gemeld bij DUO.", False), ("pvt", "Gemeld bij DUO.", False),
    ]  # fmt: skip


def test_an_earlier_date_recorded_later_corrects_the_report_at_duo(
    duo_server: Any, file_at_duo: Any, actor: Any
) -> None:
    record(actor, file_at_duo, "map", today() - timedelta(days=3))
    outbox.sweep()
    record(actor, file_at_duo, "map", today() - timedelta(days=10))  # the eindgesprek was earlier: a correction
    outbox.sweep()

    assert queued() == [
        ("duo.map", (today() - timedelta(days=3)).isoformat()), ("duo.map", (today() - timedelta(days=10)).isoformat()),
    ]  # fmt: skip
    assert duo_server.resultaten[file_at_duo.person.bsn] == {
        "map": {"datumEindgesprekMap": (today() - timedelta(days=10)).isoformat()}
    }
    assert duo_server.resultaat_puts == 2
    assert duo_server.spec_errors == []


def test_waits_for_the_pip_registration_and_for_duo_to_be_reachable(
    duo_server: Any, duo_connection: Any, pip_file: Any, vastgesteld: Any, actor: Any
) -> None:
    client_file = pip_file()
    vastgesteld(client_file)  # its duo.pip message is still in the outbox
    record(actor, client_file, "pvt", today() - timedelta(days=1))
    message = OutboxMessage.objects.get(kind="duo.pvt")

    assert outbox.deliver(message.pk) == OutboxState.PENDING
    message.refresh_from_db()
    assert message.last_error == "PVT melden: wacht tot het PIP bij DUO is gemeld."
    assert [s.text for s in resultaat_statuses(client_file=client_file)] == [
        "Nog niet gelukt (PVT melden: wacht tot het PIP bij DUO is gemeld.). Het wordt automatisch opnieuw geprobeerd."
    ]
    assert outbox.deliver(OutboxMessage.objects.get(kind="duo.pip").pk) == OutboxState.SENT
    einddatum = (today() + timedelta(days=900)).isoformat()
    duo_server.termijnen[client_file.person.bsn] = {"startdatum": TERMIJN_START.isoformat(), "einddatum": einddatum}
    duo_server.fail_next = 1  # DUO answers 503 once: retried with backoff
    later = message.next_attempt_at + timedelta(seconds=1)
    assert outbox.deliver(message.pk, now=later) == OutboxState.PENDING
    message.refresh_from_db()
    assert message.last_error == (
        "Inburgeringstermijn opvragen: DUO gaf een fout (HTTP 503). Het wordt later opnieuw geprobeerd."
    )
    assert message.next_attempt_at > later

    assert outbox.deliver(message.pk, now=message.next_attempt_at + timedelta(seconds=1)) == OutboxState.SENT
    assert duo_server.resultaten[client_file.person.bsn] == {
        "pvt": {"datumOndertekeningPvt": (today() - timedelta(days=1)).isoformat()}
    }
    assert duo_server.spec_errors == []


def test_without_a_duo_termijn_the_message_waits(duo_server: Any, file_at_duo: Any, actor: Any) -> None:
    del duo_server.termijnen[file_at_duo.person.bsn]
    record(actor, file_at_duo, "map", today())
    message = OutboxMessage.objects.get(kind="duo.map")

    assert outbox.deliver(message.pk) == OutboxState.PENDING
    message.refresh_from_db()
    assert message.last_error == (
        "MAP melden: DUO kent nog geen inburgeringstermijn; het wordt later opnieuw geprobeerd."
    )
    assert duo_server.resultaat_puts == 0


def test_a_crash_after_duo_answered_neither_loses_nor_doubles(
    duo_server: Any, file_at_duo: Any, actor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker dies after DUO stored the date but before we stored that: the retry PUTs the same body again
    (PUT replaces: DUO's resource is unchanged) and the registration is audited once."""
    record(actor, file_at_duo, "map", today() - timedelta(days=2))
    message = OutboxMessage.objects.get(kind="duo.map")
    real_remember = duo_resultaten.remember

    def crash(message: OutboxMessage, **values: Any) -> None:
        if values.get("registered"):
            raise RuntimeError("worker died")
        real_remember(message, **values)

    monkeypatch.setattr(duo_resultaten, "remember", crash)
    assert outbox.deliver(message.pk) == OutboxState.PENDING
    stored = dict(duo_server.resultaten[file_at_duo.person.bsn])
    monkeypatch.setattr(duo_resultaten, "remember", real_remember)
    message.refresh_from_db()
    assert outbox.deliver(message.pk, now=message.next_attempt_at + timedelta(seconds=1)) == OutboxState.SENT

    assert duo_server.resultaat_puts == 2
    assert duo_server.resultaten[file_at_duo.person.bsn] == stored
    assert AuditEvent.objects.filter(event_type="duo_resultaat_registered", client_file=file_at_duo).count() == 1
    assert outbox.deliver(message.pk, now=today_later()) is None  # sent: nothing more
    assert duo_server.spec_errors == []


def today_later() -> Any:
    from django.utils import timezone

    return timezone.now() + timedelta(days=1)


def test_a_refusal_by_duo_becomes_a_signal_and_is_not_retried(duo_server: Any, file_at_duo: Any, actor: Any) -> None:
    text = "De datum eindgesprek MAP mag niet na de datum afronding Z-route liggen"
    duo_server.refuse[file_at_duo.person.bsn] = [text]
    record(actor, file_at_duo, "map", today() - timedelta(days=2))
    message = OutboxMessage.objects.get(kind="duo.map")

    assert outbox.deliver(message.pk) == OutboxState.SENT  # nothing to retry: DUO's rule decided
    message.refresh_from_db()
    assert message.progress == {"refused": [text]}
    signal = FileSignal.objects.get(client_file=file_at_duo)
    assert signal.summary == f"DUO heeft de MAP (datum eindgesprek) niet geregistreerd: {text}"
    assert AuditEvent.objects.filter(event_type="duo_request_refused", client_file=file_at_duo).count() == 1
    assert [(s.text, s.is_problem) for s in resultaat_statuses(client_file=file_at_duo)] == [
        (f"DUO heeft dit geweigerd: {text}.", True)
    ]
    assert duo_server.spec_errors == []  # the 403 with its Foutmelding list fits the spec


def test_a_date_duo_would_refuse_is_not_sent_and_raises_a_signal(duo_server: Any, file_at_duo: Any, actor: Any) -> None:
    before = TERMIJN_START - timedelta(days=1)
    record(actor, file_at_duo, "pvt", before)  # signed during the brede intake: before the termijn started
    message = OutboxMessage.objects.get(kind="duo.pvt")

    assert outbox.deliver(message.pk) == OutboxState.SENT
    message.refresh_from_db()
    assert message.progress == {"withheld": ["before_termijn"]}
    assert duo_server.resultaat_puts == 0
    signal = FileSignal.objects.get(client_file=file_at_duo)
    assert signal.summary == (
        f"De PVT (datum ondertekening) van {before:%d-%m-%Y} is niet naar DUO gestuurd, want DUO zou weigeren: de "
        "datum ligt vóór het begin van de inburgeringstermijn. Controleer de datum bij Handhaving > Behaalde "
        "onderdelen."
    )
    assert AuditEvent.objects.filter(event_type="duo_resultaat_blocked", client_file=file_at_duo).count() == 1
    assert resultaat_statuses(client_file=file_at_duo)[0].is_problem is True


def test_a_date_after_the_termijn_is_held_back_because_verwijtbaar_cannot_be_sent(
    duo_server: Any, file_at_duo: Any, actor: Any
) -> None:
    bsn = file_at_duo.person.bsn
    duo_server.termijnen[bsn] = {"startdatum": "2022-01-01", "einddatum": (today() - timedelta(days=5)).isoformat()}
    record(actor, file_at_duo, "map", today() - timedelta(days=1))
    message = OutboxMessage.objects.get(kind="duo.map")

    assert outbox.deliver(message.pk) == OutboxState.SENT
    message.refresh_from_db()
    assert message.progress == {"withheld": ["verwijtbaar_required"]}
    assert "meld het in het DUO-portaal" in FileSignal.objects.get(client_file=file_at_duo).summary
    assert duo_server.resultaat_puts == 0


def test_a_failed_message_tells_the_klantregisseur_who_can_retry(file_at_duo: Any, actor: Any) -> None:
    record(actor, file_at_duo, "map", today())
    OutboxMessage.objects.filter(kind="duo.map").update(
        state=OutboxState.FAILED, last_error="MAP melden: DUO is niet bereikbaar."
    )

    assert [s.text for s in resultaat_statuses(client_file=file_at_duo)] == [
        "Melden is mislukt (MAP melden: DUO is niet bereikbaar.). De functioneel beheerder kan het opnieuw proberen "
        "bij Koppelingen > Uitgaande berichten."
    ]


def test_the_handhaving_page_shows_the_report_to_duo(duo_server: Any, file_at_duo: Any, actor: Any, login: Any) -> None:
    record(actor, file_at_duo, "map", today() - timedelta(days=2))
    outbox.sweep()

    response = login("kim").get(reverse("handhaving:index", kwargs={"file_id": file_at_duo.pk}))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Melding aan DUO" in html
    assert f"MAP (datum eindgesprek) {today() - timedelta(days=2):%d-%m-%Y}: Gemeld bij DUO." in " ".join(html.split())


def test_without_a_duo_connection_nothing_is_queued(pip_file: Any, vastgesteld: Any, actor: Any) -> None:
    client_file = pip_file()
    vastgesteld(client_file)
    record(actor, client_file, "map", today())
    assert not OutboxMessage.objects.filter(kind__in=["duo.map", "duo.pvt"]).exists()
    assert resultaat_statuses(client_file=client_file) == []
