"""Bank reconciliation (#13 item 4): imported camt.053 statements and what each transaction on them meant.

Insert-only (model guard and PostgreSQL trigger). A statement is imported once per gemeente, account and
statement id (a unique constraint: the same statement twice changes nothing). Every transaction on it becomes one
``StatementLine`` with its outcome (paid, returned, unmatched); returns and unmatched lines are the financieel
consulent's worklist until a ``StatementLineResolution`` says what was done. Imported by ``models.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.models import InsertOnlyModel


class BankStatement(InsertOnlyModel):
    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="bank_statements")
    account_iban = models.CharField(_("rekening"), max_length=34)
    statement_id = models.CharField(_("afschriftnummer"), max_length=35)
    message_id = models.CharField(max_length=35)
    version = models.CharField(max_length=20)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    from_on = models.DateField(null=True, blank=True)
    to_on = models.DateField(null=True, blank=True)
    line_count = models.PositiveIntegerField()
    paid_count = models.PositiveIntegerField()
    returned_count = models.PositiveIntegerField()
    unmatched_count = models.PositiveIntegerField()
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("bankafschrift")
        verbose_name_plural = _("bankafschriften")
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "account_iban", "statement_id"], name="bank_statement_once_per_account"
            ),
        ]

    def __str__(self) -> str:
        return f"Afschrift {self.statement_id}"


class LineOutcome(models.TextChoices):
    PAID = "paid", _("Betaald")
    RETURNED = "returned", _("Teruggekomen")
    UNMATCHED = "unmatched", _("Niet herkend")
    ALREADY = "already", _("Al eerder verwerkt")


WORKLIST_OUTCOMES = (LineOutcome.RETURNED, LineOutcome.UNMATCHED)


class StatementLine(InsertOnlyModel):
    """One transaction of a statement (a ``TxDtls``, or the entry itself when it has none)."""

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    entry_index = models.PositiveIntegerField()
    end_to_end_id = models.CharField(max_length=35, blank=True)
    amount_cents = models.BigIntegerField()
    is_credit = models.BooleanField()
    booked_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=LineOutcome.choices)
    return_reason = models.CharField(max_length=35, blank=True)
    counterparty_name = models.CharField(max_length=140, blank=True)
    counterparty_iban = models.CharField(max_length=34, blank=True)
    description = models.CharField(max_length=500, blank=True)
    payment = models.ForeignKey(
        "ontzorgen.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="statement_lines"
    )
    client_file = models.ForeignKey(
        "clients.ClientFile", null=True, blank=True, on_delete=models.PROTECT, related_name="statement_lines"
    )

    class Meta:
        ordering = ["statement", "entry_index", "id"]
        verbose_name = _("regel van een bankafschrift")
        verbose_name_plural = _("regels van bankafschriften")
        indexes = [
            models.Index(fields=["gemeente", "outcome"], name="statement_line_worklist"),
            models.Index(fields=["client_file", "booked_on"], name="statement_line_file"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="unmatched") | Q(payment__isnull=False), name="statement_line_matched_payment"
            ),
            models.CheckConstraint(condition=Q(amount_cents__gte=0), name="statement_line_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Regel {self.entry_index} van afschrift {self.statement_id}"


class StatementLineResolution(InsertOnlyModel):
    """What the financieel consulent did about a returned or unmatched line; it leaves the worklist then."""

    line = models.OneToOneField(StatementLine, on_delete=models.PROTECT, related_name="resolution")
    note = models.TextField(_("wat er is gedaan"))
    resolved_at = models.DateTimeField()
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-resolved_at", "-id"]
        verbose_name = _("afhandeling van een afschriftregel")
        verbose_name_plural = _("afhandelingen van afschriftregels")

    def __str__(self) -> str:
        return f"Afhandeling van regel {self.line_id}"
