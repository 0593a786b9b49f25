"""Ontzorgen services: the period from the rules, maatwerk and Pw 57, obligations with Dutch errors, the
append-only ledger, and the monthly run: idempotent, all or nothing, four eyes, corrections, a validated file."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from lxml import etree

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.ontzorgen import sepa, services
from openinburgering.ontzorgen.models import (
    LedgerEntry,
    Obligation,
    OntzorgenRecord,
    Payment,
    PaymentFile,
    PaymentRun,
)
from openinburgering.ontzorgen.periods import month_start, next_month
from openinburgering.ontzorgen.selectors import Stage, balances_of, stage_of
from openinburgering.ontzorgen.services import runs

from .conftest import obligation_data

pytestmark = pytest.mark.django_db

THIS_MONTH = month_start(today())
NEXT_MONTH = next_month(THIS_MONTH)


def field_errors(excinfo: pytest.ExceptionInfo[ApplicationError]) -> dict[str, list[str]]:
    return excinfo.value.field_errors


# --- The period and maatwerk ---------------------------------------------------------------------------------------


def test_period_comes_from_the_rule_and_ends_early_with_bijstand(ontzorgen_file, actor):
    client_file = ontzorgen_file(start=date(2026, 3, 1))
    record = OntzorgenRecord.objects.get(client_file=client_file)
    assert (record.applies, record.start_on, record.end_on) == (True, date(2026, 3, 1), date(2026, 8, 31))
    assert record.items == ["huur", "energie", "water", "zorgverzekering"]
    shortened = OntzorgenRecord.objects.get(
        pk=services.record_ontzorgen(
            actor=actor("frank"),
            client_file=client_file,
            data={
                "receives_bijstand": True,
                "bijstand_start_on": date(2026, 3, 1),
                "bijstand_end_on": date(2026, 5, 15),
            },
        ).pk
    )
    assert shortened.end_on == date(2026, 5, 15)


def test_a_regular_permit_gets_no_ontzorgen(make_file, actor):
    client_file = make_file(file={"residence": "regulier", "doelgroep": "gezinsmigrant"})
    record = services.record_ontzorgen(
        actor=actor("frank"), client_file=client_file,
        data={"receives_bijstand": True, "bijstand_start_on": THIS_MONTH},
    )  # fmt: skip
    assert (record.applies, record.reason, record.end_on) == (False, "not_asiel", None)
    with pytest.raises(ApplicationError, match="geldt \\(nog\\) niet"):
        services.record_obligation(actor=actor("frank"), client_file=client_file, data=obligation_data())
    assert Obligation.objects.count() == 0


def test_maatwerk_needs_a_reason_and_limits_the_kinds(make_file, actor):
    client_file = make_file()
    data = {"receives_bijstand": True, "bijstand_start_on": THIS_MONTH, "items": ["huur"]}
    with pytest.raises(ApplicationError) as excinfo:
        services.record_ontzorgen(actor=actor("frank"), client_file=client_file, data=data)
    assert "maatwerk_reason" in field_errors(excinfo)
    assert not OntzorgenRecord.objects.exists()
    services.record_ontzorgen(
        actor=actor("frank"), client_file=client_file, data={**data, "maatwerk_reason": "Betaalt zelf energie."}
    )
    with pytest.raises(ApplicationError) as excinfo:
        services.record_obligation(actor=actor("frank"), client_file=client_file, data=obligation_data(kind="water"))
    assert field_errors(excinfo) == {
        "kind": ["De gemeente betaalt deze vaste last niet voor deze persoon (maatwerk). Pas eerst het maatwerk aan."]
    }


def test_pw57_extension_lengthens_the_period_with_a_reason(ontzorgen_file, actor):
    client_file = ontzorgen_file(start=date(2026, 3, 1))
    with pytest.raises(ApplicationError) as excinfo:
        services.extend_ontzorgen(
            actor=actor("frank"), client_file=client_file,
            data={"extended_until_on": date(2026, 11, 30), "decided_on": date(2026, 8, 1), "reason": ""},
        )  # fmt: skip
    assert list(field_errors(excinfo)) == ["reason"]
    services.extend_ontzorgen(
        actor=actor("frank"), client_file=client_file,
        data={"extended_until_on": date(2026, 11, 30), "decided_on": date(2026, 8, 1), "reason": "Schulden."},
    )  # fmt: skip
    record = OntzorgenRecord.objects.get(client_file=client_file)
    assert record.end_on == date(2026, 11, 30)
    assert AuditEvent.objects.filter(event_type="ontzorgen_extended", client_file=client_file).count() == 1


def test_stages(ontzorgen_file):
    record = OntzorgenRecord.objects.get(client_file=ontzorgen_file(start=date(2026, 3, 1)))
    assert stage_of(record, as_of=date(2026, 2, 20)) == Stage.STARTING
    assert stage_of(record, as_of=date(2026, 4, 20)) == Stage.RUNNING
    assert stage_of(record, as_of=date(2026, 7, 20)) == Stage.ENDING
    assert stage_of(record, as_of=date(2026, 9, 1)) == Stage.ENDED
    assert stage_of(None, as_of=date(2026, 9, 1)) == Stage.NOT_APPLICABLE


# --- Obligations: Dutch errors, nothing half-written ------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"iban": "NL91ABNA0417164301"}, "iban", "Dit IBAN klopt niet: de controlecijfers passen niet"),
        ({"iban": "NL91ABNA041716430"}, "iban", "niet het goede aantal tekens"),
        ({"iban": "XX91ABNA0417164300"}, "iban", "niet met een bekende landcode"),
        ({"iban": "NL02ABNA012345678X"}, "iban", "past niet bij de opbouw"),
        ({"iban": "BR1500000000000010932840814P2"}, "iban", "SEPA-overboeking"),
        ({"amount_cents": 0}, "amount_cents", "meer dan € 0,00"),
        ({"amount_cents": -100}, "amount_cents", "meer dan € 0,00"),
        ({"amount_cents": "twaalf"}, "amount_cents", "Vul een bedrag in"),
        ({"end_on": THIS_MONTH - timedelta(days=1)}, "end_on", "De einddatum ligt voor de begindatum"),
        ({"day_of_month": 31}, "day_of_month", "betaaldag van 1 tot en met 28"),
        ({"kind": "zorgverzekering", "polisnummer": ""}, "polisnummer", "polisnummer"),
        ({"kind": "bitcoin"}, "kind", "Kies de soort vaste last"),
    ],
)
def test_bad_obligation_input_is_a_dutch_error_and_nothing_is_written(ontzorgen_file, actor, changes, field, message):
    client_file = ontzorgen_file()
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as excinfo:
        services.record_obligation(actor=actor("frank"), client_file=client_file, data=obligation_data(**changes))
    assert message in " ".join(field_errors(excinfo)[field])
    assert Obligation.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_euros_are_parsed_to_cents_without_floats():
    assert services.parse_euros("1.234,56") == 123456
    assert services.parse_euros("650") == 65000
    assert services.parse_euros("650.5") == 65050
    assert services.parse_euros("0,001") is None
    assert services.parse_euros("abc") is None
    assert services.format_cents(123456) == "€ 1.234,56"
    assert services.format_cents(-5) == "-€ 0,05"


def test_the_database_refuses_what_the_services_refuse(ontzorgen_file, obligation):
    client_file = ontzorgen_file()
    item = obligation(client_file)
    for changes in ({"amount_cents": 0}, {"end_on": item.start_on - timedelta(days=1)}, {"day_of_month": 29}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Obligation.objects.filter(pk=item.pk).update(**changes)


def test_only_money_roles_change_money(ontzorgen_file, actor):
    client_file = ontzorgen_file()
    with pytest.raises(NotFound):
        services.record_obligation(actor=actor("kim"), client_file=client_file, data=obligation_data())
    with pytest.raises(NotFound):
        services.build_run(actor=actor("kim"), month=THIS_MONTH)
    assert Obligation.objects.count() == 0


# --- Payment runs ---------------------------------------------------------------------------------------------------


def _household(ontzorgen_file, obligation):
    client_file = ontzorgen_file()
    rent = obligation(client_file)
    insurance = obligation(
        client_file, kind="zorgverzekering", creditor_name="Zilveren Kruis", iban="NL20INGB0001234567",
        polisnummer="123456789", amount_cents=14_395, day_of_month=5, creditor_reference="Premie",
    )  # fmt: skip
    return client_file, rent, insurance


def test_a_run_books_due_entries_and_payments_with_unique_end_to_end_ids(ontzorgen_file, obligation, actor, account):
    client_file, rent, insurance = _household(ontzorgen_file, obligation)
    run, created = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    assert created
    payments = list(run.payments.order_by("id"))
    assert [(p.obligation_id, p.amount_cents) for p in payments] == [(rent.pk, 65000), (insurance.pk, 14395)]
    assert len({p.end_to_end_id for p in payments}) == 2
    assert balances_of(client_file.pk).due == 79395
    assert balances_of(client_file.pk).outstanding == 79395
    assert not PaymentFile.objects.exists()


def test_building_the_same_month_twice_creates_nothing_new(ontzorgen_file, obligation, actor, account):
    _household(ontzorgen_file, obligation)
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    counts = (Payment.objects.count(), LedgerEntry.objects.count())
    again, created = services.build_run(actor=actor("frank"), month=THIS_MONTH.isoformat()[:7])
    assert (again.pk, created) == (run.pk, False)
    assert (Payment.objects.count(), LedgerEntry.objects.count()) == counts


def test_a_crash_halfway_leaves_no_run(ontzorgen_file, obligation, actor, account):
    _household(ontzorgen_file, obligation)
    real_insert = runs.insert_rows
    written: list[int] = []

    def crash_at_the_ledger(model, columns, rows):
        if model is LedgerEntry:
            written.append(Payment.objects.count())  # the payments are in the table when the crash comes
            raise DatabaseError("crash")
        return real_insert(model, columns, rows)

    with mock.patch.object(runs, "insert_rows", crash_at_the_ledger), pytest.raises(DatabaseError):
        services.build_run(actor=actor("frank"), month=THIS_MONTH)
    assert written == [2]
    assert (PaymentRun.objects.count(), Payment.objects.count(), LedgerEntry.objects.count()) == (0, 0, 0)


def test_four_eyes_the_builder_cannot_approve(ontzorgen_file, obligation, actor, account):
    _household(ontzorgen_file, obligation)
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    with pytest.raises(ApplicationError, match="zelf gemaakt"):
        services.approve_run(actor=actor("frank"), run=run)
    assert not PaymentFile.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRun.objects.filter(pk=run.pk).update(
            status="approved", approved_by=run.built_by, approved_at=run.built_at
        )


def test_approval_writes_a_file_valid_against_the_xsd_and_books_withheld_and_sent(
    ontzorgen_file, obligation, actor, account
):
    client_file, _rent, _insurance = _household(ontzorgen_file, obligation)
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    approved, changed = services.approve_run(actor=actor("tamara"), run=run)
    assert changed
    assert approved.is_approved
    payment_file = PaymentFile.objects.get(run=run)
    content = bytes(payment_file.content)
    document = etree.fromstring(content)
    assert sepa.schema().validate(document), sepa.schema().error_log
    ns = {"p": sepa.NAMESPACE}
    assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=ns) == "2"
    assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=ns) == "793.95"
    ids = document.xpath("//p:EndToEndId/text()", namespaces=ns)
    assert sorted(ids) == sorted(run.payments.values_list("end_to_end_id", flat=True))
    assert document.xpath("//p:CdtrAcct/p:Id/p:IBAN/text()", namespaces=ns) == [
        "NL18RABO0123459876",
        "NL20INGB0001234567",
    ]
    balances = balances_of(client_file.pk)
    assert (balances.withheld, balances.sent, balances.outstanding, balances.held) == (79395, 79395, 0, 0)
    # Approving again (another person, or the same) changes nothing.
    files = PaymentFile.objects.count(), LedgerEntry.objects.count()
    assert services.approve_run(actor=actor("tamara"), run=run)[1] is False
    assert (PaymentFile.objects.count(), LedgerEntry.objects.count()) == files


def test_a_run_for_a_month_already_sent_is_a_dutch_error(ontzorgen_file, obligation, actor, account):
    _household(ontzorgen_file, obligation)
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    services.approve_run(actor=actor("tamara"), run=run)
    with pytest.raises(Conflict, match="al goedgekeurd"):
        services.build_run(actor=actor("frank"), month=THIS_MONTH)
    assert PaymentRun.objects.count() == 1


def test_an_invalid_iban_never_reaches_a_file(ontzorgen_file, obligation, actor, account):
    _client_file, rent, insurance = _household(ontzorgen_file, obligation)
    # Written around the service (as an import or an old row could): the run leaves it out.
    Obligation.objects.filter(pk=rent.pk).update(iban="NL91ABNA0417164301")
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    assert list(run.payments.values_list("obligation_id", flat=True)) == [insurance.pk]
    services.approve_run(actor=actor("tamara"), run=run)
    content = bytes(PaymentFile.objects.get(run=run).content)
    assert b"NL91ABNA0417164301" not in content
    assert content.count(b"<CdtTrfTxInf>") == 1


def test_an_invalid_iban_in_a_payment_stops_the_approval(ontzorgen_file, obligation, actor, account):
    _household(ontzorgen_file, obligation)
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    with connection.cursor() as cursor:  # what only a broken database could hold: the trigger must be bypassed
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE ontzorgen_payment SET iban = 'NL91ABNA0417164301' WHERE run_id = %s", [run.pk])
        cursor.execute("SET session_replication_role = DEFAULT")
    with pytest.raises(ApplicationError, match="IBAN dat niet klopt"):
        services.approve_run(actor=actor("tamara"), run=run)
    assert not PaymentFile.objects.exists()
    assert PaymentRun.objects.get(pk=run.pk).status == "built"


def test_the_xsd_check_refuses_a_broken_file():
    with pytest.raises(sepa.InvalidSepaFile, match="voldoet niet"):
        sepa.validate(
            b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">'
            b"<CstmrCdtTrfInitn/></Document>"
        )
    with pytest.raises(sepa.InvalidSepaFile, match="geen geldige XML"):
        sepa.validate(b"<Document")


def test_no_machtiging_no_payment(ontzorgen_file, obligation, actor, account):
    client_file = ontzorgen_file(machtiging=False)
    obligation(client_file)
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    assert run.payments.count() == 0
    with pytest.raises(ApplicationError) as excinfo:
        services.record_machtiging(
            actor=actor("frank"), client_file=client_file, data={"kind": "refused", "given_on": today()}
        )
    assert "consequence_note" in field_errors(excinfo)


def test_a_change_after_approval_is_a_correction_in_the_next_run(ontzorgen_file, obligation, actor, account):
    client_file, rent, _insurance = _household(ontzorgen_file, obligation)
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    services.approve_run(actor=actor("tamara"), run=run)
    sent_file = bytes(PaymentFile.objects.get(run=run).content)
    with pytest.raises(ApplicationError, match="vanaf welke dag"):
        services.change_obligation(
            actor=actor("frank"), client_file=client_file, obligation=rent, data={"amount_cents": 67000}
        )
    services.change_obligation(
        actor=actor("frank"), client_file=client_file, obligation=rent,
        data={"amount_cents": 67000, "changed_from": THIS_MONTH},
    )  # fmt: skip
    following, _ = services.build_run(actor=actor("frank"), month=NEXT_MONTH)
    payment = following.payments.get(obligation=rent)
    assert payment.amount_cents == 67000 + 2000
    assert payment.includes_correction
    correction = LedgerEntry.objects.get(kind="corrected", obligation=rent)
    assert (correction.amount_cents, correction.period, correction.corrects.kind) == (2000, THIS_MONTH, "due")
    assert bytes(PaymentFile.objects.get(run=run).content) == sent_file
    # The month is settled: a third build of a later month does not correct it again.
    services.approve_run(actor=actor("tamara"), run=following)
    third, _ = services.build_run(actor=actor("frank"), month=next_month(NEXT_MONTH))
    assert not LedgerEntry.objects.filter(run=third, kind="corrected").exists()


def test_ending_an_obligation_back_in_time_books_a_credit_not_a_payment(ontzorgen_file, obligation, actor, account):
    client_file, _rent, insurance = _household(ontzorgen_file, obligation)
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    services.approve_run(actor=actor("tamara"), run=run)
    services.change_obligation(
        actor=actor("frank"), client_file=client_file, obligation=insurance,
        data={"end_on": THIS_MONTH - timedelta(days=1), "start_on": THIS_MONTH - timedelta(days=31)},
    )  # fmt: skip
    following, _ = services.build_run(actor=actor("frank"), month=NEXT_MONTH)
    assert not following.payments.filter(obligation=insurance).exists()
    assert balances_of(client_file.pk, obligation_id=insurance.pk).outstanding == -14395


def test_ledger_entries_are_insert_only_in_the_database(ontzorgen_file, obligation, actor, account):
    _household(ontzorgen_file, obligation)
    services.build_run(actor=actor("frank"), month=THIS_MONTH)
    entry = LedgerEntry.objects.first()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_cents=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()


def test_a_run_without_the_gemeente_account_is_a_dutch_error(ontzorgen_file, obligation, actor):
    _household(ontzorgen_file, obligation)
    with pytest.raises(ApplicationError, match="rekening van de gemeente"):
        services.build_run(actor=actor("frank"), month=THIS_MONTH)
    with pytest.raises(ApplicationError, match="maand"):
        services.build_run(actor=actor("frank"), month="december")
    assert not PaymentRun.objects.exists()


def test_another_gemeente_cannot_approve(ontzorgen_file, obligation, actor, account):
    _household(ontzorgen_file, obligation)
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    with pytest.raises(NotFound):
        services.approve_run(actor=actor("zoe", "GM0473"), run=run)
