"""Providers (taal, onderwijsroute, MAP, PVT, Z-route, werkgever), their contracts with a gemeente or an
arbeidsmarktregio, the provider users, enrolments (plaatsingen) with an insert-only history, and what a provider
reports: weekly hours and absence (with an insert-only history of replaced values) and exam results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from openinburgering import rules
from openinburgering.clients.models import InsertOnlyModel
from openinburgering.intakes.choices import Leerroute

from .choices import (
    Component,
    EnrolmentStatus,
    ExamLevel,
    MapTheme,
    MilestoneKind,
    PriceModel,
    ProviderKind,
    ReportingFrequency,
    ReportSource,
)

EXAM_PART_CHOICES = [
    (rules.ExamPart.LEZEN.value, "Lezen"),
    (rules.ExamPart.LUISTEREN.value, "Luisteren"),
    (rules.ExamPart.SCHRIJVEN.value, "Schrijven"),
    (rules.ExamPart.SPREKEN.value, "Spreken"),
    (rules.ExamPart.KNM.value, "Kennis van de Nederlandse maatschappij (KNM)"),
]

ONE_OWNER = Q(gemeente__isnull=False, region__isnull=True) | Q(gemeente__isnull=True, region__isnull=False)


class Provider(models.Model):
    """A provider, owned by one gemeente or shared within an arbeidsmarktregio (exactly one of the two)."""

    name = models.CharField(_("naam"), max_length=200)
    kinds = models.JSONField(_("soort aanbieder"), default=list)
    keurmerk = models.BooleanField(_("keurmerk Blik op Werk"), default=False)
    keurmerk_expires_on = models.DateField(_("keurmerk geldig tot en met"), null=True, blank=True)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    contact_name = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail contactpersoon"), blank=True)
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=30, blank=True)
    gemeente = models.ForeignKey(
        "accounts.Gemeente", null=True, blank=True, on_delete=models.PROTECT, related_name="providers"
    )
    region = models.ForeignKey(
        "accounts.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="providers"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")
        constraints = [
            models.CheckConstraint(condition=ONE_OWNER, name="provider_one_owner"),
            models.CheckConstraint(
                condition=Q(keurmerk=False) | Q(keurmerk_expires_on__isnull=False), name="provider_keurmerk_expiry"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(ProviderKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.kinds]

    @property
    def owner_label(self) -> str:
        if self.region is not None:
            return f"Arbeidsmarktregio {self.region.name}"
        return f"Gemeente {self.gemeente.name}" if self.gemeente is not None else ""


class Contract(models.Model):
    """A contract with a provider, for one gemeente or for a region (exactly one of the two)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts")
    name = models.CharField(_("naam of kenmerk"), max_length=200)
    gemeente = models.ForeignKey(
        "accounts.Gemeente", null=True, blank=True, on_delete=models.PROTECT, related_name="provider_contracts"
    )
    region = models.ForeignKey(
        "accounts.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="provider_contracts"
    )
    starts_on = models.DateField(_("begindatum"))
    ends_on = models.DateField(_("einddatum"))
    price_model = models.CharField(_("prijsmodel"), max_length=20, choices=PriceModel.choices)
    price_per_route = models.DecimalField(
        _("prijs per route (euro)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    price_per_hour = models.DecimalField(
        _("prijs per uur (euro)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    price_per_result = models.DecimalField(
        _("prijs per resultaat (euro)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(_("aantal plaatsen"))
    components = models.JSONField(_("onderdelen"), default=list)
    reporting_frequency = models.CharField(
        _("afgesproken rapportage"), max_length=20, choices=ReportingFrequency.choices
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["provider", "-starts_on", "id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracten")
        constraints = [
            models.CheckConstraint(condition=ONE_OWNER, name="contract_one_owner"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="contract_period"),
            models.CheckConstraint(
                condition=(Q(price_per_route__isnull=True) | Q(price_per_route__gte=0))
                & (Q(price_per_hour__isnull=True) | Q(price_per_hour__gte=0))
                & (Q(price_per_result__isnull=True) | Q(price_per_result__gte=0)),
                name="contract_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def component_labels(self) -> list[str]:
        labels = dict(Component.choices)
        return [str(labels.get(code, code)) for code in self.components]


class ProviderMembership(models.Model):
    """Links an aanbieder membership (user + gemeente + role) to the one provider it works for."""

    membership = models.OneToOneField("accounts.Membership", on_delete=models.CASCADE, related_name="provider_link")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.membership} → {self.provider}"


class Enrolment(models.Model):
    """A plaatsing: a person placed with a provider for one component under one contract."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="enrolments")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="enrolments")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="enrolments")
    component = models.CharField(_("onderdeel"), max_length=20, choices=Component.choices)
    status = models.CharField(max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.VOORGESTELD)
    starts_on = models.DateField(_("startdatum"))
    ends_on = models.DateField(_("einddatum"))
    hours_per_week = models.DecimalField(_("geplande uren per week"), max_digits=4, decimal_places=1)
    status_reason = models.TextField(_("reden"), blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")
        indexes = [
            models.Index(fields=["provider", "status"], name="enrolment_provider_status"),
            models.Index(fields=["contract", "status"], name="enrolment_contract_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="enrolment_period"),
            models.CheckConstraint(condition=Q(hours_per_week__gte=0), name="enrolment_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Plaatsing {self.pk}"

    @property
    def route_label(self) -> str:
        """The leerroute of the file's current vastgestelde PIP (selectors annotate ``route``), or a dash."""
        route = getattr(self, "route", None)
        return (
            str(dict(Leerroute.choices).get(route, "Nog geen vastgesteld PIP")) if route else "Nog geen vastgesteld PIP"
        )


class EnrolmentEvent(InsertOnlyModel):
    """Every status change of an enrolment (also its creation): the history, insert-only."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=20, choices=EnrolmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=EnrolmentStatus.choices)
    reason = models.TextField(blank=True)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=10, default="ui")

    class Meta:
        ordering = ["enrolment", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class CsvUpload(models.Model):
    """One uploaded CSV file of weekly reports. The same file (hash) of the same provider is processed once."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="uploads")
    file_hash = models.CharField(max_length=64)
    filename = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=10, default="ui")
    rows_total = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_replaced = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["provider", "file_hash"], name="csv_upload_once")]

    def __str__(self) -> str:
        return f"Upload {self.pk}"


class WeeklyReport(models.Model):
    """Hours and absence of one enrolment in one ISO week. A new report for the same week replaces the values;
    the old ones go to WeeklyReportHistory first (nothing is lost)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="weekly_reports")
    week = models.CharField(_("week"), max_length=8)  # ISO week, e.g. 2026-W47
    week_starts_on = models.DateField()
    hours_offered = models.DecimalField(_("uren aangeboden"), max_digits=5, decimal_places=1)
    hours_attended = models.DecimalField(_("uren aanwezig"), max_digits=5, decimal_places=1)
    hours_absent_authorised = models.DecimalField(_("uren afwezig met reden"), max_digits=5, decimal_places=1)
    hours_absent_unauthorised = models.DecimalField(_("uren afwezig zonder reden"), max_digits=5, decimal_places=1)
    absence_reason = models.CharField(_("reden van afwezigheid"), max_length=500, blank=True)
    note = models.TextField(_("korte notitie over de voortgang"), blank=True)
    row_hash = models.CharField(max_length=64)
    source = models.CharField(max_length=10, choices=ReportSource.choices)
    upload = models.ForeignKey(CsvUpload, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["enrolment", "-week_starts_on"]
        indexes = [
            # The attendance rate: an enrolment's reports in a range of weeks (progress.selectors, the caseload's
            # signal and filter); the unique index on (enrolment, week) cannot serve the date range.
            models.Index(fields=["enrolment", "week_starts_on"], name="weekly_report_enrolment_week"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "week"], name="weekly_report_once_per_week"),
            models.CheckConstraint(
                condition=Q(
                    hours_offered__gte=0,
                    hours_attended__gte=0,
                    hours_absent_authorised__gte=0,
                    hours_absent_unauthorised__gte=0,
                )
                & Q(
                    hours_offered__gte=F("hours_attended")
                    + F("hours_absent_authorised")
                    + F("hours_absent_unauthorised")
                ),
                name="weekly_report_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week} ({self.enrolment_id})"


class WeeklyReportHistory(InsertOnlyModel):
    """The values of a weekly report before a later report replaced them."""

    report = models.ForeignKey(WeeklyReport, on_delete=models.PROTECT, related_name="history")
    hours_offered = models.DecimalField(max_digits=5, decimal_places=1)
    hours_attended = models.DecimalField(max_digits=5, decimal_places=1)
    hours_absent_authorised = models.DecimalField(max_digits=5, decimal_places=1)
    hours_absent_unauthorised = models.DecimalField(max_digits=5, decimal_places=1)
    absence_reason = models.CharField(max_length=500, blank=True)
    note = models.TextField(blank=True)
    row_hash = models.CharField(max_length=64)
    source = models.CharField(max_length=10, choices=ReportSource.choices)
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["report", "replaced_at", "id"]

    def __str__(self) -> str:
        return f"Eerdere melding {self.pk}"


class ExamResult(InsertOnlyModel):
    """An exam attempt of one part at one level; a correction is a new row."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="exam_results")
    part = models.CharField(_("onderdeel"), max_length=10, choices=EXAM_PART_CHOICES)
    level = models.CharField(_("niveau"), max_length=2, choices=ExamLevel.choices, blank=True)  # empty for KNM
    exam_on = models.DateField(_("datum examen"))
    passed = models.BooleanField(_("gehaald"))
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=10, default="ui")

    class Meta:
        ordering = ["enrolment", "-exam_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_part_display()} {self.level}"


class ModuleMilestone(InsertOnlyModel):
    """What a provider reports besides hours and exams: a progress report (any component), the PVT signed, a MAP
    theme done, MAP ready for the eindgesprek. Insert-only; a PVT signing, a MAP theme and MAP-ready are reported
    once per enrolment (the eindgesprek itself and the Z-route eindgesprek are the gemeente's)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="milestones")
    kind = models.CharField(_("soort"), max_length=20, choices=MilestoneKind.choices)
    theme = models.CharField(_("MAP-thema"), max_length=30, choices=MapTheme.choices, blank=True)
    happened_on = models.DateField(_("datum"))
    note = models.TextField(_("toelichting"), blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=10, default="ui")

    class Meta:
        ordering = ["enrolment", "-happened_on", "-id"]
        verbose_name = _("mijlpaal van een module")
        verbose_name_plural = _("mijlpalen van modules")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind", "theme"],
                condition=~Q(kind=MilestoneKind.VOORTGANGSVERSLAG),
                name="milestone_once_per_enrolment",
            ),
            models.CheckConstraint(
                condition=Q(kind=MilestoneKind.MAP_THEMA, theme__gt="")
                | (~Q(kind=MilestoneKind.MAP_THEMA) & Q(theme="")),
                name="milestone_theme_only_for_map_theme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"
