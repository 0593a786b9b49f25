"""Reading a bank's camt.053 statement (ISO 20022 BankToCustomerStatement), validated against the official XSD.

Dutch banks deliver camt.053.001.02 (the version of the Betaalvereniging's format description) and, since the
ISO 20022 migration, camt.053.001.08. Both schemas are shipped in ``schemas/`` exactly as ISO 20022 publishes them
(see ``schemas/README.md`` for where they came from and their SHA-256). A file is read in this order, and the first
problem is a Dutch :class:`CamtError`; nothing is returned half:

1. size and well-formedness (lxml, no DTD, no entities, no network);
2. the namespace of the root must be one of the supported camt.053 versions;
3. validation against that version's XSD (every error is reported with its line number);
4. the facts the reconciliation needs: per statement its id, account IBAN, currency and entries; per entry its
   amount (``Decimal``, never float), credit/debit, status, booking date, reversal indicator, and per
   transaction its end-to-end id, return reason code and counterparty.

Pure: no Django models, no clock; the services in ``reconcile.py`` store and match.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from lxml import etree

from openinburgering.core.errors import ApplicationError

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
NAMESPACES = {
    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02": "camt.053.001.02",
    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08": "camt.053.001.08",
}
"""The supported versions: namespace → schema file stem."""

MAX_BYTES = 200 * 1024 * 1024
"""A statement of 50,000 entries is about 60 MB; a bigger upload is refused before it is parsed."""

MAX_REPORTED_ERRORS = 5

# Return reasons (ISO 20022 ExternalReturnReason1Code) explained in plain Dutch for the worklist.
RETURN_REASONS: dict[str, str] = {
    "AC01": "Het rekeningnummer (IBAN) is niet juist.",
    "AC04": "De rekening is opgeheven.",
    "AC06": "De rekening is geblokkeerd.",
    "AC13": "Het soort rekening past niet bij deze betaling.",
    "AG01": "Deze betaling is niet toegestaan op deze rekening.",
    "AG02": "De bank kon de betaling niet verwerken (verkeerde code).",
    "AM05": "Deze betaling is dubbel.",
    "BE04": "Het adres van de ontvanger ontbreekt.",
    "CUST": "De ontvanger heeft de betaling teruggestuurd.",
    "FOCR": "De betaling is teruggestuurd op verzoek van de betaler.",
    "MD07": "De rekeninghouder is overleden.",
    "MS02": "De ontvanger stuurde de betaling terug; de reden is niet gegeven.",
    "MS03": "De bank stuurde de betaling terug; de reden is niet gegeven.",
    "RC01": "De bankcode (BIC) is niet juist.",
    "RR01": "De gegevens van de rekeninghouder ontbreken.",
    "RR02": "De naam of het adres van de rekeninghouder ontbreekt.",
    "RR03": "De naam of het adres van de ontvanger ontbreekt.",
    "RR04": "De betaling is teruggestuurd om wettelijke redenen.",
}


class CamtError(ApplicationError):
    """A statement that cannot be read: wrong format, invalid against the XSD, another account."""

    code = "invalid_statement"


@dataclass(frozen=True, slots=True)
class CamtTransaction:
    """One transaction inside an entry (``NtryDtls/TxDtls``), or the entry itself when it has no details."""

    end_to_end_id: str
    amount: Decimal | None
    instruction_id: str = ""
    payment_information_id: str = ""
    return_reason: str = ""
    return_information: str = ""
    counterparty_name: str = ""
    counterparty_iban: str = ""
    remittance: str = ""


@dataclass(frozen=True, slots=True)
class CamtEntry:
    """One entry (``Ntry``) on the statement."""

    index: int
    amount: Decimal
    currency: str
    credit: bool
    reversal: bool
    status: str
    booked_on: date | None
    account_servicer_reference: str
    bank_transaction_code: str
    transactions: tuple[CamtTransaction, ...]
    batch_payment_information_id: str = ""
    additional_information: str = ""


@dataclass(frozen=True, slots=True)
class CamtStatement:
    """One account statement (``Stmt``)."""

    statement_id: str
    account_iban: str
    currency: str
    created_at: datetime | None
    from_on: date | None
    to_on: date | None
    entries: tuple[CamtEntry, ...]


@dataclass(frozen=True, slots=True)
class CamtDocument:
    version: str
    message_id: str
    created_at: datetime | None
    statements: tuple[CamtStatement, ...] = field(default_factory=tuple)

    @property
    def entry_count(self) -> int:
        return sum(len(statement.entries) for statement in self.statements)


@cache
def schema_for(version: str) -> etree.XMLSchema:
    """The compiled XSD of ``version`` (compiled once per process: compiling costs about a tenth of a second)."""
    path = SCHEMA_DIR / f"{version}.xsd"
    return etree.XMLSchema(etree.parse(str(path), parser=_parser()))


def _parser() -> etree.XMLParser:
    # No DTD, no entity expansion, no network: a statement is data from outside (XXE, billion laughs).
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=True,
        remove_blank_text=False,
    )  # fmt: skip


def parse_xml(data: bytes) -> etree._ElementTree:
    """Well-formedness: the bytes as an XML tree, or a Dutch CamtError."""
    if not data or not data.strip():
        raise CamtError("Het bestand is leeg. Kies het camt.053-bestand dat u van de bank kreeg.")
    if len(data) > MAX_BYTES:
        raise CamtError(f"Het bestand is te groot (meer dan {MAX_BYTES // (1024 * 1024)} MB).")
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser=_parser()))
    except etree.XMLSyntaxError as error:
        line = getattr(error, "lineno", None)
        where = f" (regel {line})" if line else ""
        raise CamtError(
            f"Dit is geen geldig XML-bestand{where}. Kies het camt.053-bestand (XML) dat u van de bank kreeg."
        ) from None
    if tree.docinfo.doctype:
        raise CamtError("Het bestand bevat een DOCTYPE. Een camt.053-bestand van de bank heeft dat niet.")
    return tree


def detect_version(tree: etree._ElementTree) -> str:
    root = tree.getroot()
    qname = etree.QName(root)
    version = NAMESPACES.get(qname.namespace or "")
    if version is None or qname.localname != "Document":
        found = (qname.namespace or "geen namespace").rsplit(":", 1)[-1]
        raise CamtError(
            "Dit is geen camt.053-bankafschrift dat wij kunnen lezen "
            f"(gevonden: {found}; wij lezen camt.053.001.02 en camt.053.001.08). "
            "Vraag de bank om een camt.053-afschrift."
        )
    return version


def validate(tree: etree._ElementTree, version: str) -> None:
    """Validate against the official XSD of ``version``; a Dutch CamtError lists the first errors with lines."""
    schema = schema_for(version)
    if schema.validate(tree):
        return
    errors = list(schema.error_log)
    prefix = "{" + next(key for key, value in NAMESPACES.items() if value == version) + "}"
    shown = "; ".join(
        f"regel {error.line}: {error.message.replace(prefix, '')}" for error in errors[:MAX_REPORTED_ERRORS]
    )
    more = f" (en nog {len(errors) - MAX_REPORTED_ERRORS} fouten)" if len(errors) > MAX_REPORTED_ERRORS else ""
    raise CamtError(
        f"Het bestand klopt niet met het officiële schema van {version}. Er is niets ingelezen. Fouten: {shown}{more}"
    )


def read_statement(data: bytes) -> CamtDocument:
    """Parse, check the version, validate against the XSD and extract: the whole document or a CamtError."""
    tree = parse_xml(data)
    version = detect_version(tree)
    validate(tree, version)
    return _extract(tree, version)


# ---------------------------------------------------------------------------------------------------------------
# Extraction (after validation: required elements are there, so only optional ones are checked)


class _Reader:
    def __init__(self, namespace: str) -> None:
        self.ns = {"c": namespace}

    def text(self, node: etree._Element, path: str) -> str:
        found = node.find(path, self.ns)
        return (found.text or "").strip() if found is not None else ""

    def all(self, node: etree._Element, path: str) -> list[etree._Element]:
        return list(node.findall(path, self.ns))


def _decimal(value: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the XSD allows only decimals here
        raise CamtError(f"Het bedrag {value!r} is geen getal.") from None


def _date(value: str) -> date | None:
    if not value:
        return None
    return date.fromisoformat(value[:10])


def _datetime(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _extract(tree: etree._ElementTree, version: str) -> CamtDocument:
    namespace = next(key for key, value in NAMESPACES.items() if value == version)
    r = _Reader(namespace)
    root = tree.getroot()
    body = root.find("c:BkToCstmrStmt", r.ns)
    assert body is not None  # guaranteed by the XSD
    statements = tuple(_statement(r, node, version) for node in r.all(body, "c:Stmt"))
    return CamtDocument(
        version=version,
        message_id=r.text(body, "c:GrpHdr/c:MsgId"),
        created_at=_datetime(r.text(body, "c:GrpHdr/c:CreDtTm")),
        statements=statements,
    )


def _statement(r: _Reader, node: etree._Element, version: str) -> CamtStatement:
    iban = r.text(node, "c:Acct/c:Id/c:IBAN") or r.text(node, "c:Acct/c:Id/c:Othr/c:Id")
    return CamtStatement(
        statement_id=r.text(node, "c:Id"),
        account_iban=iban.replace(" ", "").upper(),
        currency=r.text(node, "c:Acct/c:Ccy"),
        created_at=_datetime(r.text(node, "c:CreDtTm")),
        from_on=_date(r.text(node, "c:FrToDt/c:FrDtTm")),
        to_on=_date(r.text(node, "c:FrToDt/c:ToDtTm")),
        entries=tuple(_entries(r, node, version)),
    )


def _entries(r: _Reader, statement: etree._Element, version: str) -> Iterator[CamtEntry]:
    for index, node in enumerate(r.all(statement, "c:Ntry")):
        amount_node = node.find("c:Amt", r.ns)
        assert amount_node is not None  # required by the XSD
        amount = _decimal((amount_node.text or "").strip())
        status = r.text(node, "c:Sts") if version == "camt.053.001.02" else r.text(node, "c:Sts/c:Cd")
        code = "/".join(
            part
            for part in (
                r.text(node, "c:BkTxCd/c:Domn/c:Cd"),
                r.text(node, "c:BkTxCd/c:Domn/c:Fmly/c:Cd"),
                r.text(node, "c:BkTxCd/c:Domn/c:Fmly/c:SubFmlyCd"),
            )
            if part
        )
        details = r.all(node, "c:NtryDtls")
        batch_id = ""
        transactions: list[CamtTransaction] = []
        for detail in details:
            batch_id = batch_id or r.text(detail, "c:Btch/c:PmtInfId")
            tx_nodes = r.all(detail, "c:TxDtls")
            for tx in tx_nodes:
                transactions.append(_transaction(r, tx, version, single_amount=amount if len(tx_nodes) == 1 else None))
        yield CamtEntry(
            index=index,
            amount=amount,
            currency=amount_node.get("Ccy", ""),
            credit=r.text(node, "c:CdtDbtInd") == "CRDT",
            reversal=r.text(node, "c:RvslInd").lower() in ("true", "1"),
            status=status,
            booked_on=_date(r.text(node, "c:BookgDt/c:Dt") or r.text(node, "c:BookgDt/c:DtTm")),
            account_servicer_reference=r.text(node, "c:AcctSvcrRef"),
            bank_transaction_code=code,
            transactions=tuple(transactions),
            batch_payment_information_id=batch_id,
            additional_information=r.text(node, "c:AddtlNtryInf"),
        )


def _transaction(r: _Reader, tx: etree._Element, version: str, *, single_amount: Decimal | None) -> CamtTransaction:
    amount_text = r.text(tx, "c:AmtDtls/c:TxAmt/c:Amt")
    if not amount_text and version != "camt.053.001.02":
        amount_text = r.text(tx, "c:Amt")
    amount = _decimal(amount_text) if amount_text else single_amount
    if version == "camt.053.001.02":
        name = r.text(tx, "c:RltdPties/c:Cdtr/c:Nm")
    else:
        name = r.text(tx, "c:RltdPties/c:Cdtr/c:Pty/c:Nm")
    end_to_end = r.text(tx, "c:Refs/c:EndToEndId")
    return CamtTransaction(
        end_to_end_id="" if end_to_end == "NOTPROVIDED" else end_to_end,
        amount=amount,
        instruction_id=r.text(tx, "c:Refs/c:InstrId"),
        payment_information_id=r.text(tx, "c:Refs/c:PmtInfId"),
        return_reason=r.text(tx, "c:RtrInf/c:Rsn/c:Cd") or r.text(tx, "c:RtrInf/c:Rsn/c:Prtry"),
        return_information=" ".join(node.text or "" for node in r.all(tx, "c:RtrInf/c:AddtlInf")).strip(),
        counterparty_name=name,
        counterparty_iban=r.text(tx, "c:RltdPties/c:CdtrAcct/c:Id/c:IBAN"),
        remittance=" ".join(node.text or "" for node in r.all(tx, "c:RmtInf/c:Ustrd")).strip(),
    )


def return_reason_text(code: str) -> str:
    """The return reason in plain Dutch (the code itself when we have no text for it)."""
    if not code:
        return "De bank gaf geen reden."
    return RETURN_REASONS.get(code, f"Reden van de bank: {code}.")
