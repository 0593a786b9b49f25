"""Dates, numbers and money in the client's language (#15 item 2). Dutch dates look as in the letters ("7 december
2026"); other languages use Django's formats for that language; Tigrinya, for which Django has no formats, gets
unambiguous numeric dates (07-12-2026)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
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


# The portal header (mijn/_header.html), rendered once per PortalHeader and kept per process (#18: rendering it was
# about two fifths of the portal start page's CPU). A PortalHeader holds everything the header shows, and the
# template reads nothing else, so a kept header is exactly what rendering it again gives; it holds the user's own id,
# so no user is ever served another user's header. The request's CSRF token and its path (the language form's
# "next") are put in per request. tests/mijn/test_portal_header.py compares it with a fresh rendering.
_TOKEN = "oi-portal-header-csrf-token"
_NEXT = "oi-portal-header-next-path"
_PLACEHOLDERS = re.compile(f"{_TOKEN}|{_NEXT}")
MENU = ("start", "plan", "progress", "appointments", "documents", "messages", "access-log")


@dataclass(frozen=True)
class PortalHeader:
    user_id: int | None
    language: str
    signed_in: bool = False
    gemeente_name: str = ""
    plan_on: bool = False
    appointments_on: bool = False
    documents_on: bool = False
    messages_on: bool = False
    access_log_on: bool = False
    path: str = ""  # the request's path when it is a menu link (aria-current), else ""


@functools.cache
def _menu_paths() -> frozenset[str]:
    return frozenset(reverse(f"mijn:{name}") for name in MENU)


def _render_header(header: PortalHeader, csrf_token: Any = _TOKEN, next_path: str = _NEXT) -> str:
    with translation.override(header.language):
        context = {"header": header, "languages": PORTAL_LANGUAGES, "csrf_token": csrf_token, "next_path": next_path}
        return render_to_string("mijn/_header.html", context)


_kept_header = functools.lru_cache(maxsize=4096)(_render_header)


def header_of(context: Any) -> PortalHeader:
    request = context.get("request")
    user = getattr(request, "user", None)
    portal = context.get("portal")
    path = request.path if request is not None and request.path in _menu_paths() else ""
    language = get_language() or "nl"
    user_id = user.pk if user is not None and user.is_authenticated else None
    if not portal:
        return PortalHeader(user_id=user_id, language=language, path=path)
    flags = portal.settings
    return PortalHeader(
        user_id=user_id, language=language, signed_in=True, gemeente_name=portal.client_file.gemeente.name,
        plan_on=flags.plan_on, appointments_on=flags.appointments_on, documents_on=flags.documents_on,
        messages_on=flags.messages_on, access_log_on=flags.access_log_on, path=path,
    )  # fmt: skip


@register.simple_tag(takes_context=True)
def portal_header(context: Any) -> SafeString:
    request = context.get("request")
    token = context.get("csrf_token")
    header = header_of(context)
    if request is None or not token or str(token) == "NOTPROVIDED":  # no request or no token: render it as it is
        return mark_safe(_render_header(header, token, request.get_full_path() if request else ""))  # noqa: S308 -- the template's own output, escaped by it
    html = _render_header(header) if settings.DEBUG else _kept_header(header)
    values = {_TOKEN: str(token), _NEXT: str(conditional_escape(request.get_full_path()))}
    return mark_safe(_PLACEHOLDERS.sub(lambda match: values[match.group(0)], html))  # noqa: S308 -- kept template output, the path escaped


def clear_headers() -> None:
    """Forget every kept header (tests)."""
    _kept_header.cache_clear()
