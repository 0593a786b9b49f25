"""A household and its members over time. A membership ends (ended_on), it is never deleted."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Relation(models.TextChoices):
    AANVRAGER = "aanvrager", _("Inburgeringsplichtige / hoofd")
    PARTNER = "partner", _("Partner")
    KIND = "kind", _("Kind")
    OVERIG = "overig", _("Ander gezinslid")


class EducationKind(models.TextChoices):
    GEEN = "", _("Niet van toepassing")
    KINDEROPVANG = "kinderopvang", _("Kinderopvang")
    VVE = "vve", _("Voorschoolse educatie (VVE)")
    BASISSCHOOL = "basisschool", _("Basisschool")
    NIEUWKOMERSKLAS = "nieuwkomersklas", _("Nieuwkomersklas / ISK")
    VOORTGEZET = "voortgezet", _("Voortgezet onderwijs")
    MBO_HBO_WO = "mbo_hbo_wo", _("Mbo, hbo of wo")


class Household(models.Model):
    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="households")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")

    def __str__(self) -> str:
        return f"Huishouden {self.pk}"


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="household_memberships")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    education_kind = models.CharField(max_length=20, choices=EducationKind.choices, blank=True)
    education_name = models.CharField(_("school of opvang"), max_length=200, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["relation", "person__birth_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="person_in_one_household_at_a_time"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="household_member_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} in huishouden {self.household_id}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None
