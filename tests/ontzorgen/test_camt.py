"""camt.053 reading: the official XSD decides, both versions the Dutch banks send, Dutch errors, nothing half."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from openinburgering.ontzorgen import banksim, camt

ACCOUNT = "NL91ABNA0417164300"
LANDLORD = "NL20INGB0001234567"


def _statement(version: str = "camt.053.001.02", **kwargs: object) -> bytes:
    defaults: dict[str, object] = {
        "account_iban": ACCOUNT,
        "statement_id": "STMT-2026-12-01",
        "booked_on": date(2026, 12, 1),
        "payments": [
            banksim.BookedPayment("OZ-1-1", Decimal("650.00"), "Woonstichting De Ster", LANDLORD, "Huur december"),
            banksim.BookedPayment("OZ-1-2", Decimal("120.55"), "Energie BV", LANDLORD, return_reason="AC04"),
        ],
        "extra_credits": [(Decimal("25.00"), "Storting")],
        "version": version,
    }
    defaults.update(kwargs)
    return banksim.build_statement(**defaults)


@pytest.mark.parametrize("version", ["camt.053.001.02", "camt.053.001.08"])
def test_reads_both_versions_after_validating_against_the_official_xsd(version: str) -> None:
    data = _statement(version)
    tree = camt.parse_xml(data)
    assert camt.schema_for(version).validate(tree) is True

    document = camt.read_statement(data)

    assert document.version == version
    assert document.message_id == "MSG-STMT-2026-12-01"
    (statement,) = document.statements
    assert statement.statement_id == "STMT-2026-12-01"
    assert statement.account_iban == ACCOUNT
    assert statement.currency == "EUR"
    assert [(e.amount, e.credit) for e in statement.entries] == [
        (Decimal("650.00"), False),
        (Decimal("120.55"), False),
        (Decimal("120.55"), True),
        (Decimal("25.00"), True),
    ]
    paid, sent, returned, deposit = statement.entries
    assert paid.status == "BOOK"
    assert paid.booked_on == date(2026, 12, 1)
    assert paid.transactions[0].end_to_end_id == "OZ-1-1"
    assert paid.transactions[0].amount == Decimal("650.00")
    assert paid.transactions[0].counterparty_name == "Woonstichting De Ster"
    assert paid.transactions[0].counterparty_iban == LANDLORD
    assert paid.transactions[0].remittance == "Huur december"
    assert sent.transactions[0].return_reason == ""
    assert returned.bank_transaction_code == "PMNT/ICDT/RRTN"
    assert returned.transactions[0].end_to_end_id == "OZ-1-2"
    assert returned.transactions[0].return_reason == "AC04"
    assert deposit.transactions == ()
    assert isinstance(paid.amount, Decimal)


def test_a_file_that_breaks_the_schema_is_refused_with_the_line() -> None:
    # A statement without its account (Acct is required by the XSD) is not read at all.
    data = _statement().replace(b"<Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>", b"")
    assert b"<Acct>" not in data

    with pytest.raises(camt.CamtError) as caught:
        camt.read_statement(data)

    assert "klopt niet met het officiële schema van camt.053.001.02" in caught.value.message
    assert "Er is niets ingelezen" in caught.value.message
    assert "regel 2: Element 'Bal': This element is not expected. Expected is one of (" in caught.value.message


def test_an_amount_with_three_decimals_is_accepted_by_the_schema_but_an_invalid_code_is_not() -> None:
    data = _statement().replace(b"<CdtDbtInd>DBIT</CdtDbtInd>", b"<CdtDbtInd>DEBIT</CdtDbtInd>", 1)
    with pytest.raises(camt.CamtError, match="CdtDbtInd"):
        camt.read_statement(data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "Het bestand is leeg"),
        (b"   \n", "Het bestand is leeg"),
        (b"<Document><BkToCstmrStmt>", "Dit is geen geldig XML-bestand (regel 1)"),
        (b"%PDF-1.7 binary", "Dit is geen geldig XML-bestand"),
        (
            b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>',
            "Dit is geen camt.053-bankafschrift dat wij kunnen lezen (gevonden: pain.001.001.09",
        ),
        (b"<Document/>", "gevonden: geen namespace"),
    ],
)
def test_malformed_or_other_files_are_clear_dutch_errors(data: bytes, expected: str) -> None:
    with pytest.raises(camt.CamtError) as caught:
        camt.read_statement(data)
    assert expected in caught.value.message
    assert caught.value.status_code == 400


def test_entities_and_doctypes_are_never_expanded() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&x;</Document>'
    )
    with pytest.raises(camt.CamtError, match="DOCTYPE"):
        camt.read_statement(data)


def test_a_batch_booking_reads_every_transaction_with_its_own_amount() -> None:
    data = _statement(payments=[banksim.BookedPayment("OZ-9-1", Decimal("10.00"), "A", LANDLORD)], extra_credits=())
    tree = etree.fromstring(data)
    ns = {"c": "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"}
    entry = tree.find(".//c:Ntry", ns)
    assert entry is not None
    entry.find("c:Amt", ns).text = "30.00"
    details = entry.find("c:NtryDtls", ns)
    assert details is not None
    second = etree.fromstring(etree.tostring(details.find("c:TxDtls", ns)))
    second.find(".//c:EndToEndId", ns).text = "OZ-9-2"
    second.find(".//c:TxAmt/c:Amt", ns).text = "20.00"
    details.append(second)

    document = camt.read_statement(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))

    (entry_read,) = document.statements[0].entries
    assert entry_read.amount == Decimal("30.00")
    assert [(t.end_to_end_id, t.amount) for t in entry_read.transactions] == [
        ("OZ-9-1", Decimal("10.00")),
        ("OZ-9-2", Decimal("20.00")),
    ]


def test_return_reasons_are_explained_in_plain_dutch() -> None:
    assert camt.return_reason_text("AC04") == "De rekening is opgeheven."
    assert camt.return_reason_text("ZZ99") == "Reden van de bank: ZZ99."
    assert camt.return_reason_text("") == "De bank gaf geen reden."
