"""Zorg en netwerk (#14): the sociale kaart, chain-partner organisations with their users, referrals with their own
consent and warme-overdracht package, the begeleiding by the maatschappelijk begeleider, buddies and the contact card.

Append, don't edit: status history, consents and their withdrawals, handover packages (a snapshot of exactly the data
the client agreed to), receipts and begeleiding entries are insert-only. The referral row holds the current state
(status, follow-up date) and every change to it writes a history row and an audit event in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.models import InsertOnlyModel
from openinburgering.intakes.choices import Leefgebied


class Organisation(models.Model):
    """An organisation on the sociale kaart: of one gemeente, or shared by every gemeente of an arbeidsmarktregio.
    A chain partner (GGZ, schuldhulp, VluchtelingenWerk) is an organisation with partner users."""

    gemeente = models.ForeignKey(
        "accounts.Gemeente", null=True, blank=True, on_delete=models.PROTECT, related_name="netwerk_organisations"
    )
    region = models.ForeignKey(
        "accounts.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="netwerk_organisations"
    )
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisatie (sociale kaart)")
        constraints = [
            models.CheckConstraint(
                condition=(Q(gemeente__isnull=False) & Q(region__isnull=True))
                | (Q(gemeente__isnull=True) & Q(region__isnull=False)),
                name="netwerk_organisation_gemeente_or_region",
            ),
            models.UniqueConstraint(
                fields=["gemeente", "name"], condition=Q(gemeente__isnull=False), name="netwerk_org_name_gemeente"
            ),
            models.UniqueConstraint(
                fields=["region", "name"], condition=Q(region__isnull=False), name="netwerk_org_name_region"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    """One offer of an organisation: what it does for which leefgebied, for whom, in which languages, where."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="offers")
    name = models.CharField(_("naam van het aanbod"), max_length=200)
    theme = models.CharField(_("leefgebied"), max_length=30, choices=Leefgebied.choices)
    target_group = models.CharField(_("doelgroep"), max_length=200, blank=True)
    languages = models.CharField(_("talen"), max_length=200, blank=True, help_text=_("Gescheiden door komma's."))
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    address = models.CharField(_("adres"), max_length=200, blank=True)
    place = models.CharField(_("plaats"), max_length=100, blank=True)
    opening_hours = models.CharField(_("openingstijden"), max_length=200, blank=True)
    waiting_weeks = models.PositiveSmallIntegerField(_("wachttijd in weken"), null=True, blank=True)
    intake_criteria = models.TextField(_("toelatingscriteria"), blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["theme", "name", "id"]
        verbose_name = _("aanbod (sociale kaart)")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="netwerk_offer_name_per_organisation"),
            models.CheckConstraint(
                condition=Q(waiting_weeks__isnull=True) | Q(waiting_weeks__lte=104), name="netwerk_offer_waiting"
            ),
        ]
        indexes = [models.Index(fields=["theme", "place"], name="netwerk_offer_theme_place")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"

    @property
    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]


