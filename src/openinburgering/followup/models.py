"""Vervolg na de inburgering (product capability 7: long-term follow-up after voldaan). When the plicht is
voldaan the file does not simply close: the klantregisseur records where the person goes next (werk, opleiding,
participatie), plans the next contact and, when the follow-up is done, ends the file with a reason.

``FollowUpRecord`` is insert-only (model and PostgreSQL trigger): every contact is a new row, the newest is the
current situation. Only the minimum is stored: the situation, the organisation, hours per week, a start date,
the next contact the klantregisseur planned and a short note.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.models import InsertOnlyModel

from .choices import Situation


class FollowUpRecord(InsertOnlyModel):
    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="follow_ups")
    situation = models.CharField(_("situatie"), max_length=20, choices=Situation.choices)
    organisation = models.CharField(_("werkgever, school of organisatie"), max_length=200, blank=True)
    hours_per_week = models.DecimalField(_("uren per week"), max_digits=3, decimal_places=1, null=True, blank=True)
    started_on = models.DateField(_("gestart op"), null=True, blank=True)
    contact_on = models.DateField(_("datum contact"))
    next_contact_on = models.DateField(_("volgend contact"), null=True, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "-recorded_at", "-id"]
        verbose_name = _("vervolgcontact")
        verbose_name_plural = _("vervolgcontacten")
        indexes = [models.Index(fields=["client_file", "-recorded_at", "-id"], name="followup_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__gte=0, hours_per_week__lte=60),
                name="followup_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(next_contact_on__isnull=True) | Q(next_contact_on__gt=models.F("contact_on")),
                name="followup_next_after_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"Vervolgcontact {self.pk}"
