"""The portal's languages (#15 item 2). Staff pages stay Dutch (conf/base.py LANGUAGES); only /mijn/ switches."""

from __future__ import annotations

PORTAL_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("nl", "Nederlands"),
    ("en", "English"),
    ("ar", "العربية"),
    ("ti", "ትግርኛ"),
    ("uk", "Українська"),
    ("tr", "Türkçe"),
    ("fa", "فارسی (دری)"),
)
LANGUAGE_CODES = frozenset(code for code, _name in PORTAL_LANGUAGES)
RTL_LANGUAGES = frozenset({"ar", "fa"})
DEFAULT_LANGUAGE = "nl"
COOKIE_NAME = "mijn_taal"
SESSION_KEY = "mijn_taal"


def clean_language(value: str | None) -> str:
    """A language code the portal offers, or Dutch."""
    return value if value in LANGUAGE_CODES else DEFAULT_LANGUAGE
