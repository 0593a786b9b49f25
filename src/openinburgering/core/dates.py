"""Clock helpers. The rules module never reads the clock; callers pass `today()` in as `as_of`."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def today() -> date:
    """Today's date in Europe/Amsterdam (the gemeente's calendar), not UTC."""
    return timezone.localdate()
