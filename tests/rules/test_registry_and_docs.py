"""The registry matches the catalogue and the functions; docs/rules.md is generated from it, kept current."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import openinburgering.rules as rules
from openinburgering.rules import RULES, Rule
from openinburgering.rules.__main__ import main
from openinburgering.rules.docs import BEGIN, END, render_reference, update_document
from openinburgering.rules.registry import Kind

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"

CATALOGUE = [
    "inburgeringsplicht",
    "lbt_outcome",
    "intake_next_step",
    "pip_deadline",
    "termijn",
    "route_switch",
    "pip_validation",
    "afschalen",
    "voldaan",
    "extension_for_effort",
    "fine_intake",
    "fine_pip",
    "ontzorgen",
    "retention",
]


BEYOND_CATALOGUE = [
    "bezwaar_termijn",
    "betalingstermijn",
    "cbs_levering",
    "reported_termijn",
    "duo_resultaat_validation",
    "file_termijn",
]


def test_registry_has_every_catalogue_rule_in_order_then_the_extra_rules() -> None:
    assert list(RULES) == CATALOGUE + BEYOND_CATALOGUE


@pytest.mark.parametrize("name", CATALOGUE)
def test_each_rule_is_public_keyword_only_and_cites_articles(name: str) -> None:
    function = getattr(rules, name)
    assert RULES[name].function is function
    kinds = {parameter.kind for parameter in inspect.signature(function).parameters.values()}
    assert kinds == {inspect.Parameter.KEYWORD_ONLY}
    assert (function.__doc__ or "").count("art.") >= 1


def test_catalogue_input_specs_of_pip_deadline() -> None:
    specs = {spec.name: (spec.kind, spec.required, spec.default) for spec in RULES["pip_deadline"].inputs}
    assert specs == {
        "kennisgeving_on": (Kind.DATE, True, None),
        "housed_under_taakstelling": (Kind.BOOL, False, False),
        "registered_on": (Kind.DATE, False, None),
        "awaiting_third_party": (Kind.BOOL, False, False),
        "third_party_received_on": (Kind.DATE, False, None),
        "moved_registered_on": (Kind.DATE, False, None),
    }


def test_declared_inputs_must_match_the_signature() -> None:
    with pytest.raises(TypeError, match=r"retention: declared inputs \['ended_on'\] differ from \['plicht_ended_on'\]"):
        Rule.build("retention", "B 9.9", rules.retention, {"ended_on": Kind.DATE})


def test_docs_file_is_generated_from_the_registry() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert update_document(text) == text, "run: python -m openinburgering.rules docs --write docs/rules.md"


@pytest.mark.parametrize("name", CATALOGUE)
def test_docs_file_names_every_rule(name: str) -> None:
    assert f"| `{name}` |" in DOCS.read_text(encoding="utf-8")


def test_reference_lists_inputs_with_defaults_and_outputs_with_codes() -> None:
    row = next(line for line in render_reference().splitlines() if line.startswith("| `fine_intake` |"))
    assert row == (
        "| `fine_intake` | W 22, W 26, W 27, B 7.1 | Return the boete for the brede intake"
        " (Wet inburgering 2021 art. 22, 27; Besluit art. 7.1). | `bijstand_reduced_for_same_conduct` bool"
        " = false<br>`fines_total` money = 0.00<br>`cap` money = 2400.00<br>`published_on` date = null |"
        " `amount` money<br>`new_term_until_on` date or null<br>`capped` bool |"
    )


def test_docs_command_prints_the_reference(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs"]) == 0
    assert capsys.readouterr().out == render_reference()


def test_docs_write_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "rules.md"
    target.write_text(f"# Rules\n\n{BEGIN}\nstale\n{END}\n\nAfter.\n", encoding="utf-8")
    assert main(["docs", "--check", str(target)]) == 1
    assert capsys.readouterr().out == (
        f"{target} is out of date: run python -m openinburgering.rules docs --write {target}\n"
    )
    assert main(["docs", "--write", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == f"# Rules\n\n{render_reference()}\nAfter.\n"
    assert main(["docs", "--check", str(target)]) == 0


def test_update_needs_the_markers() -> None:
    with pytest.raises(ValueError, match="no generated rules reference section"):
        update_document("# Rules\n")
