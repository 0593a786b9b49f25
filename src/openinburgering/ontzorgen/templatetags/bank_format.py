"""{{ cents|cents_euro }}: integer cents as a Dutch amount, "€ 1.250,00" with a non-breaking space."""

from __future__ import annotations

from decimal import Decimal

from django import template

from openinburgering.letters.payment import euro

register = template.Library()


@register.filter
def cents_euro(cents: int | None) -> str:
    return "" if cents is None else euro(Decimal(cents) / 100)
