"""The client portal (#15): the client's account, messages, reschedule requests, tasks, uploads and the gemeente's
choice of which parts are on. A portal client is a Django user WITHOUT any Membership: no staff capability can ever
apply to it (accounts.actor.resolve_actor finds no membership), and PortalMiddleware keeps it inside /mijn/."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .languages import DEFAULT_LANGUAGE, PORTAL_LANGUAGES


def _upload_storage() -> FileSystemStorage:
    """Uploads outside the web root (settings.PORTAL_UPLOAD_ROOT, no URL); read only through mijn.access."""
    return FileSystemStorage(location=settings.PORTAL_UPLOAD_ROOT, base_url=None)


class PortalAccount(models.Model):
    """A client who logged in with DigiD: the user ↔ BSN link and the chosen language."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_account")
    bsn = models.CharField(max_length=9, unique=True)
    language = models.CharField(max_length=5, choices=PORTAL_LANGUAGES, default=DEFAULT_LANGUAGE)
    created_at = models.DateTimeField()
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "portaalaccount"
        constraints = [models.CheckConstraint(condition=Q(bsn__regex=r"^[0-9]{9}$"), name="portal_account_bsn")]

    def __str__(self) -> str:
        return f"Portaalaccount {self.pk}"


class Direction(models.TextChoices):
    FROM_CLIENT = "from_client", "Van de inburgeraar"
    TO_CLIENT = "to_client", "Van de gemeente"


class PortalMessage(models.Model):
    """A message between the client and the klantregisseur. The content stays in the portal: a notification by
    e-mail says only that there is a message. ``read_at`` is the read receipt (set once, by the other side)."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="portal_messages")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    body = models.TextField()
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies")

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["client_file", "sent_at"], name="portal_message_file")]

    def __str__(self) -> str:
        return f"Bericht {self.pk}"


class AppointmentKind(models.TextChoices):
    OPROEP = "oproep", "Oproep"
    VOORTGANG = "voortgang", "Voortgangsgesprek"


class RescheduleStatus(models.TextChoices):
    OPEN = "open", "Open"
    HANDLED = "handled", "Afgehandeld"


class RescheduleRequest(models.Model):
    """The client asks to move an appointment: a task on the klantregisseur's worklist."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="reschedule_requests")
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    appointment_id = models.PositiveBigIntegerField()
    reason = models.TextField()
    status = models.CharField(max_length=20, choices=RescheduleStatus.choices, default=RescheduleStatus.OPEN)
    requested_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["client_file", "status"], name="portal_reschedule_open")]

    def __str__(self) -> str:
        return f"Verzoek {self.pk}"


class TaskKind(models.TextChoices):
    BRING_DOCUMENTS = "bring_documents", _("Documenten meenemen")
    SIGN_PVT = "sign_pvt", _("De participatieverklaring tekenen")
    UPLOAD_DIPLOMA = "upload_diploma", _("Een diploma uploaden")
    UPLOAD_MEDICAL = "upload_medical", _("Een medische verklaring uploaden")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Nog te doen")
    DONE = "done", _("Klaar")


class ClientTask(models.Model):
    """Something the client has to do, with its status. An upload of the right kind completes an upload task."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="portal_tasks")
    kind = models.CharField(max_length=30, choices=TaskKind.choices)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due_on", "id"]

    def __str__(self) -> str:
        return f"Taak {self.pk}"


class UploadKind(models.TextChoices):
    DIPLOMA = "diploma", _("Diploma")
    MEDICAL = "medical", _("Medische verklaring")


class PortalUpload(models.Model):
    """A document the client uploaded; the file is stored outside the web root and served only after the access
    check. ``seen_at`` is when the klantregisseur first opened it (it leaves the worklist then)."""

    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="portal_uploads")
    kind = models.CharField(max_length=20, choices=UploadKind.choices)
    file = models.FileField(storage=_upload_storage, upload_to="uploads/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"Upload {self.pk}"


class PortalSettings(models.Model):
    """Which parts of the portal are on for a gemeente (set by the functioneel beheerder, MANAGE_PORTAL). Without a
    row every part is on and staff names are hidden."""

    gemeente = models.OneToOneField("accounts.Gemeente", on_delete=models.PROTECT, related_name="portal_settings")
    plan_on = models.BooleanField("Mijn plan", default=True)
    appointments_on = models.BooleanField("Afspraken en taken", default=True)
    documents_on = models.BooleanField("Documenten", default=True)
    messages_on = models.BooleanField("Berichten", default=True)
    access_log_on = models.BooleanField("Wie heeft mijn dossier bekeken", default=True)
    show_staff_names = models.BooleanField("Namen van medewerkers tonen bij 'wie heeft bekeken'", default=False)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "portaalinstellingen"

    def __str__(self) -> str:
        return f"Portaal {self.gemeente_id}"
