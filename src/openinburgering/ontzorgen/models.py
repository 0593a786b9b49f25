"""Financieel ontzorgen (#13; Participatiewet art. 56a, Wet inburgering 2021 art. 15 lid 3).

Per client file one :class:`OntzorgenRecord` holds the period from ``rules.ontzorgen`` (denormalised, recomputed
by the services on every change, so worklists filter in the database) and the maatwerk: which vaste lasten the
gemeente pays for this person, with the reason. A Pw 57 extension is a decision of its own (insert-only).

Money is integer cents everywhere (``*_cents``), never float. The :class:`LedgerEntry` table is append-only (model
guard and PostgreSQL trigger): withheld, due, sent, returned and corrected are new rows; a correction or a return
points at the row it corrects (``corrects``); balances are sums computed by queries, never stored.

A :class:`PaymentRun` is one per gemeente and month (database unique). Its payments (:class:`Payment`,
insert-only, each with a unique end-to-end id that the bank reconciliation matches on) are fixed when the run is
built; the SEPA file (:class:`PaymentFile`, insert-only) is written once, at the four-eyes approval, after it
validated against the pain.001.001.09 XSD.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.models import InsertOnlyModel

MAX_DAY_OF_MONTH = 28
"""Payments fall on a day that exists in every month."""


class ObligationKind(models.TextChoices):
    """The vaste lasten of Pw 56a lid 2 (gas and stroom together as energie) and, by maatwerk, others."""

    HUUR = "huur", _("Huur")
    ENERGIE = "energie", _("Energie (gas en stroom)")
    WATER = "water", _("Water")
    ZORGVERZEKERING = "zorgverzekering", _("Zorgverzekering")
    OVERIG = "overig", _("Andere vaste last")


STATUTORY_ITEMS: tuple[str, ...] = (
    ObligationKind.HUUR,
    ObligationKind.ENERGIE,
    ObligationKind.WATER,
    ObligationKind.ZORGVERZEKERING,
)
"""What Pw 56a lid 2 names: huur, gas, water, stroom and the verplichte zorgverzekering."""


class OntzorgenSettings(models.Model):
    """The gemeente's own account from which the vaste lasten are paid (the debtor in the SEPA file)."""

    gemeente = models.OneToOneField("accounts.Gemeente", on_delete=models.PROTECT, related_name="ontzorgen_settings")
    debtor_name = models.CharField(_("naam rekeninghouder"), max_length=70)
    debtor_iban = models.CharField(_("IBAN van de gemeente"), max_length=34)
    debtor_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("instellingen ontzorgen")
        verbose_name_plural = _("instellingen ontzorgen")

    def __str__(self) -> str:
        return f"Ontzorgen {self.gemeente_id}"


class OntzorgenRecord(models.Model):
    """Ontzorgen of one client file: the bijstand dates, the rules' outcome and the maatwerk."""

    client_file = models.OneToOneField("clients.ClientFile", on_delete=models.PROTECT, related_name="ontzorgen_record")
    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    receives_bijstand = models.BooleanField(_("ontvangt bijstand"), default=True)
    bijstand_start_on = models.DateField(_("recht op bijstand vanaf"), null=True, blank=True)
    bijstand_end_on = models.DateField(_("bijstand beëindigd op"), null=True, blank=True)
    # From rules.ontzorgen (Pw 56a; with the newest Pw 57 extension), recomputed by services.record_ontzorgen.
    applies = models.BooleanField(default=False)
    reason = models.CharField(max_length=40, blank=True)
    start_on = models.DateField(null=True, blank=True)
    end_on = models.DateField(null=True, blank=True)
    # Maatwerk (Kamerbrief 6-4-2023): which vaste lasten the gemeente pays for this person, and why.
    items = models.JSONField(default=list, blank=True)
    maatwerk_reason = models.TextField(_("reden maatwerk"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ontzorgen")
        verbose_name_plural = _("ontzorgen")
        constraints = [
            models.CheckConstraint(
                condition=Q(bijstand_end_on__isnull=True)
                | Q(bijstand_start_on__isnull=True)
                | Q(bijstand_end_on__gte=F("bijstand_start_on")),
                name="ontzorgen_bijstand_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(applies=False) | (Q(start_on__isnull=False) & Q(end_on__isnull=False)),
                name="ontzorgen_applies_has_period",
            ),
        ]
        indexes = [models.Index(fields=["gemeente", "applies", "end_on"], name="ontzorgen_by_end")]

    def __str__(self) -> str:
        return f"Ontzorgen {self.client_file_id}"


class OntzorgenExtension(InsertOnlyModel):
    """A decision under Pw 57 to continue ontzorgen after the six months, until ``extended_until_on``."""

    record = models.ForeignKey(OntzorgenRecord, on_delete=models.PROTECT, related_name="extensions")
    extended_until_on = models.DateField(_("verlengd tot en met"))
    decided_on = models.DateField(_("besloten op"))
    reason = models.TextField(_("reden"))
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["record", "recorded_at", "id"]
        verbose_name = _("verlenging ontzorgen")
        verbose_name_plural = _("verlengingen ontzorgen")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="ontzorgen_extension_has_reason")]

    def __str__(self) -> str:
        return f"Verlenging tot {self.extended_until_on}"


