"""Calendar months as the first day of the month (no law here: which months a payment covers is bookkeeping)."""

from __future__ import annotations

import calendar
from datetime import date

DUTCH_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_label(month: date) -> str:
    """``december 2026``."""
    return f"{DUTCH_MONTHS[month.month - 1]} {month.year}"


def parse_month(value: object) -> date | None:
    """A month from ``2026-12``, ``2026-12-01`` or a date; None when it is not one."""
    if isinstance(value, date):
        return month_start(value)
    text = str(value or "").strip()
    parts = text.split("-")
    if len(parts) not in (2, 3) or not all(part.isdigit() for part in parts):
        return None
    try:
        return date(int(parts[0]), int(parts[1]), 1)
    except ValueError:
        return None


def overlaps(month: date, start_on: date | None, end_on: date | None) -> bool:
    """Whether the period ``start_on``..``end_on`` (open end when None) has a day in ``month``."""
    if start_on is None:
        return False
    return start_on <= month_end(month) and (end_on is None or end_on >= month)
