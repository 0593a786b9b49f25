"""Letters to a client: real PDF documents, generated once and kept as they were sent (insert-only).

A letter is rendered from a Django template to PDF by WeasyPrint (``letters.services.create_letter``) and stored
with its SHA-256, so what the person received can always be shown again exactly. A new letter is a new row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.models import InsertOnlyModel


class LetterKind(models.TextChoices):
    OPROEP = "oproep", _("Oproep brede intake")
    WAARSCHUWING = "waarschuwing", _("Waarschuwing en herhaalde oproep")
    BOETE_NIEUWE_TERMIJN = "boete_nieuwe_termijn", _("Voornemen boete en nieuwe termijn")
    INTAKE_IN_AFWEZIGHEID = "intake_in_afwezigheid", _("Voornemen boete en intake zonder u")
    LBT_UITNODIGING = "lbt_uitnodiging", _("Uitnodiging leerbaarheidstoets")
    PIP_BESCHIKKING = "pip_beschikking", _("Besluit persoonlijk plan (PIP)")
    BOETE_W23 = "boete_w23", _("Besluit boete PIP (artikel 23)")
    ONTZORGEN_EINDE = "ontzorgen_einde", _("Einde ontzorgen: u betaalt uw vaste lasten zelf")


class Letter(InsertOnlyModel):
    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=40, choices=LetterKind.choices)
    title = models.CharField(max_length=200)
    recipient_name = models.CharField(max_length=300)
    # The person's language, noted on the letter and in the file (the letter itself is in plain Dutch).
    language_note = models.CharField(max_length=200, blank=True)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    # What the letter is about (an oproep, a PIP version), as type and id: the letter app depends on no other.
    subject_type = models.CharField(max_length=50, blank=True)
    subject_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
        indexes = [
            models.Index(fields=["client_file", "-created_at"], name="letter_recent"),
            models.Index(fields=["subject_type", "subject_id"], name="letter_subject"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.pk}.pdf"


class LetterSettings(models.Model):
    """Per gemeente: how a person reaches the team and where a bezwaar goes, and the account a boete is paid to.

    Printed on every letter (issue #11 item 7); edited by the functioneel beheerder at /instellingen/brieven/.
    Every field may be empty: the letter then prints a plain fallback instead of a blank."""

    gemeente = models.OneToOneField("accounts.Gemeente", on_delete=models.PROTECT, related_name="letter_settings")
    team_name = models.CharField(_("naam van het team"), max_length=100, blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"), max_length=200, blank=True)
    contact_hours = models.CharField(_("bereikbaar"), max_length=200, blank=True)
    postal_address = models.TextField(_("postadres"), max_length=300, blank=True)
    visiting_address = models.TextField(_("bezoekadres"), max_length=300, blank=True)
    bezwaar_address = models.TextField(_("adres voor bezwaar"), max_length=400, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    iban_name = models.CharField(_("ten name van"), max_length=100, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("gegevens op brieven")
        verbose_name_plural = _("gegevens op brieven")

    def __str__(self) -> str:
        return f"Gegevens op brieven van {self.gemeente_id}"


class Channel(models.TextChoices):
    """How a letter reaches the person (#17 item 6)."""

    POST = "post", _("Per post (printbatch voor de print- en verzendstraat)")
    PORTAAL = "portaal", _("In Mijn Inburgering, met een e-mail dat er een brief klaarstaat")
    DIGITAAL = "digitaal", _("Digitaal (Berichtenbox-kanaal van de gemeente)")


class PrintBatch(InsertOnlyModel):
    """Letters handed to the print-and-mail service together: the export (PDFs and an address list) is made once
    and can be downloaded again. ``sent_on`` is the day the batch goes to the post (the send date of each letter)."""

    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("printbatch")
        verbose_name_plural = _("printbatches")

    def __str__(self) -> str:
        return f"Printbatch {self.pk} ({self.sent_on})"


class LetterDispatch(InsertOnlyModel):
    """That a letter was sent: the channel and the send date, recorded once (insert-only). Legal terms that run from
    sending (bezwaar, Awb 6:8 with 3:41) start from ``sent_on``; the rules compute them."""

    letter = models.OneToOneField(Letter, on_delete=models.PROTECT, related_name="dispatch")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sent_on = models.DateField()
    batch = models.ForeignKey(PrintBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="dispatches")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("verzending van een brief")
        verbose_name_plural = _("verzendingen van brieven")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=["post", "portaal", "digitaal"]), name="letter_dispatch_channel"
            ),
            models.CheckConstraint(
                condition=models.Q(batch__isnull=True) | models.Q(channel="post"), name="letter_dispatch_batch_post"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} {self.channel} {self.sent_on}"
