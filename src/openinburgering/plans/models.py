"""The PIP (persoonlijk plan inburgering en participatie, W 15) as a versioned beschikking.

A version is drafted, offered to a teamleider, approved by someone else (four eyes, database check) and then
vastgesteld with a dagtekening; after that it never changes. A change is a new version; the old one becomes
``vervangen`` and stays readable. The termijn comes from the first vastgestelde version's dagtekening
(``rules.termijn``, W 11) and does not move with new versions. Every step of a version is an insert-only
``PipEvent``; a bezwaar is registered against one version.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.models import InsertOnlyModel
from openinburgering.intakes.choices import Leefgebied, Leerroute

from .choices import OPEN_PIP_STATUSES, BezwaarStatus, ClientAgreement, PipEventKind, PipStatus, Responsible


class PipLevel(models.TextChoices):
    STANDAARD = "", _("Standaard (B1, Z-route zonder niveau)")
    A2 = "A2", _("A2")
    B1 = "B1", _("B1")


class PipVersion(models.Model):
    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="pip_versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=PipStatus.choices, default=PipStatus.CONCEPT)
    # W 15 lid 1 sub a: leerroute and level; for W 13.1 (asiel) also the intensity of the B1-route.
    leerroute = models.CharField(_("leerroute"), max_length=20, choices=Leerroute.choices)
    level = models.CharField(_("taalniveau"), max_length=2, choices=PipLevel.choices, blank=True)
    estimated_b1_intensity = models.PositiveIntegerField(
        _("geschatte intensiteit B1-route (uren)"), null=True, blank=True
    )
    lesson_hours_per_week = models.PositiveSmallIntegerField(_("lesuren per week"), null=True, blank=True)
    # W 15 lid 1 sub c: PVT and MAP with their intensity (no MAP in the onderwijsroute, W 8 lid 3).
    pvt_intensity = models.CharField(_("participatieverklaringstraject (PVT)"), max_length=300, blank=True)
    map_intensity = models.CharField(_("module arbeidsmarkt en participatie (MAP)"), max_length=300, blank=True)
    # W 15 lid 1 sub b: ondersteuning en begeleiding.
    begeleiding = models.TextField(_("maatschappelijke begeleiding en ondersteuning"), blank=True)
    # Pw 56a, from rules.ontzorgen at the time of drafting (part of the PIP, W 15 lid 3).
    receives_bijstand = models.BooleanField(_("krijgt bijstand"), default=False)
    bijstand_start_on = models.DateField(_("bijstand vanaf"), null=True, blank=True)
    ontzorgen_applies = models.BooleanField(default=False)
    ontzorgen_start_on = models.DateField(null=True, blank=True)
    ontzorgen_end_on = models.DateField(null=True, blank=True)
    ontzorgen_items = models.JSONField(default=list, blank=True)
    # W 15 lid 1 sub d: VVE; randvoorwaarden; duale trajecten.
    vve = models.TextField(_("voor- en vroegschoolse educatie (VVE)"), blank=True)
    kinderopvang = models.TextField(_("kinderopvang"), blank=True)
    reiskosten = models.TextField(_("reiskosten"), blank=True)
    lestijden = models.TextField(_("lestijden"), blank=True)
    duaal = models.TextField(_("taal samen met werk of participatie (duaal)"), blank=True)
    # B 5.3 lid 4: the number of voortgangsgesprekken; the planned dates become ProgressTalk rows on vaststelling.
    progress_talks_count = models.PositiveSmallIntegerField(_("aantal voortgangsgesprekken"), default=0)
    progress_talk_dates = models.JSONField(default=list, blank=True)
    summary = models.TextField(_("samenvatting in eenvoudige taal"), blank=True)
    # A route switch in a later version (W 17.2, B 5.4), checked with rules.route_switch.
    route_switch_exception = models.CharField(max_length=40, blank=True)
    change_reason = models.TextField(_("reden van de wijziging"), blank=True)
    drafted_at = models.DateTimeField()
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dagtekening_on = models.DateField(_("dagtekening"), null=True, blank=True)
    # Snapshot of rules.termijn for the file's first dagtekening (the termijn does not move with a new version).
    termijn_start_on = models.DateField(null=True, blank=True)
    termijn_end_on = models.DateField(null=True, blank=True)
    client_agreement = models.CharField(max_length=10, choices=ClientAgreement.choices, blank=True)
    client_comments = models.TextField(_("opmerkingen van de persoon"), blank=True)
    client_response_on = models.DateField(null=True, blank=True)
    # The beschikking (PDF) generated on vaststelling; the letter itself is insert-only in the letters app.
    beschikking_letter = models.ForeignKey(
        "letters.Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["client_file", "-number"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="pip_version_queue")]
        verbose_name = _("PIP-versie")
        verbose_name_plural = _("PIP-versies")
        constraints = [
            models.UniqueConstraint(fields=["client_file", "number"], name="pip_version_number_unique"),
            models.UniqueConstraint(
                fields=["client_file"], condition=Q(status__in=OPEN_PIP_STATUSES), name="pip_one_open_version"
            ),
            models.UniqueConstraint(
                fields=["client_file"], condition=Q(status=PipStatus.VASTGESTELD), name="pip_one_current_version"
            ),
            # Four eyes: the approver is never the one who drafted or submitted the version.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | (
                    ~Q(approved_by=F("drafted_by")) & (Q(submitted_by__isnull=True) | ~Q(approved_by=F("submitted_by")))
                ),
                name="pip_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[PipStatus.VASTGESTELD, PipStatus.VERVANGEN])
                | (Q(approved_by__isnull=False) & Q(dagtekening_on__isnull=False)),
                name="pip_vastgesteld_has_approval_and_dagtekening",
            ),
        ]

    def __str__(self) -> str:
        return f"PIP versie {self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == PipStatus.CONCEPT

    @property
    def progress_talk_days(self) -> list[date]:
        """The planned voortgangsgesprekken as dates (stored as ISO strings in a JSON list)."""
        return [date.fromisoformat(str(value)) for value in self.progress_talk_dates or []]


class PipAgreement(models.Model):
    """An agreement per leefgebied: the goal and who does what by when. Part of the version (edited with it
    while it is a concept, frozen with it once vastgesteld)."""

    version = models.ForeignKey(PipVersion, on_delete=models.CASCADE, related_name="agreements")
    leefgebied = models.CharField(max_length=30, choices=Leefgebied.choices)
    goal = models.TextField(_("doel"))
    action = models.TextField(_("wat gebeurt er"))
    responsible = models.CharField(_("wie doet het"), max_length=20, choices=Responsible.choices)
    due_on = models.DateField(_("wanneer klaar"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return f"Afspraak {self.pk}"


class PipEvent(InsertOnlyModel):
    """The history of a version: drafted, submitted, approved, rejected (with the teamleider's comment), ..."""

    version = models.ForeignKey(PipVersion, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=PipEventKind.choices)
    comment = models.TextField(blank=True)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["version", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.version_id})"


