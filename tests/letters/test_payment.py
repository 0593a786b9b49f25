"""IBAN checksum, betalingskenmerk with check digits and money written for a letter (issue #11 item 7)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openinburgering.letters.payment import (
    betalingskenmerk,
    euro,
    format_iban,
    iban_problem,
    is_valid_betalingskenmerk,
    normalize_iban,
)


@pytest.mark.parametrize("iban", ["NL91ABNA0417164300", "nl91 abna 0417 1643 00", "BE68539007547034",
                                  "DE89370400440532013000", "GB82WEST12345698765432"])  # fmt: skip
def test_valid_ibans_pass_the_checksum(iban: str) -> None:
    assert iban_problem(iban) is None


def test_a_changed_digit_fails_the_checksum() -> None:
    assert iban_problem("NL91ABNA0417164301") == (
        "Dit IBAN klopt niet: het controlegetal past niet bij het nummer. Controleer het nummer."
    )


def test_a_dutch_iban_of_the_wrong_length_is_refused() -> None:
    assert iban_problem("NL91ABNA04171643") == "Een IBAN uit NL heeft 18 tekens. U vulde er 16 in."


@pytest.mark.parametrize("value", ["", "1234", "NLAB0417164300XXXX", "NL91 ABNA 0417-1643-00"])
def test_something_that_is_no_iban_is_refused(value: str) -> None:
    assert iban_problem(value) == (
        "Dit is geen IBAN. Een IBAN begint met twee letters en twee cijfers, bijvoorbeeld NL91 ABNA 0417 1643 00."
    )


def test_iban_is_printed_in_groups_of_four() -> None:
    assert normalize_iban(" nl91 abna 0417164300 ") == "NL91ABNA0417164300"
    assert format_iban("nl91abna0417164300") == "NL91 ABNA 0417 1643 00"


def test_betalingskenmerk_is_the_gemeente_code_the_fine_and_two_check_digits() -> None:
    reference = betalingskenmerk(gemeente_code="GM0392", fine_id=123)
    assert reference == "0392 0000 0001 2314"
    assert int(reference.replace(" ", "")) % 97 == 1
    assert is_valid_betalingskenmerk(reference) is True
    assert betalingskenmerk(gemeente_code="GM0392", fine_id=123) == reference  # deterministic


def test_a_typo_in_the_betalingskenmerk_is_caught() -> None:
    assert is_valid_betalingskenmerk("0392 0000 0001 2341") is False
    assert is_valid_betalingskenmerk("0392 0000 0001 231") is False
    assert is_valid_betalingskenmerk("") is False


@pytest.mark.parametrize(("code", "fine_id"), [("0392", 1), ("GM392", 1), ("GM0392", 0), ("GM0392", 10**10)])
def test_betalingskenmerk_refuses_bad_input(code: str, fine_id: int) -> None:
    with pytest.raises(ValueError, match="betalingskenmerk"):
        betalingskenmerk(gemeente_code=code, fine_id=fine_id)


@pytest.mark.parametrize(("amount", "written"), [
    (Decimal("250"), "€\u00a0250,00"), (Decimal("37.5"), "€\u00a037,50"), ("1200.00", "€\u00a01.200,00"),
    (Decimal("2400000.005"), "€\u00a02.400.000,01"), (0, "€\u00a00,00"), (Decimal("-12.30"), "-€\u00a012,30"),
])  # fmt: skip
def test_euro_uses_dutch_separators_and_a_non_breaking_space(amount, written) -> None:
    assert euro(amount) == written
