"""The council report "Stand van zaken inburgering" (#16 item 6): the period, the texts staff wrote per theme,
the suppressed figure snapshot they were written against (``monitoring.council``) and the PDF made from both.
Imported by ``monitoring.models``; kept apart so the council report stays one unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CouncilReportStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    QUEUED = "queued", _("PDF wordt gemaakt")
    READY = "ready", _("Klaar")


class CouncilReport(models.Model):
    """A raadsrapport of one gemeente. While ``concept``, staff edit the texts and may take the figures again;
    once the PDF is made (``ready``) the texts, the snapshot and the PDF stay as they are (the report as sent to
    the council). Only aggregates with small numbers suppressed are stored: never a person or a client file."""

    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("titel"), max_length=200)
    month_from = models.DateField()  # first day of the first month
    month_to = models.DateField()  # first day of the last month
    status = models.CharField(max_length=10, choices=CouncilReportStatus.choices, default=CouncilReportStatus.CONCEPT)
    snapshot = models.JSONField(help_text="The published figures (monitoring.council.build_snapshot).")
    snapshot_version = models.PositiveSmallIntegerField()
    figures_on = models.DateField(help_text="The day the figures were taken from the aggregate layer.")
    texts = models.JSONField(default=dict, help_text="Theme key -> the text staff wrote (Dutch).")
    job = models.ForeignKey("core.JobRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    content = models.BinaryField(default=b"", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    generated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("raadsrapport")
        verbose_name_plural = _("raadsrapporten")
        indexes = [models.Index(fields=["gemeente", "-created_at"], name="monitoring_council_recent")]
        constraints = [
            models.CheckConstraint(condition=Q(month_to__gte=F("month_from")), name="council_report_period"),
            models.CheckConstraint(
                condition=~Q(status="ready") | (Q(size__gt=0) & ~Q(sha256="")), name="council_report_ready_has_pdf"
            ),
        ]

    def __str__(self) -> str:
        return f"Raadsrapport {self.pk}"

    @property
    def filename(self) -> str:
        return f"raadsrapport-{self.month_from:%Y-%m}-{self.month_to:%Y-%m}-{self.pk}.pdf"
