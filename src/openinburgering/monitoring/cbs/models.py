"""The CBS deliveries of a gemeente (#16 item 5): each generated file, validated, kept as written, never edited.

A file for a quarter that was made before is not replaced: a new version is a new row pointing at the one it
replaces (``replaces``), and the earlier one stays readable and downloadable. Every download is a row of its own
(and an audit event), so the worklist knows when the quarter's file left the building. Both tables are insert-only
(model guard and, on PostgreSQL, a trigger).

The file holds BSNs (CBS links the records on them): it is personal data, shown to nobody on screen, offered only
as a download to staff with DELIVER_STATISTICS, every download audited. Two years after its quarter the daily
retention job empties the content and the digests (``retention.cbs_files``, ``rules.retention.cbs_delivery_retention``);
the row stays with its SHA-256 and counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.models import InsertOnlyModel


class CbsDelivery(InsertOnlyModel):
    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField()
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    schema_version = models.CharField(max_length=20)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    record_count = models.PositiveIntegerField()
    correction_count = models.PositiveIntegerField()
    incomplete_count = models.PositiveIntegerField()  # delivered with <onvolledig>
    left_out_count = models.PositiveIntegerField()  # not deliverable (no valid BSN or no doelgroep)
    # {"2026-K3": {"<file id>": "<sha256 of the record>"}, "2026-K2": {...}}: what this file said per quarter and
    # file, so a later file can tell which records of an earlier quarter changed (corrections).
    digests = models.JSONField(default=dict)
    job = models.OneToOneField("core.JobRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # Declared: the models live outside monitoring/models.py, where django-stubs does not add the manager itself.
    objects: models.Manager[CbsDelivery] = models.Manager()

    class Meta:
        ordering = ["-year", "-quarter", "-version"]
        verbose_name = _("CBS-levering")
        verbose_name_plural = _("CBS-leveringen")
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "year", "quarter", "version"], name="cbs_delivery_version"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="cbs_delivery_quarter"),
        ]

    def __str__(self) -> str:
        return f"CBS {self.year}-K{self.quarter} v{self.version}"

    @property
    def is_destroyed(self) -> bool:
        """Emptied by the retention job after its term; the row stays without personal data."""
        return not bytes(self.content or b"")

    @property
    def filename(self) -> str:
        return f"cbs-swi-{self.gemeente.code}-{self.year}-K{self.quarter}-v{self.version}.xml"


class CbsDeliveryDownload(InsertOnlyModel):
    delivery = models.ForeignKey(CbsDelivery, on_delete=models.PROTECT, related_name="downloads")
    downloaded_at = models.DateTimeField()
    downloaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=10)

    objects: models.Manager[CbsDeliveryDownload] = models.Manager()

    class Meta:
        ordering = ["-downloaded_at", "-id"]
        verbose_name = _("download van een CBS-levering")
        verbose_name_plural = _("downloads van CBS-leveringen")

    def __str__(self) -> str:
        return f"Download {self.pk}"
