"""Shared parts of the ontzorgen services: the audit purpose, limits, input helpers and money notation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from openinburgering.accounts.actor import Actor
from openinburgering.audit.services import record_event
from openinburgering.clients.models import ClientFile

PURPOSE = "financieel ontzorgen (Participatiewet art. 56a)"
TEXT_LIMIT = 2_000
MAX_AMOUNT_CENTS = 1_000_000  # € 10.000 a month: above that it is a typing error, not a vaste last
EARLIEST_MONTH = date(2022, 1, 1)  # the Wet inburgering 2021 took effect on 1 January 2022


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def _text(value: Any) -> str:
    return str(value or "").strip()


def _json(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _audit(
    actor: Actor, event_type: str, client_file: ClientFile | None, subject: Any, via: str, **changes: Any
) -> None:
    record_event(
        actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file, gemeente=actor.gemeente,
        subject=subject, changes={key: _json(value) for key, value in changes.items()}, via=via,
    )  # fmt: skip


def parse_euros(value: Any) -> int | None:
    """Euros as typed by a person (``1.234,56``, ``750``, ``750.5``) in whole cents; None when it is no amount."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value * 100
    text = _text(value).replace("€", "").replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return None
    return int(amount * 100)


def format_cents(cents: int) -> str:
    """``€ 1.234,56`` (Dutch notation)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    return f"{sign}€ {euros:,}".replace(",", ".") + f",{rest:02d}"
