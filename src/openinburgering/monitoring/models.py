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


# ---------------------------------------------------------------------------------------------------------------
# The aggregate layer (#16 item 7, docs/monitoring.md): one fact row per client file and summable cells per
# gemeente, month, doelgroep, team and metric. Both are derived data, rebuilt from the records at any time.


class FileFact(models.Model):
    """What monitoring needs of one client file, computed by ``monitoring.facts`` from the records and the rules
    (no names, no BSN: dates, statuses and flags, like the kept ClientFile skeleton). The cells below are the sum
    of ``facts.contributions`` over these rows; a change to a row changes the cells by the difference, in the same
    transaction."""

    client_file = models.OneToOneField(
        "clients.ClientFile", primary_key=True, on_delete=models.CASCADE, related_name="monitoring_fact"
    )
    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.CASCADE, related_name="+")
    team = models.PositiveIntegerField(default=0)  # accounts.Team id, 0 = no team (a cell dimension)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    doelgroep = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=30)
    kennisgeving_on = models.DateField(null=True)
    koppeling_on = models.DateField(null=True)
    vestiging_on = models.DateField(null=True)
    intake_on = models.DateField(null=True)
    pip_on = models.DateField(null=True)
    pip_due_on = models.DateField(null=True)  # rules.pip_deadline
    pip_outcome = models.CharField(max_length=10, blank=True)  # on_time, late, or "" (not known yet)
    pip_outcome_on = models.DateField(null=True)
    leerroute = models.CharField(max_length=20, blank=True)
    route_switched = models.BooleanField(default=False)
    vroege_start = models.BooleanField(default=False)
    duaal = models.BooleanField(default=False)
    kinderopvang = models.BooleanField(default=False)
    reiskosten = models.BooleanField(default=False)
    lestijden = models.BooleanField(default=False)
    begeleiding = models.BooleanField(default=False)
    bijstand = models.BooleanField(default=False)
    ontzorgen = models.BooleanField(default=False)
    termijn_end_on = models.DateField(null=True)
    voldaan_on = models.DateField(null=True)
    voldaan_outcome = models.CharField(max_length=10, blank=True)  # on_time, late, or ""
    voldaan_outcome_on = models.DateField(null=True)
    situation = models.CharField(max_length=20, blank=True)  # newest vervolgcontact
    fines_on = models.JSONField(default=list)  # ISO days of the fines imposed (latest decision per proposal)
    extension_months = models.PositiveSmallIntegerField(default=0)  # W 12: from DUO's termijn (rules.reported_termijn)
    extended_on = models.DateField(null=True)  # the day DUO's termijn message with the extension came in
    computed_on = models.DateField()

    class Meta:
        verbose_name = _("monitoringfeit")
        verbose_name_plural = _("monitoringfeiten")
        indexes = [models.Index(fields=["gemeente", "assigned_to"], name="monitoring_fact_worker")]

    def __str__(self) -> str:
        return f"Monitoringfeit {self.pk}"


class FactCell(models.Model):
    """A summable figure: ``value`` of ``metric`` for the files of one gemeente, doelgroep and team in one month
    (the month of the event the metric counts; see ``facts.METRICS``). Pages sum cells; they never scan files."""

    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    doelgroep = models.CharField(max_length=30, blank=True)
    team = models.PositiveIntegerField(default=0)  # accounts.Team id, 0 = no team
    metric = models.CharField(max_length=40)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("monitoringcel")
        verbose_name_plural = _("monitoringcellen")
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "month", "doelgroep", "team", "metric"], name="monitoring_cell_unique"
            )
        ]
        indexes = [models.Index(fields=["gemeente", "metric", "month"], name="monitoring_cell_lookup")]

    def __str__(self) -> str:
        return f"{self.metric} {self.month:%Y-%m}"


# The CBS deliveries (#16 item 5) and the council report (#16 item 6) live in their own modules; imported here so
# Django registers them in this app.
from .cbs.models import CbsDelivery, CbsDeliveryDownload  # noqa: E402 -- after this app's own models, on purpose
from .council_models import CouncilReport, CouncilReportStatus  # noqa: E402 -- after this app's own models, on purpose

__all__ = [
    "CbsDelivery",
    "CbsDeliveryDownload",
    "CouncilReport",
    "CouncilReportStatus",
    "FactCell",
    "FileFact",
    "LessonVisit",
    "SatisfactionSurvey",
]
