"""Filters for letters: money and IBAN as a letter prints them (non-breaking, grouped)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ..payment import euro as euro_text
from ..payment import format_iban

register = template.Library()


@register.filter
def euro(amount: Decimal | int | str | None) -> str:
    """{{ amount|euro }}: "€ 1.250,00" with a non-breaking space (never split over two lines)."""
    return "" if amount is None or amount == "" else euro_text(amount)


@register.filter
def iban(value: str) -> str:
    """{{ settings.iban|iban }}: "NL91 ABNA 0417 1643 00"."""
    return format_iban(value)
