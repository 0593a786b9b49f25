"""Voortgang (W 17 lid 1: "zicht op de voortgang"): the gemeente's attendance threshold and the klantregisseur's
judgement for afschalen to A2 (W 17 lid 3, B 5.5). The figures themselves are computed from the providers'
reports, the PIP and the handhaving achievements; nothing else is stored here.

``AfschalenJudgement`` is insert-only (model and PostgreSQL trigger): a new judgement is a new row, the newest
counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.models import InsertOnlyModel

DEFAULT_THRESHOLD_PERCENT = 80


class ProgressSettings(models.Model):
    """Per gemeente: under which attendance rate (last 4 complete ISO weeks) a signal shows."""

    gemeente = models.OneToOneField("accounts.Gemeente", on_delete=models.PROTECT, related_name="progress_settings")
    attendance_threshold_percent = models.PositiveSmallIntegerField(
        _("drempel aanwezigheid (procent)"), default=DEFAULT_THRESHOLD_PERCENT
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("instellingen voortgang")
        verbose_name_plural = _("instellingen voortgang")
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_threshold_percent__gte=1, attendance_threshold_percent__lte=100),
                name="progress_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Voortgang {self.gemeente_id}: {self.attendance_threshold_percent} %"


class AfschalenJudgement(InsertOnlyModel):
    """The klantregisseur's judgement for ``rules.afschalen``: enough effort during the lessons, and whether B1
    is reachable within the termijn; with the rules' outcome and the NT2 hours at that moment (a snapshot)."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="afschalen_judgements")
    sufficient_effort = models.BooleanField(_("voldoende inspanning tijdens de lessen"))
    b1_reachable_in_termijn = models.BooleanField(_("B1 is haalbaar binnen de termijn"))
    reasoning = models.TextField(_("onderbouwing"))
    leerroute = models.CharField(max_length=20)
    nt2_course_hours = models.DecimalField(max_digits=7, decimal_places=1)
    allowed = models.BooleanField()
    reason = models.CharField(max_length=30)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "-recorded_at", "-id"]
        verbose_name = _("oordeel afschalen")
        verbose_name_plural = _("oordelen afschalen")

    def __str__(self) -> str:
        return f"Oordeel afschalen {self.pk}"
