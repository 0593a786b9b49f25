"""SEPA Credit Transfer files (pain.001.001.09) streamed with lxml's incremental writer and validated once with
lxml against the XSD that sepaxml ships, before anything is stored. A file that does not validate raises
:class:`InvalidSepaFile` and is never kept, so a download is always a validated file.

The document has the layout sepaxml writes in its batch mode (which this module used until #13's performance
work: building 50,000 transfers as an ElementTree in sepaxml took most of a minute): a group header, then one
payment block (``PmtInf``, batch booking) per execution date, each transfer with its own end-to-end id; names and
remittance text transliterated to ASCII with text-unidecode and cut to 70 and 140 characters, as sepaxml's
``clean`` did. ``tests/ontzorgen`` validates real files against the XSD."""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sepaxml
from lxml import etree
from text_unidecode import unidecode

from openinburgering.core.errors import ApplicationError

SCHEMA = "pain.001.001.09"
NAMESPACE = f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class InvalidSepaFile(ApplicationError):
    pass


@dataclass(frozen=True, slots=True)
class Transfer:
    end_to_end_id: str
    amount_cents: int
    creditor_name: str
    iban: str
    bic: str
    remittance: str
    execution_on: date


@functools.cache
def schema() -> etree.XMLSchema:
    path = Path(sepaxml.__file__).parent / "schemas" / f"{SCHEMA}.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def validate(content: bytes) -> None:
    """Raises InvalidSepaFile (Dutch message with the first errors) unless ``content`` is valid pain.001.001.09."""
    try:
        document = etree.fromstring(
            content, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        )
    except etree.XMLSyntaxError:
        raise InvalidSepaFile("Het betaalbestand is geen geldige XML. Er is niets opgeslagen.") from None
    xsd = schema()
    if not xsd.validate(document):
        first = "; ".join(f"regel {error.line}: {error.message}" for error in list(xsd.error_log)[:3])
        raise InvalidSepaFile(
            f"Het betaalbestand voldoet niet aan het SEPA-formaat ({SCHEMA}). Er is niets opgeslagen. ({first})"
        )


def amount_text(cents: int) -> str:
    """Whole cents as the file's decimal amount: 79395 -> ``793.95``."""
    euros, rest = divmod(int(cents), 100)
    return f"{euros}.{rest:02d}"


def clean_text(value: str, limit: int) -> str:
    """Transliterated to ASCII (``Zoë`` -> ``Zoe``) and cut to ``limit`` characters, as sepaxml's ``clean``."""
    return (value if value.isascii() else str(unidecode(value)))[:limit]


def build_file(
    *,
    message_id: str,
    debtor_name: str,
    debtor_iban: str,
    debtor_bic: str,
    transfers: Iterable[Transfer],
    created_at: datetime,
) -> bytes:
    """One pain.001.001.09 document: a payment block per execution date, every transfer with its own end-to-end
    id. Written element by element (lxml ``xmlfile``, no tree of the whole document) and validated once before it
    is returned."""
    batches: dict[date, list[Transfer]] = {}
    for transfer in transfers:
        batches.setdefault(transfer.execution_on, []).append(transfer)
    if not batches:
        raise InvalidSepaFile("Er zijn geen betalingen in deze betaalrun; er is geen bestand gemaakt.")
    count = sum(len(batch) for batch in batches.values())
    total = sum(transfer.amount_cents for batch in batches.values() for transfer in batch)
    debtor = clean_text(debtor_name, 70)
    created = created_at.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M:%S")
    out = io.BytesIO()
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        write = _Writer(xf)
        with xf.element(write.q("Document"), nsmap={None: NAMESPACE}), xf.element(write.q("CstmrCdtTrfInitn")):
            with write.node("GrpHdr"):
                write.leaf("MsgId", message_id)
                write.leaf("CreDtTm", created)
                write.leaf("NbOfTxs", str(count))
                write.leaf("CtrlSum", amount_text(total))
                with write.node("InitgPty"):
                    write.leaf("Nm", debtor)
            for number, (execution_on, batch) in enumerate(batches.items(), start=1):
                _payment_block(write, f"{message_id}-{number}"[-35:], execution_on, batch, debtor, debtor_iban,
                               debtor_bic)  # fmt: skip
    content = out.getvalue()
    validate(content)
    return content


