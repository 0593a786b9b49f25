"""Bank reconciliation (#13 item 4): import the bank's camt.053 and match it to the payments of the runs.

``import_statement`` reads the file with ``camt.read_statement`` (validated against the official XSD), checks
that every statement in it is for the gemeente's own paying account (``OntzorgenSettings.debtor_iban``) in euro,
and then, in ONE transaction, stores the statement and one ``StatementLine`` per transaction:

- a debit whose end-to-end id is one of our payments, for the same amount: **paid**;
- a credit with the end-to-end id of one of our payments (a return, ``RtrInf`` with its reason code, or a
  reversal): **returned**, and a ``returned`` ledger entry pointing at the payment's ``sent`` entry, so the
  client's balance shows the money is back and must be paid again;
- anything else (no end-to-end id, an id we never sent, a different amount, a return of a payment that was never
  sent): **unmatched**;
- a payment that an earlier statement already marked paid (or returned): **already** (nothing changes).

Returned and unmatched lines are the financieel consulent's worklist until resolved. The same statement (gemeente,
account, statement id) imported again changes nothing: the unique constraint and a check before writing. Any
problem (malformed file, schema error, another account, another currency) is a Dutch error and nothing is written.

A batch booking without transaction details (one debit for a payment block of our file, or one credit returning
a whole block) is matched to the block's payments when it adds up (``reconcile_batch``): paid, or returned;
otherwise it is one unmatched line saying why.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import EventSubject, record_event, record_events
from openinburgering.core import dates as core_dates
from openinburgering.core.bulk import insert_rows
from openinburgering.core.errors import ApplicationError, NotFound

from . import camt, reconcile_batch
from .models import LedgerEntry, OntzorgenSettings, Payment, PaymentRun
from .models_bank import BankStatement, LineOutcome, StatementLine, StatementLineResolution
from .periods import month_start
from .services import PURPOSE as ONTZORGEN_PURPOSE

PURPOSE = ONTZORGEN_PURPOSE
CHUNK = 5_000
"""Ids per ``IN`` query: well below PostgreSQL's 65,535 bind parameters for a 50,000-line statement."""

