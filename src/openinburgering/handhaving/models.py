"""Handhaving: W 23 boetes as a proposal, a four-eyes decision and bezwaar; and the klantregisseur's record of
what a person has achieved so far (for ``rules.voldaan`` and ``rules.extension_for_effort``).

Everything here is insert-only (model and PostgreSQL trigger): a proposal is never edited, a decision is never
changed (a later change is a new ``FineDecision`` row with a higher ``sequence``; the newest row counts), a
bezwaar is registered once, and a wrong achievement is corrected by a new record, never by editing the old one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.models import InsertOnlyModel


class FineGround(models.TextChoices):
    """W 23 lid 1: what the person did not do that the PIP asked."""

    BEGELEIDING = "begeleiding", _("Werkt niet mee aan de maatschappelijke begeleiding")
    PVT = "pvt", _("Doet niet mee aan het participatieverklaringstraject (PVT)")
    MAP = "map", _("Doet niet mee aan de module arbeidsmarkt en participatie (MAP)")
    ROUTE_INTENSITY = "route_intensity", _("Houdt zich niet aan de intensiteit van de leerroute")


class CulpabilityChoice(models.TextChoices):
    """rules.Culpability (B 7.1 lid 4) with its percentage."""

    OPZET = "opzet", _("Opzet (100 %)")
    GROVE_SCHULD = "grove_schuld", _("Grove schuld (75 %)")
    NORMAAL = "normaal", _("Geen opzet en geen grove schuld (50 %)")
    VERMINDERD = "verminderd", _("Verminderde verwijtbaarheid (25 %)")


class TermijnKindChoice(models.TextChoices):
    """rules.TermijnKind (B 7.1 lid 5): which cap applies."""

    REGULAR = "regular", _("De (verlengde) inburgeringstermijn (maximum € 2.400)")
    NEW_6M = "new_6m", _("Nieuwe termijn van een half jaar (maximum € 400)")
    NEW_12M = "new_12m", _("Nieuwe termijn van 1 jaar (maximum € 800)")
    NEW_18M = "new_18m", _("Nieuwe termijn van 1,5 jaar (maximum € 1.200)")
    NEW_24M = "new_24m", _("Nieuwe termijn van 2 jaar (maximum € 1.600)")


class DecisionOutcome(models.TextChoices):
    OPGELEGD = "opgelegd", _("Boete opgelegd")
    AFGEZIEN = "afgezien", _("Afgezien van een boete")


class FineProposal(InsertOnlyModel):
    """A klantregisseur's proposal for a W 23 boete, with the rules' outcome at the time of proposing."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="fine_proposals")
    pip_version = models.ForeignKey("plans.PipVersion", on_delete=models.PROTECT, related_name="+")
    ground = models.CharField(_("grond"), max_length=30, choices=FineGround.choices)
    established_on = models.DateField(_("vastgesteld op"))
    facts = models.TextField(_("feiten"))
    reasoning = models.TextField(_("motivering"))
    culpability = models.CharField(_("verwijtbaarheid"), max_length=20, choices=CulpabilityChoice.choices)
    termijn_kind = models.CharField(max_length=20, choices=TermijnKindChoice.choices, default="regular")
    bijstand_reduced = models.BooleanField(_("bijstand al verlaagd voor hetzelfde gedrag"), default=False)
    # Asielstatushouders (HvJ EU 4-2-2025, Keren, C-158/23): only on proven, persistent unwillingness.
    asielstatushouder = models.BooleanField(default=False)
    persistent_onwil = models.BooleanField(_("persistente onwil is aangetoond"), default=False)
    keren_reasoning = models.TextField(_("onderbouwing persistente onwil en evenredigheid"), blank=True)
    # Snapshot of rules.fine_pip and its inputs when proposed (the decision recomputes).
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    base_amount = models.DecimalField(max_digits=8, decimal_places=2)
    repeat_count = models.PositiveSmallIntegerField()
    capped = models.BooleanField()
    w22_total = models.DecimalField(max_digits=8, decimal_places=2)
    w23_total = models.DecimalField(max_digits=8, decimal_places=2)
    proposed_at = models.DateTimeField()
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "-proposed_at", "-id"]
        verbose_name = _("boetevoorstel")
        verbose_name_plural = _("boetevoorstellen")
        constraints = [
            models.CheckConstraint(
                condition=Q(asielstatushouder=False) | Q(persistent_onwil=True), name="fine_proposal_keren_onwil"
            ),
        ]

    def __str__(self) -> str:
        return f"Boetevoorstel {self.pk}"