class MachtigingKind(models.TextChoices):
    MACHTIGING = "machtiging", _("Machtiging getekend")
    CONSENT = "consent", _("Schriftelijke toestemming gegeven")
    REFUSED = "refused", _("Geweigerd")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


GIVEN_KINDS = (MachtigingKind.MACHTIGING, MachtigingKind.CONSENT)


class Machtiging(InsertOnlyModel):
    """The client's machtiging or signed consent to pay from the bijstand, or its refusal or withdrawal. The newest
    row counts. A refusal has a consequence note: a maatregel under Pw 18 is the bijstand suite's decision, noted
    here."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="machtigingen")
    kind = models.CharField(_("wat"), max_length=20, choices=MachtigingKind.choices)
    given_on = models.DateField(_("datum"))
    document_reference = models.CharField(_("kenmerk van het document"), max_length=100, blank=True)
    consequence_note = models.TextField(_("gevolg"), blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "recorded_at", "id"]
        verbose_name = _("machtiging")
        verbose_name_plural = _("machtigingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[str(kind) for kind in GIVEN_KINDS]) | ~Q(consequence_note=""),
                name="machtiging_refusal_has_consequence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.given_on})"

    @property
    def is_given(self) -> bool:
        return self.kind in GIVEN_KINDS


class Obligation(models.Model):
    """A vaste last the gemeente pays for the client: creditor, account, reference, amount per month and day."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="obligations")
    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("soort"), max_length=20, choices=ObligationKind.choices)
    creditor_name = models.CharField(_("naam schuldeiser"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    creditor_reference = models.CharField(_("kenmerk van de schuldeiser"), max_length=100, blank=True)
    polisnummer = models.CharField(_("polisnummer"), max_length=40, blank=True)
    description = models.CharField(_("omschrijving"), max_length=100, blank=True)
    amount_cents = models.BigIntegerField(_("bedrag per maand (centen)"))
    day_of_month = models.PositiveSmallIntegerField(_("betaaldag"))
    start_on = models.DateField(_("vanaf"))
    end_on = models.DateField(_("tot en met"), null=True, blank=True)
    # The first month whose payments the next run checks again (a change that reaches back, or a start in a month
    # already paid): the difference becomes a correction in that run, never an edit of a sent file.
    corrections_from = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["client_file", "kind", "id"]
        verbose_name = _("vaste last")
        verbose_name_plural = _("vaste lasten")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="obligation_amount_positive"),
            models.CheckConstraint(
                condition=Q(day_of_month__gte=1) & Q(day_of_month__lte=MAX_DAY_OF_MONTH), name="obligation_day_range"
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")), name="obligation_end_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(kind="zorgverzekering") | ~Q(polisnummer=""), name="obligation_insurance_has_polis"
            ),
        ]
        indexes = [models.Index(fields=["gemeente", "start_on"], name="obligation_by_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.creditor_name}"


class RunStatus(models.TextChoices):
    BUILT = "built", _("Klaar om goed te keuren")
    APPROVED = "approved", _("Goedgekeurd; bestand gemaakt")


class PaymentRun(models.Model):
    """The monthly payment run of a gemeente. Built once per month; approved once, by a second person."""

    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("maand"))  # the first day of the month
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.BUILT)
    debtor_name = models.CharField(max_length=70)
    debtor_iban = models.CharField(max_length=34)
    debtor_bic = models.CharField(max_length=11, blank=True)
    built_at = models.DateTimeField()
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["gemeente", "-month"]
        verbose_name = _("betaalrun")
        verbose_name_plural = _("betaalruns")
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "month"], name="payment_run_one_per_month"),
            models.CheckConstraint(condition=~Q(approved_by=F("built_by")), name="payment_run_four_eyes"),
            models.CheckConstraint(
                condition=(Q(status="built") & Q(approved_by__isnull=True) & Q(approved_at__isnull=True))
                | (Q(status="approved") & Q(approved_by__isnull=False) & Q(approved_at__isnull=False)),
                name="payment_run_status_matches_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"Betaalrun {self.month:%Y-%m}"

    @property
    def is_approved(self) -> bool:
        return self.status == RunStatus.APPROVED


class Payment(InsertOnlyModel):
    """One credit transfer of a run: one per obligation per run, the sum of the ledger's due and corrected entries
    of that run for it. ``end_to_end_id`` is unique and is what the bank statement returns."""

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="payments")
    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="+")
    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="payments")
    end_to_end_id = models.CharField(max_length=35, unique=True)
    amount_cents = models.BigIntegerField()
    creditor_name = models.CharField(max_length=70)
    iban = models.CharField(max_length=34)
    bic = models.CharField(max_length=11, blank=True)
    remittance = models.CharField(max_length=140)
    due_on = models.DateField()
    includes_correction = models.BooleanField(default=False)

    class Meta:
        ordering = ["run", "id"]
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return self.end_to_end_id


