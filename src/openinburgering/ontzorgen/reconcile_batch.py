"""Batch bookings on a camt.053 statement (#13 gap 4).

A bank may book a payment block of our pain.001 file as ONE debit (a *verzamelboeking*): the entry names the block
(``NtryDtls/Btch/PmtInfId``) or the file (``Btch/MsgId``), with or without the number of transactions, and gives
no transaction details. Or it gives one entry with several transactions (``TxDtls``) that carry our end-to-end ids
but no amount each. Both used to land unmatched. Here, before matching:

- a batch booking without details is looked up in the gemeente's stored payment files (the newest
  ``RECENT_FILES``): the block or file it names gives the end-to-end ids. When every one of them is a payment of
  the gemeente, their sum is the entry's amount, and the count agrees (when the bank gives it), the entry is
  replaced by one transaction per payment, with its end-to-end id and amount; the matching then marks each paid
  (or already paid) as usual;
- an entry with several transactions without amounts gets each payment's amount when all ids are ours and the sum
  is the entry's amount.

A batch *credit* (the bank returns a whole block or file at once, #13 leftover b: e.g. the block was refused after
booking) is expanded the same way: each payment of the block becomes a credit transaction with its end-to-end id
and amount, which the matching marks **returned** (a ``returned`` ledger entry per payment, as for a single
return), or already returned. The bank gives no reason per payment; the line says the whole block came back.

Anything that does not add up stays as it was (one unmatched line for the consulent), with a note saying why.
Pure reading: nothing is written here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from . import camt, sepa
from .models import PaymentFile

RECENT_FILES = 24
"""Payment files searched for a batch's block: two years of monthly runs."""

Key = tuple[str, int]
"""(statement id, entry index)."""


def _is_batch(entry: camt.CamtEntry) -> bool:
    return not entry.transactions and bool(entry.batch_payment_information_id or entry.batch_message_id)


def _without_amounts(entry: camt.CamtEntry) -> bool:
    return len(entry.transactions) > 1 and any(tx.amount is None for tx in entry.transactions)


def blocks_in_files(gemeente_id: int, wanted: set[str]) -> dict[str, tuple[str, ...]]:
    """Per wanted block id (``PmtInfId``) or message id: the end-to-end ids of the payments in it, read from the
    gemeente's newest stored payment files (one query; files are parsed one by one until all are found)."""
    found: dict[str, tuple[str, ...]] = {}
    if not wanted:
        return found
    files = (
        PaymentFile.objects.filter(run__gemeente_id=gemeente_id)
        .order_by("-created_at", "-id")
        .values_list("content", flat=True)[:RECENT_FILES]
    )
    for content in files.iterator(chunk_size=1):
        data = bytes(content)
        if not data:  # destroyed after its retention term
            continue
        message_id, blocks = sepa.payment_blocks(data)
        if message_id in wanted:
            found[message_id] = tuple(e2e for ids in blocks.values() for e2e in ids)
        for block_id, ids in blocks.items():
            if block_id in wanted:
                found[block_id] = ids
        if wanted <= found.keys():
            break
    return found


def _cents(amount: Decimal | None) -> int | None:
    if amount is None:
        return None
    cents = amount * 100
    return int(cents) if cents == cents.to_integral_value() else None


def expand(
    *,
    gemeente_id: int,
    statements: Sequence[camt.CamtStatement],
    amounts_of: Callable[[Iterable[str]], Mapping[str, Any]],
) -> tuple[list[camt.CamtStatement], dict[Key, str]]:
    """The statements with every batch booking that adds up replaced by its transactions, and a note per entry
    that does not add up. ``amounts_of(ids)`` gives the gemeente's payments by end-to-end id (``amount_cents``)."""
    batches = [(s, e) for s in statements for e in s.entries if _is_batch(e)]
    partial = [(s, e) for s in statements for e in s.entries if _without_amounts(e)]
    notes: dict[Key, str] = {}
    if not batches and not partial:
        return list(statements), notes
    wanted = {e.batch_payment_information_id for _, e in batches if e.batch_payment_information_id} | {
        e.batch_message_id for _, e in batches if e.batch_message_id
    }
    blocks = blocks_in_files(gemeente_id, wanted)
    ids_of: dict[Key, tuple[str, ...]] = {}
    for statement, entry in batches:
        ids = blocks.get(entry.batch_payment_information_id) or blocks.get(entry.batch_message_id) or ()
        ids_of[(statement.statement_id, entry.index)] = ids
    for statement, entry in partial:
        ids_of[(statement.statement_id, entry.index)] = tuple(tx.end_to_end_id for tx in entry.transactions)
    payments = amounts_of({e2e for ids in ids_of.values() for e2e in ids if e2e})
    replaced: dict[Key, tuple[camt.CamtTransaction, ...]] = {}
    for statement, entry in [*batches, *partial]:
        key = (statement.statement_id, entry.index)
        ids = ids_of[key]
        name = entry.batch_payment_information_id or entry.batch_message_id or "zonder kenmerk"
        if not ids:
            notes[key] = (
                f"Verzamelboeking {name}: wij vinden geen betaalbestand met dit kenmerk. Vraag de bank om elke "
                "betaling apart te melden."
                if _is_batch(entry)
                else "Deze boeking heeft meerdere betalingen zonder bedrag per betaling."
            )
            continue
        missing = [e2e for e2e in ids if e2e not in payments]
        total = sum(int(payments[e2e].amount_cents) for e2e in ids if e2e in payments)
        if missing:
            notes[key] = f"Verzamelboeking {name}: {len(missing)} betaling(en) horen niet bij de gemeente."
            continue
        if total != _cents(entry.amount):
            notes[key] = (
                f"Verzamelboeking {name}: het bedrag ({entry.amount:.2f}) is anders dan de betalingen samen "
                f"({Decimal(total) / 100:.2f})."
            )
            continue
        if entry.batch_count is not None and entry.batch_count != len(ids):
            notes[key] = (
                f"Verzamelboeking {name}: de bank noemt {entry.batch_count} betalingen, het betaalbestand {len(ids)}."
            )
            continue
        if _is_batch(entry):
            returned_note = f"De bank heeft het hele betaalblok {name} teruggeboekt." if entry.credit else ""
            replaced[key] = tuple(
                camt.CamtTransaction(
                    end_to_end_id=e2e,
                    amount=Decimal(int(payments[e2e].amount_cents)) / 100,
                    payment_information_id=entry.batch_payment_information_id,
                    return_information=returned_note,
                )
                for e2e in ids
            )
        else:
            replaced[key] = tuple(
                replace(tx, amount=Decimal(int(payments[tx.end_to_end_id].amount_cents)) / 100)
                for tx in entry.transactions
            )
    result = [
        replace(
            statement,
            entries=tuple(
                replace(entry, transactions=replaced[(statement.statement_id, entry.index)])
                if (statement.statement_id, entry.index) in replaced
                else entry
                for entry in statement.entries
            ),
        )
        for statement in statements
    ]
    return result, notes
