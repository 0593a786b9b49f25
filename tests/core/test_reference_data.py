"""The role names put back after a flush are Dutch, whatever language the thread had active (a portal test in
Tigrinya ran before one CI run's flush, and the staff pages then showed the role in Tigrinya)."""

from __future__ import annotations

import pytest
from django.utils import translation

from openinburgering.accounts.models import Role
from openinburgering.accounts.reference_data import load_roles

pytestmark = pytest.mark.django_db


def test_roles_are_stored_in_dutch_while_another_language_is_active() -> None:
    with translation.override("ti"):
        load_roles(Role)
    assert Role.objects.get(code="klantregisseur").name == "Klantregisseur"
