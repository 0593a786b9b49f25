"""SIMULATED BANK: writes the camt.053 statement a bank would send after executing a payment run.

No bank is connected to this application (the gemeente downloads the pain.001 file and uploads it to its bank;
the bank's camt.053 comes back the same way). For the demo, the tests and ``make bench`` this module plays the
bank: it books every payment as a debit with its end-to-end id, and books the ones told to fail as a returned
credit with an ISO 20022 return reason, in the structure the Dutch banks use (camt.053.001.02, or .001.08).
Every file it writes is valid against the official XSD (the tests check it with ``camt.validate``); it is never
used to decide anything in production code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from .camt import NAMESPACES


@dataclass(frozen=True, slots=True)
class BookedPayment:
    """A payment as the bank books it: debit on the gemeente's account, or a return (credit) with a reason."""

    end_to_end_id: str
    amount: Decimal
    creditor_name: str
    creditor_iban: str
    remittance: str = ""
    return_reason: str = ""  # e.g. "AC04": the payment came back as a credit with this reason
    booked_on: date | None = None


@dataclass(frozen=True, slots=True)
class BatchBooking:
    """A payment block booked as ONE entry without transaction details, naming the block or the file: a debit
    (the block paid), or with ``credit`` a credit (the whole block returned at once, #13 leftover b)."""

    amount: Decimal
    payment_information_id: str = ""
    message_id: str = ""
    count: int | None = None
    credit: bool = False


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    node = etree.SubElement(parent, f"{{{parent.nsmap[None]}}}{tag}", **attributes)
    if text is not None:
        node.text = text
    return node


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _balance(stmt: etree._Element, code: str, amount: Decimal, on: date, version: str) -> None:
    bal = _sub(stmt, "Bal")
    tp = _sub(bal, "Tp")
    _sub(_sub(tp, "CdOrPrtry"), "Cd", code)
    _sub(bal, "Amt", _amount(abs(amount)), Ccy="EUR")
    _sub(bal, "CdtDbtInd", "CRDT" if amount >= 0 else "DBIT")
    _sub(_sub(bal, "Dt"), "Dt", on.isoformat())


