"""SEPA Credit Transfer files (pain.001.001.09) written with sepaxml and validated with lxml against the XSD that
sepaxml ships, before anything is stored. A file that does not validate raises :class:`InvalidSepaFile` and is
never kept, so a download is always a validated file."""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sepaxml
from lxml import etree
from sepaxml import SepaTransfer

from openinburgering.core.errors import ApplicationError

SCHEMA = "pain.001.001.09"
NAMESPACE = f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}"


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
        document = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        raise InvalidSepaFile("Het betaalbestand is geen geldige XML. Er is niets opgeslagen.") from None
    xsd = schema()
    if not xsd.validate(document):
        first = "; ".join(f"regel {error.line}: {error.message}" for error in list(xsd.error_log)[:3])
        raise InvalidSepaFile(
            f"Het betaalbestand voldoet niet aan het SEPA-formaat ({SCHEMA}). Er is niets opgeslagen. ({first})"
        )


def build_file(
    *, message_id: str, debtor_name: str, debtor_iban: str, debtor_bic: str, transfers: Iterable[Transfer]
) -> bytes:
    """One pain.001.001.09 document: a payment block per execution date (sepaxml's batch mode), every transfer
    with its own end-to-end id. Validated before it is returned."""
    config: dict[str, object] = {
        "name": debtor_name,
        "IBAN": debtor_iban,
        "batch": True,
        "currency": "EUR",
    }
    if debtor_bic:
        config["BIC"] = debtor_bic
    document = SepaTransfer(config, schema=SCHEMA, clean=True)
    document.msg_id = message_id
    count = 0
    for transfer in transfers:
        payment: dict[str, object] = {
            "name": transfer.creditor_name,
            "IBAN": transfer.iban,
            "amount": int(transfer.amount_cents),
            "execution_date": transfer.execution_on,
            "description": transfer.remittance,
            "endtoend_id": transfer.end_to_end_id,
        }
        if transfer.bic:
            payment["BIC"] = transfer.bic
        document.add_payment(copy.copy(payment))
        count += 1
    if count == 0:
        raise InvalidSepaFile("Er zijn geen betalingen in deze betaalrun; er is geen bestand gemaakt.")
    content: bytes = document.export(validate=False)
    content = _set_message_id(content, message_id)
    validate(content)
    return content


def _set_message_id(content: bytes, message_id: str) -> bytes:
    """sepaxml makes its own random MsgId when it is created; ours is stored and unique per file."""
    document = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    node = document.find(f"{{{NAMESPACE}}}CstmrCdtTrfInitn/{{{NAMESPACE}}}GrpHdr/{{{NAMESPACE}}}MsgId")
    if node is None:
        raise InvalidSepaFile("Het betaalbestand mist zijn berichtkenmerk (MsgId). Er is niets opgeslagen.")
    node.text = message_id
    return bytes(etree.tostring(document, xml_declaration=True, encoding="UTF-8"))