RETURN_CODES = frozenset({"RRTN", "RPCR"})
"""Bank transaction sub-families of a returned or reversed credit transfer (ISO 20022 BTC: PMNT/ICDT/RRTN)."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    statements: tuple[BankStatement, ...]
    created: bool
    """False when every statement in the file had been imported before (nothing changed)."""

    @property
    def paid(self) -> int:
        return sum(statement.paid_count for statement in self.statements)

    @property
    def returned(self) -> int:
        return sum(statement.returned_count for statement in self.statements)

    @property
    def unmatched(self) -> int:
        return sum(statement.unmatched_count for statement in self.statements)


def _cents(amount: Decimal) -> int:
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise camt.CamtError(f"Het bedrag {amount} heeft meer dan twee cijfers achter de komma. Er is niets ingelezen.")
    return int(cents)


def _format_iban(iban: str) -> str:
    return " ".join(iban[index : index + 4] for index in range(0, len(iban), 4))


def _check_accounts(document: camt.CamtDocument, settings: OntzorgenSettings | None) -> str:
    if settings is None or not settings.debtor_iban:
        raise camt.CamtError(
            "De rekening van de gemeente voor ontzorgen is nog niet ingesteld. Stel die eerst in; "
            "er is niets ingelezen."
        )
    own = settings.debtor_iban.replace(" ", "").upper()
    if not document.statements:
        raise camt.CamtError("Het bestand bevat geen afschrift. Er is niets ingelezen.")
    for statement in document.statements:
        if statement.account_iban != own:
            raise camt.CamtError(
                f"Dit afschrift is van rekening {_format_iban(statement.account_iban) or 'onbekend'}. De betalingen "
                f"voor ontzorgen gaan van rekening {_format_iban(own)}. Kies het afschrift van die rekening; "
                "er is niets ingelezen."
            )
        if statement.currency and statement.currency != "EUR":
            raise camt.CamtError(
                f"Dit afschrift is in {statement.currency}. Wij lezen alleen afschriften in euro; "
                "er is niets ingelezen."
            )
        for entry in statement.entries:
            if entry.currency != "EUR":
                raise camt.CamtError(
                    f"Regel {entry.index + 1} van het afschrift is in {entry.currency}. Wij lezen alleen bedragen in "
                    "euro; er is niets ingelezen."
                )
    return own


class PaymentRow(NamedTuple):
    """What matching needs of a payment (plain tuples: 50,000 model instances would cost seconds)."""

    id: int
    amount_cents: int
    client_file_id: int
    run_id: int
    obligation_id: int


def _payments_by_e2e(gemeente_id: int, ids: Iterable[str]) -> dict[str, PaymentRow]:
    """The gemeente's payments with these end-to-end ids. On PostgreSQL one query with the ids as ONE array
    parameter (``= ANY``): 50,000 separate placeholders cost seconds to build and to parse."""
    wanted = sorted({value for value in ids if value})
    found: dict[str, PaymentRow] = {}
    if connection.vendor == "postgresql":
        payment, run = Payment._meta.db_table, PaymentRun._meta.db_table
        with connection.cursor() as cursor:
            # Table names come from the models; every value is a parameter.
            sql = (
                "SELECT p.end_to_end_id, p.id, p.amount_cents, p.client_file_id, p.run_id, p.obligation_id "  # noqa: S608 - table names from the models
                f"FROM {payment} p JOIN {run} r ON r.id = p.run_id "
                "WHERE p.end_to_end_id = ANY(%s) AND r.gemeente_id = %s"
            )
            cursor.execute(sql, [wanted, gemeente_id])
            for e2e, *values in cursor.fetchall():
                found[e2e] = PaymentRow(*values)
        return found
    for start in range(0, len(wanted), CHUNK):
        rows = Payment.objects.filter(end_to_end_id__in=wanted[start : start + CHUNK], run__gemeente_id=gemeente_id)
        for e2e, *values in rows.values_list(
            "end_to_end_id", "id", "amount_cents", "client_file_id", "run_id", "obligation_id"
        ):
            found[e2e] = PaymentRow(*values)
    return found


def _settled(payment_ids: list[int]) -> dict[tuple[int, str], int]:
    """Lines an earlier statement already wrote per (payment, outcome): a repeat changes nothing."""
    done: dict[tuple[int, str], int] = defaultdict(int)
    outcomes = [str(LineOutcome.PAID), str(LineOutcome.RETURNED)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT payment_id, outcome FROM {StatementLine._meta.db_table} "  # noqa: S608 - table name from the model
                "WHERE payment_id = ANY(%s) AND outcome = ANY(%s)",
                [payment_ids, outcomes],
            )
            for payment_id, outcome in cursor.fetchall():
                done[(payment_id, outcome)] += 1
        return done
    for start in range(0, len(payment_ids), CHUNK):
        rows = StatementLine.objects.filter(
            payment_id__in=payment_ids[start : start + CHUNK], outcome__in=outcomes
        ).values_list("payment_id", "outcome")
        for payment_id, outcome in rows:
            done[(payment_id, outcome)] += 1
    return done


def _sent_entries(payment_ids: list[int]) -> dict[int, LedgerEntry]:
    """The ``sent`` ledger entry of each payment that may have come back (only those: a few per statement)."""
    entries: dict[int, LedgerEntry] = {}
    for start in range(0, len(payment_ids), CHUNK):
        for entry in LedgerEntry.objects.filter(payment_id__in=payment_ids[start : start + CHUNK], kind="sent"):
            assert entry.payment_id is not None
            entries[entry.payment_id] = entry
    return entries


LINE_COLUMNS = (
    "statement_id", "gemeente_id", "entry_index", "end_to_end_id", "amount_cents", "is_credit", "booked_on",
    "outcome", "return_reason", "counterparty_name", "counterparty_iban", "description", "payment_id",
    "client_file_id",
)  # fmt: skip


def _write_lines(rows: list[tuple[Any, ...]]) -> None:
    """Insert the statement's lines in one statement (PostgreSQL COPY: 50,000 lines in about a second)."""
    insert_rows(StatementLine, LINE_COLUMNS, rows)


def _is_return(entry: camt.CamtEntry, transaction_: camt.CamtTransaction) -> bool:
    sub_family = entry.bank_transaction_code.rsplit("/", 1)[-1]
    return entry.credit or entry.reversal or bool(transaction_.return_reason) or sub_family in RETURN_CODES


def _lines_of(
    statement: camt.CamtStatement,
) -> Iterable[tuple[camt.CamtEntry, camt.CamtTransaction | None]]:
    for entry in statement.entries:
        if entry.transactions:
            for transaction_ in entry.transactions:
                yield entry, transaction_
        else:
            yield entry, None


