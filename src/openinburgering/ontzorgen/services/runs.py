"""The monthly payment run: built (idempotent, all or nothing), approved by a second person (four eyes), its SEPA
file validated against the XSD and downloaded (audited as an export)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import EventSubject, record_events
from openinburgering.core import dates as core_dates
from openinburgering.core.bulk import insert_rows
from openinburgering.core.errors import ApplicationError, Conflict, NotFound

from .. import sepa
from ..iban import is_valid_iban
from ..models import (
    LedgerEntry,
    LedgerKind,
    Obligation,
    OntzorgenSettings,
    Payment,
    PaymentFile,
    PaymentRun,
    RunStatus,
)
from ..periods import month_label, month_start, next_month, parse_month
from .common import EARLIEST_MONTH, PURPOSE, _audit
from .plan import PlanObligation, plan_run

PAYMENT_COLUMNS = (
    "run_id", "client_file_id", "obligation_id", "end_to_end_id", "amount_cents", "creditor_name", "iban", "bic",
    "remittance", "due_on", "includes_correction",
)  # fmt: skip
LEDGER_COLUMNS = (
    "client_file_id", "gemeente_id", "kind", "amount_cents", "period", "obligation_id", "run_id", "payment_id",
    "corrects_id", "note", "booked_on", "created_at", "created_by_id",
)  # fmt: skip


def end_to_end_id(run: PaymentRun, sequence: int) -> str:
    """Unique over all runs (the run's id is): ``OI`` + run id + sequence, at most 35 characters."""
    return f"OI{run.pk:08d}P{sequence:07d}"


def remittance_for(obligation: Obligation | PlanObligation, month: date, *, includes_correction: bool) -> str:
    parts = [obligation.creditor_reference or obligation.get_kind_display()]
    if obligation.polisnummer:
        parts.append(f"polis {obligation.polisnummer}")
    parts.append(month_label(month))
    if includes_correction:
        parts.append("incl. correctie")
    return " ".join(parts)[:140]


def _parse_run_month(value: Any) -> date:
    month = parse_month(value)
    today = core_dates.today()
    if month is None:
        raise ApplicationError(
            "Kies de maand van de betaalrun, bijvoorbeeld 2026-12.",
            field_errors={"month": ["Kies de maand van de betaalrun, bijvoorbeeld 2026-12."]},
        )
    if month < EARLIEST_MONTH or month > next_month(next_month(month_start(today))):
        raise ApplicationError(
            "Een betaalrun kan voor deze maand, een eerdere maand of de twee maanden hierna.",
            field_errors={"month": ["Kies een maand van 2022 tot en met twee maanden na nu."]},
        )
    return month


def build_run(*, actor: Actor, month: Any, via: str = "ui") -> tuple[PaymentRun, bool]:
    """Build the run of a month in one transaction: payments and ledger entries all or nothing. Idempotent: the
    run of a month that is still waiting for approval is returned as it is (``False``); the run of a month that is
    already approved is a Dutch error (its file is made; a change is a correction in the next month's run)."""
    if not actor.can(Capability.MANAGE_ONTZORGEN):
        raise NotFound()
    month_date = _parse_run_month(month)
    try:
        with transaction.atomic():
            return _build_run(actor=actor, month=month_date, via=via)
    except IntegrityError:
        # Someone else built the same month at the same moment: theirs stands.
        existing = PaymentRun.objects.filter(gemeente_id=actor.gemeente_id, month=month_date).first()
        if existing is None:
            raise
        return existing, False


def _build_run(*, actor: Actor, month: date, via: str) -> tuple[PaymentRun, bool]:
    settings = OntzorgenSettings.objects.select_for_update().filter(gemeente_id=actor.gemeente_id).first()
    if settings is None:
        raise ApplicationError(
            "Vul eerst de rekening van de gemeente in (naam en IBAN) bij Betaalruns > Rekening van de gemeente."
        )
    existing = PaymentRun.objects.filter(gemeente_id=actor.gemeente_id, month=month).first()
    if existing is not None:
        if existing.is_approved:
            raise Conflict(
                f"De betaalrun van {month_label(month)} is al goedgekeurd en het bestand is gemaakt. "
                "Een wijziging komt als correctie in de betaalrun van de volgende maand."
            )
        return existing, False
    waiting = PaymentRun.objects.filter(gemeente_id=actor.gemeente_id, status=RunStatus.BUILT).first()
    if waiting is not None:
        raise Conflict(
            f"De betaalrun van {month_label(waiting.month)} wacht nog op goedkeuring. Laat die eerst goedkeuren."
        )
    later = PaymentRun.objects.filter(gemeente_id=actor.gemeente_id, month__gt=month).order_by("month").first()
    if later is not None:
        raise Conflict(
            f"Er is al een betaalrun voor {month_label(later.month)}. Een eerdere maand kan niet meer; "
            "een verschil komt als correctie in de volgende betaalrun."
        )
    now = timezone.now()
    today = core_dates.today()
    run = PaymentRun.objects.create(
        gemeente_id=actor.gemeente_id, month=month, debtor_name=settings.debtor_name, debtor_iban=settings.debtor_iban,
        debtor_bic=settings.debtor_bic, built_at=now, built_by=actor.user,
    )  # fmt: skip
    plan = plan_run(gemeente_id=actor.gemeente_id, month=month)
    payments: list[tuple[Any, ...]] = []
    corrected_obligations = {
        entry.obligation_id for entry in plan.entries if entry.kind == LedgerKind.CORRECTED or entry.period != month
    } | set(plan.credited)
    for obligation_id, total in plan.payment_for.items():
        if total <= 0:
            continue
        obligation = plan.obligations[obligation_id]
        includes_correction = obligation_id in corrected_obligations
        payments.append(
            (
                run.pk, obligation.client_file_id, obligation_id, end_to_end_id(run, len(payments) + 1), total,
                obligation.creditor_name, obligation.iban, obligation.bic,
                remittance_for(obligation, month, includes_correction=includes_correction),
                month.replace(day=obligation.day_of_month), includes_correction,
            )
        )  # fmt: skip
    # One statement per table, whatever the number of payments (#13 performance): the payments, their ids back
    # by obligation (one per obligation per run), then the ledger entries pointing at them.
    insert_rows(Payment, PAYMENT_COLUMNS, payments)
    payment_of = dict(Payment.objects.filter(run_id=run.pk).values_list("obligation_id", "id"))
    user_id = actor.user.pk
    entries = [
        (
            entry.client_file_id, entry.gemeente_id, entry.kind, entry.amount_cents, entry.period, entry.obligation_id,
            run.pk, payment_of.get(entry.obligation_id), entry.corrects_id, entry.note, today, now, user_id,
        )
        for entry in plan.entries
    ]  # fmt: skip
    insert_rows(LedgerEntry, LEDGER_COLUMNS, entries)
    # The earlier months of these obligations are settled by this run; a change after ``now`` reopens them.
    Obligation.objects.filter(pk__in=plan.rechecked, updated_at__lt=now).update(corrections_from=None)
    total_cents = sum(payment[4] for payment in payments)
    _audit(
        actor, "payment_run_created", None, run, via, month=month, payment_count=len(payments), total_cents=total_cents,
        skipped_no_iban=len(plan.skipped_no_iban), skipped_no_machtiging=len(plan.skipped_no_machtiging),
        caught_up=len(plan.caught_up),
    )  # fmt: skip
    files = sorted({entry.client_file_id for entry in plan.entries})
    record_events(
        event_type="ontzorgen_payments_prepared", purpose=PURPOSE, actor=actor, via=via,
        subjects=[EventSubject(actor.gemeente_id, file_id, "paymentrun", str(run.pk)) for file_id in files],
    )  # fmt: skip
    return run, True


def _book_withheld_and_sent(*, run: PaymentRun, booked_on: date, created_at: datetime, created_by_id: int) -> None:
    """Every payment of the run booked as withheld from the bijstand and as sent, in ONE ``INSERT ... SELECT``
    from the payments (the same SQL on PostgreSQL and SQLite): no row travels through Python."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in LEDGER_COLUMNS)
    sql = (
        f"INSERT INTO {quote(LedgerEntry._meta.db_table)} ({columns}) "  # noqa: S608 -- names from the models, values are parameters
        "SELECT p.client_file_id, r.gemeente_id, k.kind, p.amount_cents, r.month, p.obligation_id, r.id, p.id, "
        "NULL, k.note, %s, %s, %s "
        f"FROM {quote(Payment._meta.db_table)} p JOIN {quote(PaymentRun._meta.db_table)} r ON r.id = p.run_id "
        "CROSS JOIN (SELECT %s AS kind, %s AS note, 1 AS position UNION ALL SELECT %s, %s, 2) k "
        "WHERE p.run_id = %s ORDER BY p.id, k.position"
    )
    params = [
        connection.ops.adapt_datefield_value(booked_on), connection.ops.adapt_datetimefield_value(created_at),
        created_by_id, str(LedgerKind.WITHHELD), "In te houden op de bijstand", str(LedgerKind.SENT),
        "In bankbestand", run.pk,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def message_id_for(run: PaymentRun) -> str:
    return f"OI-{run.gemeente.code}-{run.month:%Y%m}-{run.pk}"[:35]


@transaction.atomic
def approve_run(*, actor: Actor, run: PaymentRun, via: str = "ui") -> tuple[PaymentRun, bool]:
    """Four eyes: a second financieel consulent or the teamleider (never the builder) approves; then the SEPA file
    is written, validated against the XSD and stored, and the ledger books every payment as withheld from the
    bijstand and sent. Approving an approved run changes nothing (``False``)."""
    if not actor.can(Capability.APPROVE_PAYMENT_RUNS):
        raise NotFound()
    locked = PaymentRun.objects.select_for_update().select_related("gemeente").get(pk=run.pk)
    if locked.gemeente_id != actor.gemeente_id:
        raise NotFound()
    if locked.is_approved:
        return locked, False
    if locked.built_by_id == actor.user.pk:
        raise ApplicationError(
            "U heeft deze betaalrun zelf gemaakt. Een collega (financieel consulent of teamleider) keurt hem goed: "
            "zo kijken altijd twee mensen naar de betalingen."
        )
    payments = list(
        Payment.objects.filter(run_id=locked.pk)
        .order_by("id")
        .values_list("client_file_id", "end_to_end_id", "amount_cents", "creditor_name", "iban", "bic", "remittance",
                     "due_on")
    )  # fmt: skip
    valid_iban: dict[str, bool] = {}  # checked again: only a valid IBAN reaches a file, whatever the table holds
    invalid = 0
    for payment in payments:
        iban = payment[4]
        if iban not in valid_iban:
            valid_iban[iban] = is_valid_iban(iban)
        invalid += not valid_iban[iban]
    if invalid:
        raise ApplicationError(
            f"{invalid} betaling(en) hebben een IBAN dat niet klopt. Er is geen bestand gemaakt. "
            "Pas het IBAN aan; de betaling komt dan in de volgende betaalrun."
        )
    today = core_dates.today()
    now = timezone.now()
    message_id = message_id_for(locked)
    total = sum(payment[2] for payment in payments)
    if payments:
        content = sepa.build_file(
            message_id=message_id, debtor_name=locked.debtor_name, debtor_iban=locked.debtor_iban,
            debtor_bic=locked.debtor_bic, created_at=now,
            transfers=(
                sepa.Transfer(
                    end_to_end_id=e2e, amount_cents=cents, creditor_name=name, iban=iban, bic=bic,
                    remittance=remittance, execution_on=max(due_on, today),
                )
                for _file_id, e2e, cents, name, iban, bic, remittance, due_on in payments
            ),
        )  # fmt: skip
        PaymentFile.objects.create(
            run=locked, message_id=message_id, validated_against=sepa.SCHEMA, content=content,
            sha256=hashlib.sha256(content).hexdigest(), payment_count=len(payments), total_cents=total,
            created_at=now, created_by=actor.user,
        )  # fmt: skip
    _book_withheld_and_sent(run=locked, booked_on=today, created_at=now, created_by_id=actor.user.pk)
    locked.status = RunStatus.APPROVED
    locked.approved_by = actor.user
    locked.approved_at = now
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    _audit(actor, "payment_run_approved", None, locked, via, month=locked.month, payment_count=len(payments),
           total_cents=total, message_id=message_id if payments else "")  # fmt: skip
    files = sorted({payment[0] for payment in payments})
    record_events(
        event_type="ontzorgen_payments_approved", purpose=PURPOSE, actor=actor, via=via,
        subjects=[
            EventSubject(locked.gemeente_id, file_id, "paymentrun", str(locked.pk)) for file_id in files
        ],
    )  # fmt: skip
    return locked, True


@transaction.atomic
def record_file_download(*, actor: Actor, run: PaymentRun, via: str = "ui") -> PaymentFile:
    """The stored, validated file of an approved run (audited as an export of the payments' personal data)."""
    payment_file = PaymentFile.objects.filter(run=run).first()
    if payment_file is None:
        raise NotFound("Er is (nog) geen bestand voor deze betaalrun.")
    if payment_file.is_destroyed:
        raise Conflict(
            "Het betaalbestand van deze betaalrun is vernietigd: de bewaartermijn van zeven jaar is voorbij "
            "(AWR art. 52 lid 4). Wat er betaald is, staat nog bij de betalingen."
        )
    _audit(actor, "payment_file_downloaded", None, payment_file, via, run=run.pk, sha256=payment_file.sha256)
    file_ids = list(run.payments.values_list("client_file_id", flat=True).distinct().order_by("client_file_id"))
    record_events(
        event_type="ontzorgen_payments_exported", purpose=PURPOSE, actor=actor, via=via,
        subjects=[EventSubject(run.gemeente_id, file_id, "paymentfile", str(payment_file.pk))
                  for file_id in file_ids],
    )  # fmt: skip
    return payment_file
