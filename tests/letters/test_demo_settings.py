"""The demo letter settings: Haarlem and Zandvoort get contact, bezwaar address and a valid IBAN, once."""

from __future__ import annotations

import pytest

from openinburgering.demo.letter_settings import DEMO_LETTER_SETTINGS, ensure_demo_letter_settings
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.letters.models import LetterSettings
from openinburgering.letters.services import check_letter_settings

pytestmark = pytest.mark.django_db


def test_demo_settings_pass_the_service_checks():
    for values in DEMO_LETTER_SETTINGS.values():
        assert check_letter_settings(values) == values


def test_demo_settings_are_made_once_and_keep_a_beheerders_edit():
    assert ensure_demo_letter_settings() == 2
    assert set(LetterSettings.objects.values_list("gemeente__code", flat=True)) == {HAARLEM, ZANDVOORT}
    LetterSettings.objects.filter(gemeente__code=HAARLEM).update(phone="023 511 51 15")
    assert ensure_demo_letter_settings() == 0
    assert LetterSettings.objects.get(gemeente__code=HAARLEM).phone == "023 511 51 15"
