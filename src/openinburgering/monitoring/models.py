"""Quality data a contractmanager enters about a provider: lesbezoeken (visit reports) and client satisfaction
surveys. Everything else on the dashboard is read from the providers, clients and plans apps."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class LessonVisit(models.Model):
    """A lesbezoek: someone of the gemeente visited a lesson of the provider and scored it 1-5."""

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="lesson_visits")
    contract = models.ForeignKey(
        "providers.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="lesson_visits"
    )
    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("datum bezoek"))
    visitor = models.CharField(_("bezoeker"), max_length=200)
    findings = models.TextField(_("bevindingen"))
    score = models.PositiveSmallIntegerField(
        _("oordeel (1 tot en met 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("lesbezoek")
        verbose_name_plural = _("lesbezoeken")
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="lesson_visit_score")]

    def __str__(self) -> str:
        return f"Lesbezoek {self.visited_on}"


class SatisfactionSurvey(models.Model):
    """A cursist satisfaction survey over a period: respondents and an average score (1-10) and/or the share
    of satisfied respondents (percent)."""

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="surveys")
    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    period_start_on = models.DateField(_("periode vanaf"))
    period_end_on = models.DateField(_("periode tot en met"))
    respondents = models.PositiveIntegerField(_("aantal deelnemers dat antwoordde"))
    average_score = models.DecimalField(
        _("gemiddeld cijfer (1 tot en met 10)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    percent_satisfied = models.PositiveSmallIntegerField(_("percentage tevreden"), null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-period_end_on", "-id"]
        verbose_name = _("tevredenheidsonderzoek")
        verbose_name_plural = _("tevredenheidsonderzoeken")
        constraints = [
            models.CheckConstraint(condition=Q(period_end_on__gte=F("period_start_on")), name="survey_period"),
            models.CheckConstraint(
                condition=Q(average_score__isnull=True) | Q(average_score__gte=1, average_score__lte=10),
                name="survey_average_score",
            ),
            models.CheckConstraint(
                condition=Q(percent_satisfied__isnull=True) | Q(percent_satisfied__lte=100),
                name="survey_percent",
            ),
            models.CheckConstraint(
                condition=Q(average_score__isnull=False) | Q(percent_satisfied__isnull=False),
                name="survey_has_a_figure",
            ),
        ]

    def __str__(self) -> str:
        return f"Tevredenheid {self.period_start_on}-{self.period_end_on}"