@transaction.atomic
def import_statement(*, actor: Actor, data: bytes, via: str = "ui") -> ImportResult:
    """Import a camt.053 file for the actor's gemeente: all of it, or nothing (a Dutch ApplicationError)."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    document = camt.read_statement(data)
    settings = OntzorgenSettings.objects.filter(gemeente_id=actor.gemeente_id).first()
    account = _check_accounts(document, settings)
    digest = hashlib.sha256(data).hexdigest()

    existing = {
        row.statement_id: row
        for row in BankStatement.objects.filter(
            gemeente_id=actor.gemeente_id,
            account_iban=account,
            statement_id__in=[statement.statement_id for statement in document.statements],
        )
    }
    new_statements = [s for s in document.statements if s.statement_id not in existing]
    if not new_statements:
        record_event(
            actor=actor, event_type="bank_statement_import_repeated", purpose=PURPOSE,
            subject_type="bankstatement", subject_id=",".join(str(s.pk) for s in existing.values()),
            changes={"sha256": digest}, via=via,
        )  # fmt: skip
        return ImportResult(statements=tuple(existing.values()), created=False)

    # A batch booking (one debit for a payment block) becomes the block's transactions when it adds up (#13 gap 4).
    new_statements, batch_notes = reconcile_batch.expand(
        gemeente_id=actor.gemeente_id, statements=new_statements,
        amounts_of=lambda ids: _payments_by_e2e(actor.gemeente_id, ids),
    )  # fmt: skip
    all_ids = [t.end_to_end_id for s in new_statements for _, t in _lines_of(s) if t is not None]
    payments = _payments_by_e2e(actor.gemeente_id, all_ids)
    payment_ids = sorted(payment.id for payment in payments.values())
    settled = _settled(payment_ids)
    maybe_returned = sorted(
        {
            payments[t.end_to_end_id].id
            for s in new_statements
            for e, t in _lines_of(s)
            if t is not None and t.end_to_end_id in payments and _is_return(e, t)
        }
    )
    sent = _sent_entries(maybe_returned)
    now = timezone.now()
    created: list[BankStatement] = []
    per_file: dict[int, dict[str, int]] = defaultdict(lambda: {"paid": 0, "returned": 0, "unmatched": 0})

    for parsed in new_statements:
        lines: list[tuple[Any, ...]] = []
        returns: list[tuple[PaymentRow, int, LedgerEntry]] = []
        counts = {LineOutcome.PAID: 0, LineOutcome.RETURNED: 0, LineOutcome.UNMATCHED: 0, LineOutcome.ALREADY: 0}
        for entry, tx in _lines_of(parsed):
            amount = tx.amount if tx is not None and tx.amount is not None else entry.amount
            cents = _cents(amount)
            payment = payments.get(tx.end_to_end_id) if tx is not None else None
            description = ""
            outcome = LineOutcome.UNMATCHED
            if entry.status not in ("BOOK", ""):
                description = f"Nog niet geboekt door de bank (status {entry.status})."
            elif tx is None:
                description = (
                    "Geen betalingskenmerk (end-to-end id): de bank gaf geen details van deze boeking. "
                    + (
                        "Dit is een verzamelboeking; vraag de bank om elke betaling apart te melden."
                        if entry.batch_payment_information_id
                        else (entry.additional_information or "")
                    )
                ).strip()
            elif payment is None:
                description = (
                    f"Betalingskenmerk {tx.end_to_end_id} hoort bij geen betaling van de gemeente."
                    if tx.end_to_end_id
                    else "Geen betalingskenmerk (end-to-end id) bij deze boeking."
                )
            elif cents != payment.amount_cents:
                description = (
                    f"Het bedrag op het afschrift ({amount:.2f}) is anders dan de betaling "
                    f"({Decimal(payment.amount_cents) / 100:.2f})."
                )
            elif _is_return(entry, tx):
                if settled[(payment.id, LineOutcome.RETURNED)]:
                    outcome = LineOutcome.ALREADY
                elif payment.id not in sent:
                    description = "Teruggekomen, maar deze betaling staat niet als verzonden in het grootboek."
                else:
                    outcome = LineOutcome.RETURNED
                    settled[(payment.id, LineOutcome.RETURNED)] += 1
                    returns.append((payment, cents, sent[payment.id]))
                    description = (
                        f"{tx.return_information} De bank gaf geen reden per betaling."
                        if tx.return_information and not tx.return_reason
                        else camt.return_reason_text(tx.return_reason)
                    )
            elif settled[(payment.id, LineOutcome.PAID)]:
                outcome = LineOutcome.ALREADY
            else:
                outcome = LineOutcome.PAID
                settled[(payment.id, LineOutcome.PAID)] += 1
            if outcome == LineOutcome.UNMATCHED and (parsed.statement_id, entry.index) in batch_notes:
                description = batch_notes[(parsed.statement_id, entry.index)]
            counts[outcome] += 1
            if payment is not None and outcome != LineOutcome.ALREADY:
                per_file[payment.client_file_id][str(outcome)] += 1
            lines.append(
                (
                    None,  # the statement, set below once it exists
                    actor.gemeente_id,
                    entry.index,
                    (tx.end_to_end_id if tx is not None else "")[:35],
                    cents,
                    entry.credit,
                    entry.booked_on,
                    str(outcome),
                    (tx.return_reason if tx is not None else "")[:35],
                    (tx.counterparty_name if tx is not None else "")[:140],
                    (tx.counterparty_iban if tx is not None else "")[:34],
                    description[:500],
                    payment.id if payment is not None else None,
                    payment.client_file_id if payment is not None else None,
                )
            )
        try:
            with transaction.atomic():
                statement = BankStatement.objects.create(
                    gemeente_id=actor.gemeente_id,
                    account_iban=account,
                    statement_id=parsed.statement_id,
                    message_id=document.message_id[:35],
                    version=document.version,
                    sha256=digest,
                    size=len(data),
                    from_on=parsed.from_on,
                    to_on=parsed.to_on,
                    line_count=len(lines),
                    paid_count=counts[LineOutcome.PAID],
                    returned_count=counts[LineOutcome.RETURNED],
                    unmatched_count=counts[LineOutcome.UNMATCHED],
                    imported_at=now,
                    imported_by=actor.user,
                )
        except IntegrityError:
            # Another import of the same statement committed first: nothing of this one is written.
            raise ApplicationError(
                "Dit afschrift wordt op dit moment al ingelezen. Wacht even en bekijk de lijst met afschriften."
            ) from None
        _write_lines([(statement.pk, *line[1:]) for line in lines])
        _append_returns(actor=actor, returns=returns)
        created.append(statement)
        record_event(
            actor=actor, event_type="bank_statement_imported", purpose=PURPOSE, subject=statement,
            changes={
                "statement_id": parsed.statement_id, "lines": len(lines), "paid": counts[LineOutcome.PAID],
                "returned": counts[LineOutcome.RETURNED], "unmatched": counts[LineOutcome.UNMATCHED],
                "already": counts[LineOutcome.ALREADY],
            },
            via=via,
        )  # fmt: skip

    record_events(
        event_type="ontzorgen_payments_reconciled",
        purpose=PURPOSE,
        actor=actor,
        subjects=[
            EventSubject(
                gemeente_id=actor.gemeente_id,
                client_file_id=file_id,
                subject_type="bankstatement",
                subject_id=",".join(str(s.pk) for s in created),
                changes=changes,
            )
            for file_id, changes in sorted(per_file.items())
        ],
        via=via,
    )
    return ImportResult(statements=tuple(created) + tuple(existing.values()), created=True)


RETURN_COLUMNS = (
    "client_file_id", "gemeente_id", "kind", "amount_cents", "period", "obligation_id", "run_id", "payment_id",
    "corrects_id", "note", "booked_on", "created_at", "created_by_id",
)  # fmt: skip


def _append_returns(*, actor: Actor, returns: list[tuple[PaymentRow, int, LedgerEntry]]) -> None:
    """A ``returned`` ledger entry per returned payment, pointing at its ``sent`` entry (one statement for all)."""
    today, now = core_dates.today(), timezone.now()
    insert_rows(
        LedgerEntry,
        RETURN_COLUMNS,
        [
            (
                payment.client_file_id, actor.gemeente_id, "returned", cents, month_start(sent_entry.period),
                payment.obligation_id, payment.run_id, payment.id, sent_entry.pk,
                "Teruggekomen volgens het bankafschrift.", today, now, actor.user.pk,
            )
            for payment, cents, sent_entry in returns
        ],
    )  # fmt: skip


MAX_NOTE = 2_000


@transaction.atomic
def resolve_line(*, actor: Actor, line: StatementLine, note: str, via: str = "ui") -> StatementLineResolution:
    """The financieel consulent says what was done about a returned or unmatched line; it leaves the worklist."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    text = (note or "").strip()
    if not text:
        raise ApplicationError(
            "Schrijf op wat u heeft gedaan.", field_errors={"note": ["Schrijf op wat u heeft gedaan."]}
        )
    if len(text) > MAX_NOTE:
        message = f"Gebruik hoogstens {MAX_NOTE} tekens."
        raise ApplicationError(message, field_errors={"note": [message]})
    if line.outcome not in (LineOutcome.RETURNED, LineOutcome.UNMATCHED):
        raise ApplicationError("Deze regel hoeft niet afgehandeld te worden.")
    locked = StatementLine.objects.select_for_update().get(pk=line.pk)
    if StatementLineResolution.objects.filter(line=locked).exists():
        raise ApplicationError("Deze regel is al afgehandeld.")
    resolution = StatementLineResolution.objects.create(
        line=locked, note=text, resolved_at=timezone.now(), resolved_by=actor.user
    )
    record_event(
        actor=actor, event_type="statement_line_resolved", purpose=PURPOSE, client_file=line.client_file,
        gemeente=actor.gemeente, subject=resolution, changes={"outcome": line.outcome}, via=via,
    )  # fmt: skip
    return resolution