class FineDecision(InsertOnlyModel):
    """The teamleider's decision on a proposal. Four eyes: ``decided_by`` is never ``proposed_by`` (a copy of the
    proposal's proposer, so the database can check it). A later change is a new row (``sequence`` + 1)."""

    proposal = models.ForeignKey(FineProposal, on_delete=models.PROTECT, related_name="decisions")
    sequence = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    reason = models.TextField(_("reden"), blank=True)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    repeat_count = models.PositiveSmallIntegerField()
    capped = models.BooleanField()
    decided_on = models.DateField()
    bezwaar_term_ends_on = models.DateField(null=True, blank=True)
    letter = models.ForeignKey("letters.Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["proposal", "sequence"]
        verbose_name = _("boetebesluit")
        verbose_name_plural = _("boetebesluiten")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "sequence"], name="fine_decision_sequence_unique"),
            models.CheckConstraint(condition=~Q(decided_by=F("proposed_by")), name="fine_decision_four_eyes"),
            models.CheckConstraint(
                condition=Q(outcome="opgelegd") | ~Q(reason=""), name="fine_decision_afgezien_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Boetebesluit {self.pk}"


class FineBezwaar(InsertOnlyModel):
    """A bezwaarschrift against a fine decision (Awb 6:4, 6:7); ``on_time`` comes from rules.bezwaar_termijn.
    Its outcome is a new FineDecision on the proposal."""

    decision = models.ForeignKey(FineDecision, on_delete=models.PROTECT, related_name="bezwaren")
    received_on = models.DateField(_("ontvangen op"))
    term_ends_on = models.DateField()
    on_time = models.BooleanField()
    grounds = models.TextField(_("gronden"))
    registered_at = models.DateTimeField()
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["decision", "received_on", "id"]
        verbose_name = _("bezwaar tegen een boete")
        verbose_name_plural = _("bezwaren tegen boetes")

    def __str__(self) -> str:
        return f"Bezwaar {self.pk}"


class AchievementKind(models.TextChoices):
    PVT = "pvt", _("Participatieverklaring ondertekend (PVT klaar)")
    MAP = "map", _("MAP afgerond (eindgesprek gehouden)")
    EXAM = "exam", _("Examenonderdeel gehaald")
    ONDERWIJSROUTE = "onderwijsroute", _("Onderwijsroute afgerond")
    Z_FINAL_INTERVIEW = "z_final_interview", _("Eindgesprek Z-route gehouden")
    Z_COURSE_HOURS = "z_course_hours", _("Cursusuren Z-route")
    Z_PARTICIPATION_HOURS = "z_participation_hours", _("Participatie-uren Z-route")


class ExamPartChoice(models.TextChoices):
    LEZEN = "lezen", _("Lezen")
    LUISTEREN = "luisteren", _("Luisteren")
    SCHRIJVEN = "schrijven", _("Schrijven")
    SPREKEN = "spreken", _("Spreken")
    KNM = "knm", _("Kennis van de Nederlandse maatschappij (KNM)")


class LevelChoice(models.TextChoices):
    A1 = "A1", _("A1")
    A2 = "A2", _("A2")
    B1 = "B1", _("B1")
    B2 = "B2", _("B2")


class Achievement(InsertOnlyModel):
    """What the person achieved, as the klantregisseur recorded it (the providers' reports may later feed this)."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="achievements")
    kind = models.CharField(_("wat"), max_length=30, choices=AchievementKind.choices)
    exam_part = models.CharField(_("examenonderdeel"), max_length=20, choices=ExamPartChoice.choices, blank=True)
    level = models.CharField(_("niveau"), max_length=2, choices=LevelChoice.choices, blank=True)
    hours = models.DecimalField(_("uren"), max_digits=7, decimal_places=1, null=True, blank=True)
    achieved_on = models.DateField(_("datum"))
    note = models.TextField(_("toelichting"), blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "achieved_on", "id"]
        verbose_name = _("behaald onderdeel")
        verbose_name_plural = _("behaalde onderdelen")
        constraints = [
            models.CheckConstraint(condition=~Q(kind="exam") | ~Q(exam_part=""), name="achievement_exam_has_part"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.achieved_on})"


class ExamConfirmation(InsertOnlyModel):
    """The gemeente confirmed a passed exam that a provider reported (#11): the exam is taken at DUO, so a
    provider's report is a signal to check, and counts toward voldaan only once a klantregisseur or teamleider saw
    the result (``evidence``: where, e.g. Mijn Inburgering or a DUO-bericht). Insert-only, one per report."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="exam_confirmations")
    exam_result = models.OneToOneField(
        "providers.ExamResult", on_delete=models.PROTECT, related_name="confirmation", verbose_name=_("melding")
    )
    evidence = models.CharField(_("waar gezien"), max_length=500)
    confirmed_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "confirmed_at", "id"]
        verbose_name = _("bevestiging van een examenuitslag")
        verbose_name_plural = _("bevestigingen van examenuitslagen")
        constraints = [
            models.CheckConstraint(condition=~Q(evidence=""), name="exam_confirmation_has_evidence"),
        ]

    def __str__(self) -> str:
        return f"Bevestiging {self.pk}"
