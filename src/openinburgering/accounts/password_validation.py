"""Password validators beside Django's own (AUTH_PASSWORD_VALIDATORS), for what those let through (#12 item 9):
`aaaaaaaaaaaa` (12 characters, not on the common list) and `Visser123456` (too little like "Visser" for
Django's similarity ratio, yet it is the user's surname with digits)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError


class DistinctCharactersValidator:
    """At least `min_distinct` different characters: refuses one or two characters repeated."""

    def __init__(self, min_distinct: int = 6) -> None:
        self.min_distinct = min_distinct

    def validate(self, password: str, user: Any = None) -> None:
        if len(set(password.casefold())) < self.min_distinct:
            raise ValidationError(
                "Too few different characters.", code="password_too_repetitive", params={"min": self.min_distinct}
            )

    def get_help_text(self) -> str:
        return f"Uw wachtwoord bevat minstens {self.min_distinct} verschillende tekens."


class UserAttributeContainedValidator:
    """The password must not contain the user name, first name, last name or e-mail name (each part of at least
    `min_part_length` letters or digits), in any case."""

    ATTRIBUTES = ("username", "first_name", "last_name", "email")

    def __init__(self, min_part_length: int = 3) -> None:
        self.min_part_length = min_part_length

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        folded = password.casefold()
        for attribute in self.ATTRIBUTES:
            value = str(getattr(user, attribute, "") or "")
            if attribute == "email":
                value = value.partition("@")[0]
            for part in re.split(r"[\W_]+", value.casefold()):
                if len(part) >= self.min_part_length and part in folded:
                    raise ValidationError("The password contains a user attribute.", code="password_contains_name")

    def get_help_text(self) -> str:
        return "Uw wachtwoord bevat niet uw naam, gebruikersnaam of e-mailadres."
