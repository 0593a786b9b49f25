"""Writes the CBS file as XML and validates it against the schema beside ``mapping`` (lxml), before anything is
stored: a file that does not validate raises :class:`InvalidCbsFile` and is never kept, so every download is a
validated file."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from lxml import etree

from openinburgering.core.errors import ApplicationError

from . import mapping
from .mapping import Node


class InvalidCbsFile(ApplicationError):
    pass


@functools.cache
def schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(mapping.SCHEMA_FILE), parser=parser))


def _append(parent: etree._Element, nodes: Iterable[Node]) -> None:
    for name, value in nodes:
        child = etree.SubElement(parent, f"{{{mapping.NAMESPACE}}}{name}")
        if isinstance(value, str):
            child.text = value
        else:
            _append(child, value)


def build(*, header: list[Node], records: Iterable[list[Node]],
          corrections: Iterable[tuple[str, list[Node]]]) -> bytes:  # fmt: skip
    """The document: the header, this quarter's records, then the corrections as (verslagperiode, record)."""
    root = etree.Element(f"{{{mapping.NAMESPACE}}}{mapping.ROOT}", nsmap={None: mapping.NAMESPACE})
    root.set("schemaversie", mapping.SCHEMA_VERSION)
    _append(root, [("kop", header)])
    current = etree.SubElement(root, f"{{{mapping.NAMESPACE}}}inburgeraars")
    for nodes in records:
        _append(current, [("inburgeraar", nodes)])
    earlier = etree.SubElement(root, f"{{{mapping.NAMESPACE}}}correcties")
    for period, nodes in corrections:
        element = etree.SubElement(earlier, f"{{{mapping.NAMESPACE}}}inburgeraar")
        element.set("verslagperiode", period)
        _append(element, nodes)
    content: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    validate(content)
    return content


def validate(content: bytes) -> None:
    """Raises InvalidCbsFile (Dutch, with the first errors) unless ``content`` is valid against the schema."""
    try:
        document = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        raise InvalidCbsFile("Het CBS-bestand is geen geldige XML. Er is niets opgeslagen.") from None
    xsd = schema()
    if not xsd.validate(document):
        first = "; ".join(f"regel {error.line}: {error.message}" for error in list(xsd.error_log)[:3])
        raise InvalidCbsFile(
            f"Het CBS-bestand voldoet niet aan het schema (versie {mapping.SCHEMA_VERSION}). Er is niets "
            f"opgeslagen. ({first})"
        )
