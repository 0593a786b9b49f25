"""Settling a reclaim (#13 leftover a): a vaste last was paid too much (``selectors.reclaims_of``) and the creditor
gave the money back or settled it. Imported by ``models.py``.

A :class:`ReclaimSettlement` is insert-only (model guard and PostgreSQL trigger) and is booked together with one
ledger entry (``refunded`` or ``offset``, pointing at the negative correction that made the credit), so the
terugvordering is closed with its money trail:

- **refunded**: the creditor paid the money back to the gemeente's ontzorgen account. The bank line of that
  refund (an unmatched credit on the reconciliation worklist) is named, once: a database unique constraint keeps
  one bank line from closing two reclaims, and the line leaves the worklist with a resolution;
- **offset**: the creditor settled the credit another way (verrekend, e.g. with the client's next bill that the
  client pays himself); no money came back, the note says how.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.models import InsertOnlyModel


class SettlementMethod(models.TextChoices):
    REFUNDED = "refunded", _("Terugbetaald door de schuldeiser")
    OFFSET = "offset", _("Verrekend door de schuldeiser")


class ReclaimSettlement(InsertOnlyModel):
    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="reclaim_settlements")
    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    obligation = models.ForeignKey("ontzorgen.Obligation", on_delete=models.PROTECT, related_name="settlements")
    method = models.CharField(_("hoe"), max_length=20, choices=SettlementMethod.choices)
    amount_cents = models.BigIntegerField(_("bedrag (centen)"))
    settled_on = models.DateField(_("datum"))
    statement_line = models.OneToOneField(
        "ontzorgen.StatementLine", null=True, blank=True, on_delete=models.PROTECT, related_name="settlement"
    )
    note = models.TextField(_("toelichting"), blank=True)
    ledger_entry = models.OneToOneField("ontzorgen.LedgerEntry", on_delete=models.PROTECT, related_name="settlement")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "recorded_at", "id"]
        verbose_name = _("afgeronde terugvordering")
        verbose_name_plural = _("afgeronde terugvorderingen")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="reclaim_settlement_amount_positive"),
            models.CheckConstraint(
                condition=(Q(method="refunded") & Q(statement_line__isnull=False))
                | (Q(method="offset") & Q(statement_line__isnull=True) & ~Q(note="")),
                name="reclaim_settlement_has_trail",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount_cents}"