class ProgressTalk(models.Model):
    """A voortgangsgesprek (B 5.3 lid 4, W 17.1), planned from the PIP and then held."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="progress_talks")
    version = models.ForeignKey(PipVersion, on_delete=models.PROTECT, related_name="progress_talks")
    planned_on = models.DateField(_("gepland op"))
    held_on = models.DateField(_("gehouden op"), null=True, blank=True)
    summary = models.TextField(_("verslag"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["client_file", "planned_on", "id"]
        indexes = [models.Index(fields=["client_file", "held_on", "planned_on"], name="progress_talk_open")]

    def __str__(self) -> str:
        return f"Voortgangsgesprek {self.planned_on}"


class Bezwaar(models.Model):
    """A bezwaarschrift against one PIP version (Awb 6:4, 6:7). ``term_ends_on`` comes from the rules."""

    version = models.ForeignKey(PipVersion, on_delete=models.PROTECT, related_name="bezwaren")
    received_on = models.DateField(_("ontvangen op"))
    term_ends_on = models.DateField()
    on_time = models.BooleanField()
    grounds = models.TextField(_("gronden"))
    status = models.CharField(max_length=20, choices=BezwaarStatus.choices, default=BezwaarStatus.ONTVANGEN)
    decided_on = models.DateField(_("beslist op"), null=True, blank=True)
    registered_at = models.DateTimeField()
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["version", "-received_on", "-id"]
        verbose_name = _("bezwaar")
        verbose_name_plural = _("bezwaren")

    def __str__(self) -> str:
        return f"Bezwaar {self.pk}"