class PartnerUser(models.Model):
    """A user of a chain partner (role ketenpartner): sees only the referrals addressed to this organisation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="netwerk_partner")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partner_users")

    class Meta:
        verbose_name = _("medewerker van een ketenpartner")

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class ReferralStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    VERZONDEN = "verzonden", _("Verzonden")
    GEACCEPTEERD = "geaccepteerd", _("Geaccepteerd")
    GEWEIGERD = "geweigerd", _("Geweigerd")
    GESTART = "gestart", _("Gestart")
    AFGEROND = "afgerond", _("Afgerond")
    TERUGGEMELD = "teruggemeld", _("Teruggemeld")


class Urgency(models.TextChoices):
    NORMAAL = "normaal", _("Normaal")
    HOOG = "hoog", _("Hoog: binnen een week")
    CRISIS = "crisis", _("Crisis: vandaag")


class Referral(models.Model):
    """A referral (verwijzing) of a client to an offer of a chain partner. Current state here; history appended."""

    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="referrals")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="referrals")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals")
    theme = models.CharField(max_length=30, choices=Leefgebied.choices)
    question = models.TextField(_("hulpvraag"))
    urgency = models.CharField(_("urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAAL)
    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.CONCEPT)
    follow_up_on = models.DateField(_("opvolgen op"), null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        indexes = [
            models.Index(fields=["organisation", "status"], name="netwerk_referral_inbox"),
            models.Index(fields=["gemeente", "follow_up_on"], name="netwerk_referral_follow_up"),
            models.Index(fields=["client_file", "-created_at"], name="netwerk_referral_file"),
        ]

    def __str__(self) -> str:
        return f"Verwijzing {self.pk}"


class ReferralStatusChange(InsertOnlyModel):
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="history")
    from_status = models.CharField(max_length=20, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    message = models.TextField(_("toelichting of reden"), blank=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class ReferralConsent(InsertOnlyModel):
    """The client's consent for exactly this referral: its purpose, its recipient and its data set (the sections
    of the file in the package). Insert-only; a withdrawal is its own row and ends the partner's access at once."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="consent")
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("doel"), max_length=300)
    sections = models.JSONField(_("gegevens"), default=list)
    given_by = models.CharField(_("gegeven door"), max_length=200)
    given_on = models.DateField(_("gegeven op"))
    basis = models.CharField(_("hoe gegeven"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Toestemming voor verwijzing {self.referral_id}"


class ReferralConsentWithdrawal(InsertOnlyModel):
    consent = models.OneToOneField(ReferralConsent, on_delete=models.PROTECT, related_name="withdrawal")
    withdrawn_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Ingetrokken op {self.withdrawn_on}"


class HandoverPackage(InsertOnlyModel):
    """The warme-overdracht package: a snapshot of exactly the consented sections, built by the klantregisseur."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="package")
    sections = models.JSONField(default=list)
    content = models.JSONField(default=dict)
    built_at = models.DateTimeField()
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Overdracht bij verwijzing {self.referral_id}"


class PackageReceipt(InsertOnlyModel):
    """The partner user acknowledged the package."""

    package = models.OneToOneField(HandoverPackage, on_delete=models.PROTECT, related_name="receipt")
    acknowledged_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Ontvangst van {self.package_id}"


class ReferralTerm(models.Model):
    """How many days a partner has to answer a sent referral before it escalates, per gemeente."""

    gemeente = models.OneToOneField("accounts.Gemeente", on_delete=models.CASCADE, related_name="referral_term")
    answer_days = models.PositiveSmallIntegerField(default=10)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(answer_days__gte=1, answer_days__lte=90), name="netwerk_term_range")
        ]

    def __str__(self) -> str:
        return f"{self.gemeente}: {self.answer_days} dagen"


class BegeleidingKind(models.TextChoices):
    ACTIVITEIT = "activiteit", _("Activiteit")
    PVT = "pvt", _("Steun bij het participatieverklaringstraject (PVT)")
    PRAKTISCH = "praktisch", _("Praktische hulp")
    CONTACT = "contact", _("Contactmoment")
    SIGNAAL = "signaal", _("Signaal aan de klantregisseur")


class BegeleidingEntry(InsertOnlyModel):
    """One entry of the maatschappelijke begeleiding: an activity, PVT support, practical help, a contact moment
    or a signal to the klantregisseur. Insert-only."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="begeleiding")
    kind = models.CharField(max_length=20, choices=BegeleidingKind.choices)
    on = models.DateField(_("datum"))
    text = models.TextField(_("omschrijving"))
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["client_file", "-on"], name="netwerk_begeleiding_file")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class BuddyKind(models.TextChoices):
    BUDDY = "buddy", _("Buddy")
    TAALMAATJE = "taalmaatje", _("Taalmaatje")


class BuddyMatch(models.Model):
    """A volunteer matched to a client through a partner organisation: name and contact only, no account."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="buddies")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="buddy_matches")
    kind = models.CharField(max_length=20, choices=BuddyKind.choices)
    volunteer_name = models.CharField(_("naam vrijwilliger"), max_length=200)
    volunteer_contact = models.CharField(_("telefoon of e-mail"), max_length=200)
    started_on = models.DateField(_("start"))
    ended_on = models.DateField(_("einde"), null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="netwerk_buddy_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.volunteer_name}"


class ContactRole(models.TextChoices):
    TAALAANBIEDER = "taalaanbieder", _("Taalaanbieder")
    WERKCOACH = "werkcoach", _("Werkcoach")
    SCHULDHULP = "schuldhulp", _("Schuldhulp")
    GGZ = "ggz", _("GGZ")
    SCHOOL = "school", _("School")
    OVERIG = "overig", _("Anders")


class ContactPerson(models.Model):
    """A contact of the client entered by hand for the contact card (werkcoach, school of a child, ...)."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="contacts")
    role = models.CharField(max_length=20, choices=ContactRole.choices)
    about = models.CharField(_("waarvoor"), max_length=200)
    name = models.CharField(_("naam"), max_length=200)
    reach = models.CharField(_("bereikbaar via"), max_length=200)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"