def build_statement(
    *,
    account_iban: str,
    statement_id: str,
    booked_on: date,
    payments: Iterable[BookedPayment],
    extra_credits: Sequence[tuple[Decimal, str]] = (),
    batches: Sequence[BatchBooking] = (),
    opening_balance: Decimal = Decimal("1000000.00"),
    version: str = "camt.053.001.02",
    message_id: str | None = None,
    created_at: datetime | None = None,
) -> bytes:
    """A camt.053 document with one statement: a debit per payment (and a returned credit for each one with a
    ``return_reason``), plus ``extra_credits`` as (amount, description) entries without an end-to-end id that
    the reconciliation cannot match (e.g. a deposit)."""
    namespace = next(key for key, value in NAMESPACES.items() if value == version)
    root = etree.Element(f"{{{namespace}}}Document", nsmap={None: namespace})
    body = _sub(root, "BkToCstmrStmt")
    moment = created_at or datetime.combine(booked_on, datetime.min.time()).replace(hour=6)
    header = _sub(body, "GrpHdr")
    _sub(header, "MsgId", message_id or f"MSG-{statement_id}"[:35])
    _sub(header, "CreDtTm", moment.isoformat(timespec="seconds"))
    stmt = _sub(body, "Stmt")
    _sub(stmt, "Id", statement_id)
    if version != "camt.053.001.02":
        _sub(stmt, "ElctrncSeqNb", "1")
    _sub(stmt, "CreDtTm", moment.isoformat(timespec="seconds"))
    acct = _sub(stmt, "Acct")
    _sub(_sub(acct, "Id"), "IBAN", account_iban)
    _sub(acct, "Ccy", "EUR")

    entries: list[tuple[Decimal, bool, BookedPayment | None, str]] = []
    total = Decimal("0")
    for booked in payments:
        entries.append((booked.amount, False, booked, ""))
        total -= booked.amount
        if booked.return_reason:
            entries.append((booked.amount, True, booked, ""))
            total += booked.amount
    for amount, description in extra_credits:
        entries.append((amount, True, None, description))
        total += amount
    total += sum((batch.amount if batch.credit else -batch.amount for batch in batches), Decimal("0"))

    _balance(stmt, "OPBD", opening_balance, booked_on, version)
    _balance(stmt, "CLBD", opening_balance + total, booked_on, version)

    for amount, credit, payment, description in entries:
        ntry = _sub(stmt, "Ntry")
        _sub(ntry, "Amt", _amount(amount), Ccy="EUR")
        _sub(ntry, "CdtDbtInd", "CRDT" if credit else "DBIT")
        if version == "camt.053.001.02":
            _sub(ntry, "Sts", "BOOK")
        else:
            _sub(_sub(ntry, "Sts"), "Cd", "BOOK")
        day = (payment.booked_on if payment and payment.booked_on else booked_on).isoformat()
        _sub(_sub(ntry, "BookgDt"), "Dt", day)
        _sub(_sub(ntry, "ValDt"), "Dt", day)
        returned = payment is not None and credit
        domain = _sub(_sub(ntry, "BkTxCd"), "Domn")
        _sub(domain, "Cd", "PMNT")
        family = _sub(domain, "Fmly")
        _sub(family, "Cd", "ICDT" if payment is not None else "RCDT")
        _sub(family, "SubFmlyCd", "RRTN" if returned else "ESCT")
        if payment is None:
            _sub(ntry, "AddtlNtryInf", description[:500])
            continue
        tx = _sub(_sub(ntry, "NtryDtls"), "TxDtls")
        _sub(_sub(tx, "Refs"), "EndToEndId", payment.end_to_end_id)
        if version != "camt.053.001.02":
            _sub(tx, "Amt", _amount(amount), Ccy="EUR")
            _sub(tx, "CdtDbtInd", "CRDT" if credit else "DBIT")
        else:
            _sub(_sub(_sub(tx, "AmtDtls"), "TxAmt"), "Amt", _amount(amount), Ccy="EUR")
        parties = _sub(tx, "RltdPties")
        creditor = _sub(parties, "Cdtr")
        if version == "camt.053.001.02":
            _sub(creditor, "Nm", payment.creditor_name[:140])
        else:
            _sub(_sub(creditor, "Pty"), "Nm", payment.creditor_name[:140])
        _sub(_sub(_sub(parties, "CdtrAcct"), "Id"), "IBAN", payment.creditor_iban)
        if payment.remittance:
            _sub(_sub(tx, "RmtInf"), "Ustrd", payment.remittance[:140])
        if returned:
            rtr = _sub(tx, "RtrInf")
            _sub(_sub(rtr, "Rsn"), "Cd", payment.return_reason)
    for batch in batches:
        _batch_entry(stmt, batch, booked_on, version)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _batch_entry(stmt: etree._Element, batch: BatchBooking, booked_on: date, version: str) -> None:
    """One entry for a whole payment block, without transaction details (a *verzamelboeking*): a debit, or a
    returned credit (bank transaction code PMNT/ICDT/RRTN)."""
    ntry = _sub(stmt, "Ntry")
    _sub(ntry, "Amt", _amount(batch.amount), Ccy="EUR")
    _sub(ntry, "CdtDbtInd", "CRDT" if batch.credit else "DBIT")
    if version == "camt.053.001.02":
        _sub(ntry, "Sts", "BOOK")
    else:
        _sub(_sub(ntry, "Sts"), "Cd", "BOOK")
    _sub(_sub(ntry, "BookgDt"), "Dt", booked_on.isoformat())
    _sub(_sub(ntry, "ValDt"), "Dt", booked_on.isoformat())
    domain = _sub(_sub(ntry, "BkTxCd"), "Domn")
    _sub(domain, "Cd", "PMNT")
    family = _sub(domain, "Fmly")
    _sub(family, "Cd", "ICDT")
    _sub(family, "SubFmlyCd", "RRTN" if batch.credit else "ESCT")
    btch = _sub(_sub(ntry, "NtryDtls"), "Btch")
    if batch.message_id:
        _sub(btch, "MsgId", batch.message_id)
    if batch.payment_information_id:
        _sub(btch, "PmtInfId", batch.payment_information_id)
    if batch.count is not None:
        _sub(btch, "NbOfTxs", str(batch.count))
    _sub(ntry, "AddtlNtryInf", "Verzamelde terugboeking" if batch.credit else "Verzamelbetaling")
