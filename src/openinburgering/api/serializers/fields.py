"""Request fields with plain Dutch (B1) messages. DRF's own Dutch translations are partly English or stiff
("Date heeft het verkeerde formaat"), so every field a client writes to comes from here."""

from __future__ import annotations

from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

COMMON = {
    "required": "Vul dit veld in.",
    "null": "Dit veld mag niet leeg zijn.",
}


class _DutchSurrogates(ProhibitSurrogateCharactersValidator):
    message = "Deze tekst bevat een teken dat niet is toegestaan (U+{code_point:X})."


class TextField(serializers.CharField):
    default_error_messages = {
        **COMMON,
        "invalid": "Vul hier tekst in.",
        "blank": "Dit veld mag niet leeg zijn.",
        "max_length": "Gebruik maximaal {max_length} tekens.",
        "min_length": "Gebruik minstens {min_length} tekens.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, ProhibitNullCharactersValidator | ProhibitSurrogateCharactersValidator)
        ] + [
            ProhibitNullCharactersValidator(message="Deze tekst bevat een teken dat niet is toegestaan (NUL)."),
            _DutchSurrogates(),
        ]


class EmailField(serializers.EmailField, TextField):
    default_error_messages = {"invalid": "Dit is geen geldig e-mailadres."}


class BooleanField(serializers.BooleanField):
    default_error_messages = {**COMMON, "invalid": "Vul true of false in."}


class ChoiceField(serializers.ChoiceField):
    default_error_messages = {
        **COMMON,
        "invalid_choice": "Dit is geen bekende code. Kies een van de codes uit de API-beschrijving.",
    }


class DateField(serializers.DateField):
    default_error_messages = {
        **COMMON,
        "invalid": "Dit is geen geldige datum. Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2025-03-31.",
        "datetime": "Vul alleen een datum in, zonder tijd.",
    }


class IntegerField(serializers.IntegerField):
    default_error_messages = {
        **COMMON,
        "invalid": "Vul een heel getal in.",
        "max_value": "Dit getal is te groot (hoogstens {max_value}).",
        "min_value": "Dit getal is te klein (minstens {min_value}).",
        "max_string_length": "Dit getal is te lang.",
    }
