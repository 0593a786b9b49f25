"""Oproepen for the brede intake, the brede intake per household member and leefgebied, the
leerbaarheidstoets and the route advice.

The next step after an oproep (warning, fine, intake in absence) is decided by ``rules.intake_next_step`` and
stored on the call when its outcome is recorded; a call's outcome is recorded once. Route advice is insert-only:
a new advice is a new row, so the reasoning behind every choice of leerroute stays readable (RvS 24-12-2024).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.models import InsertOnlyModel

from .choices import CallOutcome, IntakeStatus, IntakeStep, LbtOntheffing, LbtOutcome, Leefgebied, Leerroute

MAX_CALLS = 3  # W 14 lid 2: after the third oproep the intake is completed in absence.


class IntakeCall(models.Model):
    """One oproep (invitation) for the brede intake: when, where, with which interpreter, and what happened."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="intake_calls")
    sequence = models.PositiveSmallIntegerField(_("volgnummer"))
    planned_at = models.DateTimeField(_("datum en tijd"))
    location = models.CharField(_("plaats"), max_length=200)
    interpreter_language = models.CharField(_("tolk in de taal"), max_length=100, blank=True)
    outcome = models.CharField(max_length=30, choices=CallOutcome.choices, default=CallOutcome.PENDING)
    outcome_note = models.TextField(_("toelichting"), blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What rules.intake_next_step decided when the outcome was recorded (snapshot, with the fine it gave).
    next_step = models.CharField(max_length=40, choices=IntakeStep.choices, blank=True)
    fine_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "sequence"]
        verbose_name = _("oproep")
        verbose_name_plural = _("oproepen")
        constraints = [
            models.UniqueConstraint(fields=["client_file", "sequence"], name="intake_call_sequence_unique"),
            models.CheckConstraint(
                condition=Q(sequence__gte=1) & Q(sequence__lte=MAX_CALLS), name="intake_call_sequence_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Oproep {self.sequence}"


class Intake(models.Model):
    """The brede intake of one person of the household (the inburgeringsplichtige, a partner, a child)."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="intakes")
    person = models.ForeignKey("clients.Person", on_delete=models.PROTECT, related_name="intakes")
    status = models.CharField(max_length=20, choices=IntakeStatus.choices, default=IntakeStatus.IN_PROGRESS)
    in_absence = models.BooleanField(_("zonder de persoon afgerond"), default=False)
    absence_reason = models.TextField(_("waarom zonder de persoon"), blank=True)
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["client_file", "started_at", "id"]
        verbose_name = _("brede intake")
        verbose_name_plural = _("brede intakes")
        constraints = [models.UniqueConstraint(fields=["client_file", "person"], name="intake_one_per_person")]

    def __str__(self) -> str:
        return f"Brede intake {self.pk}"


class LeefgebiedAssessment(models.Model):
    """One leefgebied of one intake: a 1-5 self-reliance score, a finding, wishes and goals, and the structured
    details of that leefgebied (``intakes.leefgebieden`` defines them). Saved step by step."""

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="assessments")
    leefgebied = models.CharField(max_length=30, choices=Leefgebied.choices)
    score = models.PositiveSmallIntegerField(_("zelfredzaamheid (1-5)"), null=True, blank=True)
    finding = models.TextField(_("wat ziet u"), blank=True)
    wishes = models.TextField(_("wensen en doelen"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["intake", "id"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "leefgebied"], name="assessment_one_per_leefgebied"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=1) & Q(score__lte=5)), name="assessment_score_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_leefgebied_display()} ({self.intake_id})"


class LearnabilityTest(models.Model):
    """The leerbaarheidstoets (W 14 lid 3 sub a): planned, taken with a score out of 40, or ontheffing (W 14.6).
    ``outcome`` and ``threshold`` are what ``rules.lbt_outcome`` gave when the result was recorded."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="lbt_tests")
    planned_at = models.DateTimeField(_("gepland op"), null=True, blank=True)
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    taken_on = models.DateField(_("datum afname"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score (van 40)"), null=True, blank=True)
    ontheffing = models.CharField(max_length=20, choices=LbtOntheffing.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=LbtOutcome.choices, default=LbtOutcome.ONBEKEND)
    threshold = models.PositiveSmallIntegerField(null=True, blank=True)
    result_recorded_at = models.DateTimeField(null=True, blank=True)
    result_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "-created_at", "-id"]
        verbose_name = _("leerbaarheidstoets")
        verbose_name_plural = _("leerbaarheidstoetsen")
        constraints = [
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=40), name="lbt_score_max_40"),
        ]

    def __str__(self) -> str:
        return f"Leerbaarheidstoets {self.pk}"


class RouteAdvice(InsertOnlyModel):
    """The route advice after intake and toets, and the route the klantregisseur chose. Choosing another route
    than advised needs a written reason (database check), and the onderwijsroute must have been considered."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="route_advices")
    advised_route = models.CharField(max_length=20, choices=Leerroute.choices)
    advice_reasons = models.TextField()
    chosen_route = models.CharField(max_length=20, choices=Leerroute.choices)
    deviation_reason = models.TextField(_("waarom een andere route"), blank=True)
    onderwijsroute_considered = models.TextField(_("afweging onderwijsroute"))
    lbt = models.ForeignKey(LearnabilityTest, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "-created_at", "-id"]
        verbose_name = _("routeadvies")
        verbose_name_plural = _("routeadviezen")
        constraints = [
            models.CheckConstraint(
                condition=Q(chosen_route=models.F("advised_route")) | ~Q(deviation_reason=""),
                name="route_advice_deviation_needs_reason",
            ),
            models.CheckConstraint(condition=~Q(onderwijsroute_considered=""), name="route_advice_onderwijs_weighed"),
        ]

    def __str__(self) -> str:
        return f"Routeadvies {self.pk}"