class PaymentFile(InsertOnlyModel):
    """The SEPA Credit Transfer file of an approved run, stored as written and never edited. It exists only after
    it validated against the XSD (``validated_against``), so a download is always a valid file."""

    run = models.OneToOneField(PaymentRun, on_delete=models.PROTECT, related_name="payment_file")
    message_id = models.CharField(max_length=35, unique=True)
    validated_against = models.CharField(max_length=30)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    payment_count = models.PositiveIntegerField()
    total_cents = models.BigIntegerField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("SEPA-bestand")
        verbose_name_plural = _("SEPA-bestanden")

    def __str__(self) -> str:
        return self.message_id

    @property
    def is_destroyed(self) -> bool:
        """Emptied by the retention job after its term (#13 gap 6); the row stays without personal data."""
        return not bytes(self.content or b"")


class LedgerKind(models.TextChoices):
    WITHHELD = "withheld", _("Ingehouden op de bijstand")
    DUE = "due", _("Te betalen")
    SENT = "sent", _("Betaald (in het bankbestand)")
    RETURNED = "returned", _("Teruggekomen van de bank")
    CORRECTED = "corrected", _("Correctie")
    REFUNDED = "refunded", _("Terugbetaald door de schuldeiser")
    OFFSET = "offset", _("Verrekend door de schuldeiser")


class LedgerEntry(InsertOnlyModel):
    """One line of a client's ontzorgen ledger, in integer cents. Never changed: a correction is a new row whose
    ``corrects`` names the row it corrects (a return names the payment's ``sent`` row; a creditor's refund or
    offset of money paid too much names the negative correction that made the credit). ``amount_cents`` is
    positive, except a correction, which is signed and never zero."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="ledger_entries")
    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=LedgerKind.choices)
    amount_cents = models.BigIntegerField()
    period = models.DateField()  # the first day of the month the money is for
    obligation = models.ForeignKey(Obligation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(PaymentRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries")
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    note = models.CharField(max_length=200, blank=True)
    booked_on = models.DateField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["client_file", "period", "id"]
        verbose_name = _("boeking")
        verbose_name_plural = _("boekingen")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="corrected") & ~Q(amount_cents=0)) | (~Q(kind="corrected") & Q(amount_cents__gt=0)),
                name="ledger_amount_sign",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["corrected", "returned", "refunded", "offset"]) | Q(corrects__isnull=False),
                name="ledger_correction_points_back",
            ),
        ]
        indexes = [
            models.Index(fields=["client_file", "kind"], name="ledger_by_file_kind"),
            models.Index(fields=["obligation", "period"], name="ledger_by_obligation_period"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_cents}"


# --- part B (#13, ontzorgen2): bank reconciliation, toeslagen and begeleid loslaten live in their own modules ---
from .models_aftercare import LoslatenStep, LoslatenStepDone, ToeslagRecord  # noqa: E402 -- they import the models above
from .models_bank import BankStatement, StatementLine, StatementLineResolution  # noqa: E402 -- idem
from .models_reclaim import ReclaimSettlement, SettlementMethod  # noqa: E402 -- idem

__all__ = [
    "BankStatement", "LoslatenStep", "LoslatenStepDone", "ReclaimSettlement", "SettlementMethod", "StatementLine",
    "StatementLineResolution", "ToeslagRecord",
]  # fmt: skip