def _payment_block(
    write: _Writer, block_id: str, execution_on: date, batch: list[Transfer], debtor: str, iban: str, bic: str
) -> None:
    with write.node("PmtInf"):
        write.leaf("PmtInfId", block_id)
        write.leaf("PmtMtd", "TRF")
        write.leaf("BtchBookg", "true")
        write.leaf("NbOfTxs", str(len(batch)))
        write.leaf("CtrlSum", amount_text(sum(transfer.amount_cents for transfer in batch)))
        with write.node("PmtTpInf"), write.node("SvcLvl"):
            write.leaf("Cd", "SEPA")
        with write.node("ReqdExctnDt"):
            write.leaf("Dt", execution_on.isoformat())
        with write.node("Dbtr"):
            write.leaf("Nm", debtor)
        with write.node("DbtrAcct"), write.node("Id"):
            write.leaf("IBAN", iban)
        with write.node("DbtrAgt"), write.node("FinInstnId"):
            if bic:
                write.leaf("BICFI", bic)
        write.leaf("ChrgBr", "SLEV")
        for transfer in batch:
            with write.node("CdtTrfTxInf"):
                with write.node("PmtId"):
                    write.leaf("EndToEndId", transfer.end_to_end_id)
                with write.node("Amt"):
                    write.leaf("InstdAmt", amount_text(transfer.amount_cents), Ccy="EUR")
                if transfer.bic:
                    with write.node("CdtrAgt"), write.node("FinInstnId"):
                        write.leaf("BICFI", transfer.bic)
                with write.node("Cdtr"):
                    write.leaf("Nm", clean_text(transfer.creditor_name, 70))
                with write.node("CdtrAcct"), write.node("Id"):
                    write.leaf("IBAN", transfer.iban)
                with write.node("RmtInf"):
                    write.leaf("Ustrd", clean_text(transfer.remittance, 140))


class _Writer:
    """Elements in the pain.001 namespace on an lxml ``xmlfile`` (the namespace is declared once, on the root)."""

    def __init__(self, xf: etree.xmlfile) -> None:
        self.xf = xf
        self.names: dict[str, str] = {}

    def q(self, tag: str) -> str:
        name = self.names.get(tag)
        if name is None:
            name = self.names[tag] = f"{{{NAMESPACE}}}{tag}"
        return name

    def node(self, tag: str) -> Any:
        return self.xf.element(self.q(tag))

    def leaf(self, tag: str, text: str, **attributes: str) -> None:
        with self.xf.element(self.q(tag), **attributes):
            self.xf.write(text)


def payment_blocks(content: bytes) -> tuple[str, dict[str, tuple[str, ...]]]:
    """The message id of a stored pain.001 file and, per payment block (``PmtInf``), its ``PmtInfId`` with the
    end-to-end ids in it. A bank that books a block as one debit (a batch booking) names the block's id (or the
    message id) on its camt.053 statement; the reconciliation uses this to find the payments behind it."""
    document = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    ns = {"p": NAMESPACE}
    message_id = (document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId", "", ns) or "").strip()
    blocks: dict[str, tuple[str, ...]] = {}
    for block in document.iterfind("p:CstmrCdtTrfInitn/p:PmtInf", ns):
        block_id = (block.findtext("p:PmtInfId", "", ns) or "").strip()
        blocks[block_id] = tuple(
            (node.text or "").strip() for node in block.iterfind("p:CdtTrfTxInf/p:PmtId/p:EndToEndId", ns)
        )
    return message_id, blocks
