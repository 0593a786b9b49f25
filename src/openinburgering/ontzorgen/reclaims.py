"""Settling a reclaim (#13 leftover a): the creditor of a vaste last that was paid too much (``selectors.reclaims_of``)
gives the money back (``refunded``: the refund's line on the bank statement is named) or settles it another way
(``offset``: verrekend, with a note). One service, keyword-only and atomic; it books one ledger entry pointing at
the negative correction that made the credit, stores a :class:`ReclaimSettlement` and, for a refund, resolves the
bank line so it leaves the worklist, and writes ``ontzorgen_reclaim_settled`` in the same transaction.

Never twice: the obligation row is locked first, so two settlements of the same credit wait for each other and the
second sees what is left; an amount above what is still open is refused. The same bank line sent again for the same
vaste last and amount (a double click, an API retry) returns the settlement already booked and writes nothing; a
bank line can close one reclaim only (database unique constraint).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import Conflict

from . import selectors
from .access import require_manager
from .models import LedgerEntry, LedgerKind, Obligation
from .models_bank import LineOutcome, StatementLine, StatementLineResolution
from .models_reclaim import ReclaimSettlement, SettlementMethod
from .services import EARLIEST_MONTH, TEXT_LIMIT, append_ledger_entry, format_cents, parse_euros
from .services.common import _audit, _date, _text

REFUND_LINES_LIMIT = 50
"""Bank lines offered for a refund: the newest unmatched credits."""


def refund_lines(gemeente_id: int, *, limit: int = REFUND_LINES_LIMIT) -> QuerySet[StatementLine]:
    """Credits on the gemeente's statements that matched no payment and nobody handled yet: where a creditor's
    refund arrives (it carries no end-to-end id of ours). Newest first; one query."""
    return (
        StatementLine.objects.filter(
            gemeente_id=gemeente_id, outcome=LineOutcome.UNMATCHED, is_credit=True, resolution__isnull=True,
            settlement__isnull=True,
        )
        .select_related("statement")
        .order_by("-booked_on", "-id")[:limit]
    )  # fmt: skip


def open_amount(obligation: Obligation) -> int:
    """What the creditor still owes back for this vaste last, in cents (0 when nothing is open)."""
    return max(0, -selectors.balances_of(obligation.client_file_id, obligation_id=obligation.pk).outstanding)


def _amount(value: Any) -> int | None:
    if isinstance(value, str):
        return parse_euros(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _line(gemeente_id: int, value: Any) -> StatementLine | None:
    try:
        line_id = int(value)
    except (TypeError, ValueError):
        return None
    return (
        StatementLine.objects.select_for_update(of=("self",))
        .select_related("statement")
        .filter(pk=line_id, gemeente_id=gemeente_id)
        .first()
    )


@transaction.atomic
def settle_reclaim(
    *, actor: Actor, client_file: ClientFile, obligation: Obligation, data: Mapping[str, Any], via: str = "ui"
) -> tuple[ReclaimSettlement, bool]:
    """Book the creditor's refund or offset of money paid too much for ``obligation`` (reached through
    ``access_ontzorgen_file(for_write=True)`` and ``access_obligation``). Returns the settlement and whether it is
    new. Dutch ApplicationError per field; Conflict when nothing is open any more."""
    require_manager(actor)
    Obligation.objects.select_for_update().filter(pk=obligation.pk).values_list("pk", flat=True).first()
    errors = FieldErrors()
    method = _text(data.get("method"))
    amount = _amount(data.get("amount_cents"))
    settled_on = _date(data.get("settled_on"))
    note = _text(data.get("note"))
    line: StatementLine | None = None

    if method == SettlementMethod.REFUNDED:
        line_value = data.get("statement_line")
        line = _line(actor.gemeente_id, line_value) if line_value not in (None, "") else None
        if line_value in (None, ""):
            errors.add("statement_line", "Kies de regel van het bankafschrift waarop de terugbetaling binnenkwam.")
        elif line is None:
            errors.add("statement_line", "Deze regel van het bankafschrift bestaat niet. Kies een regel uit de lijst.")
        else:
            existing = ReclaimSettlement.objects.filter(statement_line=line).first()
            if existing is not None:
                if existing.obligation_id == obligation.pk and existing.amount_cents == amount:
                    return existing, False
                errors.add("statement_line", "Deze regel van het bankafschrift is al geboekt als terugbetaling.")
            elif not line.is_credit or line.outcome != LineOutcome.UNMATCHED:
                errors.add("statement_line", "Deze regel is geen bijschrijving die nog niet herkend is.")
            elif StatementLineResolution.objects.filter(line=line).exists():
                errors.add("statement_line", "Deze regel van het bankafschrift is al afgehandeld.")
            elif amount is not None and line.amount_cents != amount:
                errors.add(
                    "amount_cents",
                    f"Het bedrag is anders dan op het bankafschrift ({format_cents(line.amount_cents)}). "
                    "Boek het bedrag dat binnenkwam.",
                )
            if settled_on is None and line is not None:
                settled_on = line.booked_on
    elif method == SettlementMethod.OFFSET:
        if data.get("statement_line") not in (None, ""):
            errors.add("statement_line", "Bij een verrekening komt er geen geld binnen: kies geen bankregel.")
        if not note:
            errors.add("note", "Schrijf op hoe de schuldeiser het bedrag heeft verrekend.")
    else:
        errors.add("method", "Kies hoe het geld terugkwam: terugbetaald door de schuldeiser, of verrekend.")
    if len(note) > TEXT_LIMIT:
        errors.add("note", f"Gebruik hoogstens {TEXT_LIMIT} tekens.")

    still_open = open_amount(obligation)
    if still_open == 0:
        raise Conflict("Voor deze vaste last staat niets meer open om terug te vorderen. Er is niets geboekt.")
    if amount is None:
        errors.add("amount_cents", "Vul het bedrag in, bijvoorbeeld 650,00.")
    elif amount <= 0:
        errors.add("amount_cents", "Het bedrag moet meer dan € 0,00 zijn.")
    elif amount > still_open:
        errors.add(
            "amount_cents",
            f"Er staat nog {format_cents(still_open)} open. Boek niet meer dan dat; "
            "wat de schuldeiser meer terugbetaalde, handelt u af op de werklijst van de bank.",
        )
    today = core_dates.today()
    if settled_on is None:
        errors.add("settled_on", "Vul de datum in, bijvoorbeeld 2026-12-01.")
    elif settled_on > today:
        errors.add("settled_on", "De datum mag niet in de toekomst liggen.")
    elif settled_on < EARLIEST_MONTH:
        errors.add("settled_on", f"De datum mag niet voor {EARLIEST_MONTH:%d-%m-%Y} liggen.")
    errors.raise_if_any()
    assert amount is not None  # checked above
    assert settled_on is not None

    correction = (
        LedgerEntry.objects.filter(obligation=obligation, kind=LedgerKind.CORRECTED, amount_cents__lt=0)
        .order_by("-period", "-id")
        .first()
    )
    if correction is None:  # a credit always comes from a negative correction (selectors.credits_in)
        raise Conflict("Er is geen correctie gevonden waar deze terugvordering bij hoort. Er is niets geboekt.")
    label = SettlementMethod(method).label
    entry = append_ledger_entry(
        client_file_id=client_file.pk, gemeente_id=client_file.gemeente_id, kind=method, amount_cents=amount,
        period=correction.period, actor=actor, obligation_id=obligation.pk, corrects=correction,
        note=f"{label} op {settled_on:%d-%m-%Y}" + (f": {note}" if note else ""), booked_on=today,
    )  # fmt: skip
    settlement = ReclaimSettlement.objects.create(
        client_file=client_file, gemeente_id=client_file.gemeente_id, obligation=obligation, method=method,
        amount_cents=amount, settled_on=settled_on, statement_line=line, note=note, ledger_entry=entry,
        recorded_at=timezone.now(), recorded_by=actor.user,
    )  # fmt: skip
    if line is not None:
        StatementLineResolution.objects.create(
            line=line, resolved_at=timezone.now(), resolved_by=actor.user,
            note=f"Terugbetaling van te veel betaalde {obligation.get_kind_display().lower()} geboekt bij dossier "
            f"{client_file.pk} ({format_cents(amount)}).",
        )  # fmt: skip
    _audit(
        actor, "ontzorgen_reclaim_settled", client_file, settlement, via,
        method=method, amount_cents=amount, obligation=obligation.pk, settled_on=settled_on,
        statement_line=line.pk if line is not None else None, still_open_cents=still_open - amount,
    )  # fmt: skip
    return settlement, True


def settlements_of(client_file_id: int) -> QuerySet[ReclaimSettlement]:
    return (
        ReclaimSettlement.objects.filter(client_file_id=client_file_id)
        .select_related("obligation", "statement_line__statement", "recorded_by")
        .order_by("recorded_at", "id")
    )
