"""The mapping module and our schema agree: every code the mapping can write is an enumeration value of the XSD,
and every enumeration value of the XSD is one the mapping writes (so neither side has a dead or a missing code)."""

from __future__ import annotations

from lxml import etree

from openinburgering.monitoring.cbs import document, mapping

XS = "{http://www.w3.org/2001/XMLSchema}"


def _enumerations() -> dict[str, set[str]]:
    tree = etree.parse(str(mapping.SCHEMA_FILE))
    return {
        simple.get("name"): {value.get("value") for value in simple.iter(f"{XS}enumeration")}
        for simple in tree.iter(f"{XS}simpleType")
        if simple.find(f".//{XS}enumeration") is not None
    }


def test_the_schema_compiles_and_says_it_is_ours_pending_cbs() -> None:
    assert document.schema() is not None
    text = mapping.SCHEMA_FILE.read_text()
    assert "THIS IS NOT CBS'S SCHEMA" in text
    assert f'targetNamespace="{mapping.NAMESPACE}"' in text
    assert f'version="{mapping.SCHEMA_VERSION}"' in text


def test_every_code_of_the_mapping_is_in_the_schema_and_back() -> None:
    enumerations = _enumerations()
    assert enumerations["Doelgroep"] == set(mapping.DOELGROEP.values())
    assert enumerations["Status"] == set(mapping.STATUS.values())
    assert enumerations["Leerroute"] == set(mapping.LEERROUTE.values())
    assert enumerations["Taalniveau"] == {"A2", "B1"} | set(mapping.STANDARD_LEVEL.values())
    assert enumerations["JaNee"] == set(mapping.YES_NO.values())
    assert enumerations["Ontbreekt"] == {
        gap.code for gap in (mapping.NO_INTAKE, mapping.NO_PIP, mapping.NO_ONTZORGEN_START, mapping.NO_PVT,
                             mapping.NO_MAP)
    }  # fmt: skip
    assert mapping.NO_BSN.code == mapping.NO_DOELGROEP.code == ""  # blocking: never written
    assert enumerations["Kenmerk"] == {
        "STATUS", "BREDE_INTAKE", "PIP", "LEERROUTE", "ONTZORGEN", "PARTICIPATIE", "PVT", "MAP", "VOLDAAN",
    }  # fmt: skip
    assert enumerations["SoortLevering"] == {"regulier", "vervangend"}
