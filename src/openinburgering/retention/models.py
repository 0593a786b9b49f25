"""Retention of client files (Besluit inburgering 2021 art. 9.9, issue #12 item 5): legal holds that stop the
destruction of a file, and the record of every destruction.

Everything here is insert-only (model and PostgreSQL trigger): a hold is released by a ``LegalHoldRelease`` row,
never by editing or deleting the hold; a ``DestructionRecord`` is written once, in the transaction that destroys
the file, and stays as the proof of what was destroyed, when and on which basis (ADR 0007).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.models import InsertOnlyModel

BASIS_LID_1_SUB_A = "Besluit inburgering 2021 art. 9.9 lid 1 sub a"


class LegalHold(InsertOnlyModel):
    """A file may not be destroyed while it has a hold without a release (a pending bezwaar, beroep, complaint
    or request of the Autoriteit Persoonsgegevens). The reason must not hold personal data."""

    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.CharField(_("reden"), max_length=500)
    placed_at = models.DateTimeField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "-placed_at", "-id"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="legal_hold_has_reason")]

    def __str__(self) -> str:
        return f"Legal hold {self.pk}"


class LegalHoldRelease(InsertOnlyModel):
    """The end of a hold: one per hold (database constraint), with who, when and why."""

    hold = models.OneToOneField(LegalHold, on_delete=models.PROTECT, related_name="release")
    reason = models.CharField(_("reden"), max_length=500)
    released_at = models.DateTimeField()
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("opheffing legal hold")
        verbose_name_plural = _("opheffingen legal hold")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="legal_hold_release_has_reason")]

    def __str__(self) -> str:
        return f"Opheffing {self.pk}"


class DestructionRecord(InsertOnlyModel):
    """What was destroyed of one client file, when, by which job and on which basis. One per file (database
    constraint), so a second run cannot destroy a file twice. Holds no personal data: ids, dates and counts."""

    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    client_file = models.OneToOneField("clients.ClientFile", on_delete=models.PROTECT, related_name="destruction")
    destroyed_at = models.DateTimeField()
    plicht_ended_on = models.DateField()
    plicht_ended_status = models.CharField(max_length=30)
    retain_until_on = models.DateField()
    basis = models.CharField(max_length=100, default=BASIS_LID_1_SUB_A)
    # {category code: number of rows deleted or anonymised}, see retention.destruction.CATEGORIES.
    categories = models.JSONField(default=dict)
    performed_by = models.CharField(max_length=50)  # the job, e.g. "apply_retention"
    run_id = models.UUIDField()

    class Meta:
        ordering = ["-destroyed_at", "-id"]
        verbose_name = _("vernietiging")
        verbose_name_plural = _("vernietigingen")
        indexes = [models.Index(fields=["gemeente", "-destroyed_at"], name="destruction_per_gemeente")]
        constraints = [
            models.CheckConstraint(
                condition=Q(retain_until_on__gt=models.F("plicht_ended_on")), name="destruction_after_plicht_end"
            ),
        ]

    def __str__(self) -> str:
        return f"Vernietiging {self.pk}"
