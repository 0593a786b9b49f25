"""Toeslagen and begeleid loslaten (#13 item 5): what must be in place when ontzorgen ends.

Both are insert-only (model guard and PostgreSQL trigger): a toeslag's new state is a new ``ToeslagRecord`` (the
newest per file and kind counts), a loslaten step is planned once and done once (``LoslatenStepDone``).
Imported by ``models.py`` so Django registers them in the ontzorgen app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.models import InsertOnlyModel


class ToeslagKind(models.TextChoices):
    HUURTOESLAG = "huurtoeslag", _("Huurtoeslag")
    ZORGTOESLAG = "zorgtoeslag", _("Zorgtoeslag")


class ToeslagStatus(models.TextChoices):
    AANGEVRAAGD = "aangevraagd", _("Aangevraagd")
    TOEGEKEND = "toegekend", _("Toegekend")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    NIET_NODIG = "niet_nodig", _("Niet nodig (geen recht of al geregeld)")


class ToeslagRecord(InsertOnlyModel):
    """The state of one toeslag (huurtoeslag or zorgtoeslag) at the Dienst Toeslagen, as the financieel consulent
    recorded it. Since 1 January 2025 COA no longer applies for toeslagen for statushouders, so the gemeente
    follows them here. The newest record per file and kind counts; a correction is a new record."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="toeslag_records")
    kind = models.CharField(_("toeslag"), max_length=20, choices=ToeslagKind.choices)
    status = models.CharField(_("stand"), max_length=20, choices=ToeslagStatus.choices)
    applied_on = models.DateField(_("aangevraagd op"), null=True, blank=True)
    granted_on = models.DateField(_("toegekend op"), null=True, blank=True)
    first_payment_on = models.DateField(_("eerste betaling op"), null=True, blank=True)
    monthly_amount = models.DecimalField(_("bedrag per maand"), max_digits=8, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "kind", "-recorded_at", "-id"]
        verbose_name = _("toeslag")
        verbose_name_plural = _("toeslagen")
        indexes = [models.Index(fields=["client_file", "kind", "-recorded_at"], name="toeslag_latest")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="aangevraagd") | Q(applied_on__isnull=False), name="toeslag_applied_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="toegekend") | Q(granted_on__isnull=False), name="toeslag_granted_has_date"
            ),
            models.CheckConstraint(
                condition=Q(monthly_amount__isnull=True) | Q(monthly_amount__gt=0), name="toeslag_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"


class LoslatenStepKind(models.TextChoices):
    BUDGETCOACHING = "budgetcoaching", _("Budgetcoaching: samen een maandbegroting maken")
    ZELF_BETALEN = "zelf_betalen", _("De klant betaalt zelf één vaste last")
    TOESLAGEN = "toeslagen", _("Controleren dat de toeslagen op de eigen rekening komen")
    EINDE = "einde", _("Einde ontzorgen: brief aan de klant")
    OVERIG = "overig", _("Andere stap")


class LoslatenStep(InsertOnlyModel):
    """One step of the plan for financial self-reliance in the last two months of ontzorgen."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="loslaten_steps")
    kind = models.CharField(_("stap"), max_length=20, choices=LoslatenStepKind.choices)
    description = models.TextField(_("wat er gebeurt"))
    due_on = models.DateField(_("klaar op"))
    # For "zelf betalen": which obligation the client pays themself from then on (the gemeente stops paying it).
    obligation = models.ForeignKey(
        "ontzorgen.Obligation", null=True, blank=True, on_delete=models.PROTECT, related_name="loslaten_steps"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "due_on", "id"]
        verbose_name = _("stap begeleid loslaten")
        verbose_name_plural = _("stappen begeleid loslaten")
        indexes = [models.Index(fields=["due_on"], name="loslaten_step_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["client_file"], condition=Q(kind="einde"), name="loslaten_one_end_step_per_file"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_on})"


class LoslatenStepDone(InsertOnlyModel):
    """A step done, once; the end step carries the letter sent to the client."""

    step = models.OneToOneField(LoslatenStep, on_delete=models.PROTECT, related_name="done")
    done_on = models.DateField(_("gedaan op"))
    note = models.TextField(_("toelichting"), blank=True)
    letter = models.ForeignKey("letters.Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["step", "id"]
        verbose_name = _("gedane stap begeleid loslaten")
        verbose_name_plural = _("gedane stappen begeleid loslaten")

    def __str__(self) -> str:
        return f"Stap {self.step_id} gedaan op {self.done_on}"
