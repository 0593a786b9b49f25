"""The monthly payment run: built (idempotent, all or nothing), approved by a second person (four eyes), its SEPA
file validated against the XSD and downloaded (audited as an export)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import EventSubject, record_events
from openinburgering.core import dates as core_dates
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
from .plan import plan_run


def end_to_end_id(run: PaymentRun, sequence: int) -> str:
    """Unique over all runs (the run's id is): ``OI`` + run id + sequence, at most 35 characters."""
    return f"OI{run.pk:08d}P{sequence:07d}"


def remittance_for(obligation: Obligation, month: date, *, includes_correction: bool) -> str:
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
    run = PaymentRun.objects.create(
        gemeente_id=actor.gemeente_id, month=month, debtor_name=settings.debtor_name, debtor_iban=settings.debtor_iban,
        debtor_bic=settings.debtor_bic, built_at=now, built_by=actor.user,
    )  # fmt: skip
    plan = plan_run(gemeente_id=actor.gemeente_id, month=month, actor=actor)
    payments: list[Payment] = []
    corrected_obligations = {
        entry.obligation_id for entry in plan.entries if entry.kind == LedgerKind.CORRECTED or entry.period != month
    }
    for obligation_id, total in plan.payment_for.items():
        if total <= 0:
            continue
        obligation = plan.obligations[obligation_id]
        includes_correction = obligation_id in corrected_obligations
        payments.append(
            Payment(
                run=run,
                client_file_id=obligation.client_file_id,
                obligation_id=obligation_id,
                end_to_end_id=end_to_end_id(run, len(payments) + 1),
                amount_cents=total,
                creditor_name=obligation.creditor_name,
                iban=obligation.iban,
                bic=obligation.bic,
                remittance=remittance_for(obligation, month, includes_correction=includes_correction),
                due_on=month.replace(day=obligation.day_of_month),
                includes_correction=includes_correction,
            )
        )
    Payment.objects.bulk_create(payments, batch_size=2000)
    payment_of = {payment.obligation_id: payment for payment in payments}
    for entry in plan.entries:
        entry.run_id = run.pk
        payment = payment_of.get(entry.obligation_id) if entry.obligation_id is not None else None
        entry.payment_id = payment.pk if payment is not None else None
    LedgerEntry.objects.bulk_create(plan.entries, batch_size=2000)
    # The earlier months of these obligations are settled by this run; a change after ``now`` reopens them.
    Obligation.objects.filter(pk__in=plan.rechecked, updated_at__lt=now).update(corrections_from=None)
    total_cents = sum(payment.amount_cents for payment in payments)
    _audit(
        actor, "payment_run_created", None, run, via, month=month, payment_count=len(payments), total_cents=total_cents,
        skipped_no_iban=len(plan.skipped_no_iban), skipped_no_machtiging=len(plan.skipped_no_machtiging),
    )  # fmt: skip
    files = sorted({entry.client_file_id for entry in plan.entries})
    record_events(
        event_type="ontzorgen_payments_prepared", purpose=PURPOSE, actor=actor, via=via,
        subjects=[EventSubject(actor.gemeente_id, file_id, "paymentrun", str(run.pk)) for file_id in files],
    )  # fmt: skip
    return run, True


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
    payments = list(locked.payments.order_by("id"))
    invalid = [payment.end_to_end_id for payment in payments if not is_valid_iban(payment.iban)]
    if invalid:
        raise ApplicationError(
            f"{len(invalid)} betaling(en) hebben een IBAN dat niet klopt. Er is geen bestand gemaakt. "
            "Pas het IBAN aan; de betaling komt dan in de volgende betaalrun."
        )
    today = core_dates.today()
    now = timezone.now()
    message_id = message_id_for(locked)
    total = sum(payment.amount_cents for payment in payments)
    if payments:
        content = sepa.build_file(
            message_id=message_id, debtor_name=locked.debtor_name, debtor_iban=locked.debtor_iban,
            debtor_bic=locked.debtor_bic,
            transfers=(
                sepa.Transfer(
                    end_to_end_id=payment.end_to_end_id, amount_cents=payment.amount_cents,
                    creditor_name=payment.creditor_name, iban=payment.iban, bic=payment.bic,
                    remittance=payment.remittance, execution_on=max(payment.due_on, today),
                )
                for payment in payments
            ),
        )  # fmt: skip
        PaymentFile.objects.create(
            run=locked, message_id=message_id, validated_against=sepa.SCHEMA, content=content,
            sha256=hashlib.sha256(content).hexdigest(), payment_count=len(payments), total_cents=total,
            created_at=now, created_by=actor.user,
        )  # fmt: skip
    entries: list[LedgerEntry] = []
    for payment in payments:
        for kind, note in ((LedgerKind.WITHHELD, "In te houden op de bijstand"), (LedgerKind.SENT, "In bankbestand")):
            entries.append(
                LedgerEntry(
                    client_file_id=payment.client_file_id,
                    gemeente_id=locked.gemeente_id,
                    kind=kind,
                    amount_cents=payment.amount_cents,
                    period=locked.month,
                    obligation_id=payment.obligation_id,
                    run_id=locked.pk,
                    payment_id=payment.pk,
                    note=note,
                    booked_on=today,
                    created_at=now,
                    created_by=actor.user,
                )
            )
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    locked.status = RunStatus.APPROVED
    locked.approved_by = actor.user
    locked.approved_at = now
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    _audit(actor, "payment_run_approved", None, locked, via, month=locked.month, payment_count=len(payments),
           total_cents=total, message_id=message_id if payments else "")  # fmt: skip
    files = sorted({payment.client_file_id for payment in payments})
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
    _audit(actor, "payment_file_downloaded", None, payment_file, via, run=run.pk, sha256=payment_file.sha256)
    file_ids = list(run.payments.values_list("client_file_id", flat=True).distinct().order_by("client_file_id"))
    record_events(
        event_type="ontzorgen_payments_exported", purpose=PURPOSE, actor=actor, via=via,
        subjects=[EventSubject(run.gemeente_id, file_id, "paymentfile", str(payment_file.pk))
                  for file_id in file_ids],
    )  # fmt: skip
    return payment_file
