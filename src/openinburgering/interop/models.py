"""The outbox: every call to another system (ZGW, Notificaties, Open Klant, DUO, ...) is first a row here, written in
the same transaction as the change that causes it, then sent by a background job (see ``outbox.py``)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Wacht op verzenden")
    SENDING = "sending", _("Wordt verzonden")
    SENT = "sent", _("Verzonden")
    FAILED = "failed", _("Mislukt, handmatig opnieuw proberen")


class OutboxMessage(models.Model):
    """One outgoing message. ``key`` is the idempotency key (unique): enqueueing the same key twice gives the same
    message. ``progress`` holds what the receiver already confirmed (for example the URL of the Zaak it created), so
    a retry after a crash continues where the last attempt stopped instead of creating things twice."""

    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="outbox_messages")
    client_file = models.ForeignKey(
        "clients.ClientFile", on_delete=models.CASCADE, null=True, blank=True, related_name="outbox_messages"
    )
    kind = models.CharField(max_length=60)
    key = models.CharField(max_length=200, unique=True)
    payload = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)
    progress = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="interop_outbox_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in OutboxState]), name="interop_outbox_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state="sent", sent_at__isnull=False) | ~Q(state="sent"), name="interop_outbox_sent_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.state})"


class System(models.TextChoices):
    """The other systems a gemeente can connect, each through one zgw-consumers Service."""

    BRP = "brp", _("BRP (Haal Centraal BRP Personen bevragen 2)")
    ZAKEN = "zaken", _("Zaaksysteem: Zaken API")
    DOCUMENTEN = "documenten", _("Documentregistratie: Documenten API")
    BESLUITEN = "besluiten", _("Besluitregistratie: Besluiten API")
    DUO = "duo", _("DUO: M2M gegevensuitwisseling inburgering (Digikoppeling REST, PKIoverheid)")
    KLANTINTERACTIES = "klantinteracties", _("Contactregistratie: Klantinteracties API (Open Klant 2)")
    CONTACTGEGEVENS = "contactgegevens", _("Contactregistratie: Contactgegevens API (Open Klant 2)")
    NOTIFICATIES = "notificaties", _("Notificatierouteringcomponent: Notificaties API")
    DIGITALE_POST = "digitale_post", _("Digitale post (Berichtenbox-kanaal van de gemeente)")


class GemeenteConnection(models.Model):
    """One gemeente's connection to one other system: the endpoint and credentials live in the zgw-consumers
    ``Service`` (database, never in the repository); ``options`` holds what the exchange needs besides (for the BRP
    the doelbinding and verwerking sent with each request, for ZGW the zaaktype and the types of status, besluit and
    document)."""

    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="connections")
    system = models.CharField(max_length=20, choices=System.choices)
    service = models.OneToOneField("zgw_consumers.Service", on_delete=models.PROTECT, related_name="+")
    options = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["gemeente", "system"]
        constraints = [
            models.UniqueConstraint(fields=["gemeente", "system"], name="interop_one_connection_per_system"),
            models.CheckConstraint(
                condition=Q(system__in=[s.value for s in System]), name="interop_connection_system_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gemeente_id} {self.system}"

    def option(self, name: str) -> str:
        return str(self.options.get(name) or "")


class ReceivedNotification(models.Model):
    """A notification another system sent to our webhook (``/api/v1/notificaties/<gemeente>``), after its
    authorisation was checked. Insert-only (a database trigger refuses changes): it is the record of what came in.
    ``client_file`` is set when the notification is about a Zaak this application published for a file."""

    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    client_file = models.ForeignKey(
        "clients.ClientFile", on_delete=models.PROTECT, null=True, blank=True, related_name="received_notifications"
    )
    kanaal = models.CharField(max_length=50)
    resource = models.CharField(max_length=100)
    actie = models.CharField(max_length=100)
    hoofd_object = models.URLField(max_length=1000)
    resource_url = models.URLField(max_length=1000)
    kenmerken = models.JSONField(default=dict, blank=True)
    aanmaakdatum = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["gemeente", "-received_at"], name="interop_notif_recent")]

    def __str__(self) -> str:
        return f"{self.kanaal} {self.resource} {self.actie}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("ReceivedNotification rows are insert-only.")
        super().save(*args, **kwargs)
