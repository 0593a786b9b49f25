"""Dates, numbers and money in the client's language (#15 item 2). Dutch dates look as in the letters ("7 december
2026"); other languages use Django's formats for that language; Tigrinya, for which Django has no formats, gets
unambiguous numeric dates (07-12-2026)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language

from ..languages import PORTAL_LANGUAGES, RTL_LANGUAGES

register = template.Library()

NUMERIC_DATE_LANGUAGES = frozenset({"ti"})


@register.filter
def portal_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    language = get_language() or "nl"
    if language in NUMERIC_DATE_LANGUAGES:
        return value.strftime("%d-%m-%Y")
    if language == "nl":
        return formats.date_format(value, "j F Y")
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def portal_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%H:%M")


@register.filter
def portal_money(value: Decimal | int | None) -> str:
    """Euros with two decimals and the language's separators: € 1.250,00 (nl), € 1,250.00 (en)."""
    if value is None:
        return ""
    number = formats.number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"€\u00a0{number}"


@register.filter
def portal_number(value: int | Decimal | None) -> str:
    """A number in the language's format; whole hours without decimals (24, not 24,0), halves as 21,5."""
    if value is None:
        return ""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return formats.number_format(value, use_l10n=True, force_grouping=True)


@register.simple_tag
def portal_languages() -> tuple[tuple[str, str], ...]:
    return PORTAL_LANGUAGES


@register.simple_tag
def portal_dir() -> str:
    return "rtl" if (get_language() or "nl") in RTL_LANGUAGES else "ltr"


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "")


@register.filter
def portal_month(value: date) -> str:
    language = get_language() or "nl"
    if language in NUMERIC_DATE_LANGUAGES:
        return value.strftime("%m-%Y")
    if language == "nl":
        return formats.date_format(value, "F Y")
    return formats.date_format(value, "YEAR_MONTH_FORMAT")
