"""The password policy (#12 item 9): at least 12 characters, no common password, nothing built from the user's
own names, not one character over and over. Checked through the own password change, with Dutch reasons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openinburgering.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "test-Password-123!"
REPETITIVE = "Het wachtwoord bestaat te veel uit dezelfde tekens. Gebruik minstens 6 verschillende tekens."
CONTAINS_NAME = "Het wachtwoord bevat uw naam, gebruikersnaam of e-mailadres. Kies een ander wachtwoord."


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        ("aaaaaaaaaaaa", REPETITIVE),
        ("abababababab", REPETITIVE),
        ("Visser123456", CONTAINS_NAME),
        ("mijn-bram-is-lang", CONTAINS_NAME),
        ("password1234", "Dit wachtwoord wordt te veel gebruikt. Kies een ander wachtwoord."),
        ("Kort-1", "Het wachtwoord is te kort: gebruik minstens 12 tekens."),
        ("123456789012345", "Het wachtwoord mag niet alleen uit cijfers bestaan."),
    ],
)
def test_a_weak_password_is_refused_with_a_dutch_reason(new, reason, login, staff):
    assert (staff["bram"].first_name, staff["bram"].last_name) == ("Bram", "Visser")
    response = login("bram").post(
        reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert User.objects.get(username="bram").check_password(PASSWORD)


@pytest.mark.parametrize("new", ["Rode-fiets-aan-de-Spaarne", "tulp.molen.kaas.7"])
def test_a_strong_password_is_accepted(new, login, staff):
    response = login("bram").post(
        reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert User.objects.get(username="bram").check_password(new)
