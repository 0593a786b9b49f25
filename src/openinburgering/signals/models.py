"""Received signal messages (DUO events, COA koppelingen) and the signals they raise on a client file.

``SignalMessage`` is insert-only: every message is one row, written once, with the payload as received, the
result and its Dutch reason. A correction or retraction is a new row pointing at the old one
(``correction_of`` / ``retraction_of``); the old row never changes. The one exception is erasure: a quarantined
message's payload is replaced by its SHA-256 hash when it is purged (privacy beats append-only), through
:meth:`SignalMessageQuerySet.purge_payloads` only.

``FileSignal`` is a flag on a client file that a person should look at (a mismatch between DUO and the rules, a
DUO fact such as a leerbaarheidstoets result, a COA warme overdracht). It is resolved, not deleted.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import FileSignalKind, MessageStatus, Source


class SignalMessageQuerySet(models.QuerySet["SignalMessage"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("Signal messages are insert-only; use purge_payloads() to erase a payload.")

    def delete(self) -> NoReturn:
        raise TypeError("Signal messages are insert-only.")

    def purge_payloads(self, *, purged_at: Any) -> int:
        """Erase the payload of quarantined messages (keeps type, times, hash and reason). Returns the count."""
        queryset = self.filter(status=MessageStatus.QUARANTINED)
        return models.QuerySet.update(queryset, payload={}, status=MessageStatus.PURGED, purged_at=purged_at)


class SignalMessage(models.Model):
    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    message_type = models.CharField(
        _("soort bericht"), max_length=20, blank=True, help_text=_("DUO-gebeurteniscode (SS101) of COA-soort.")
    )
    external_id = models.CharField(_("bericht-ID"), max_length=64)
    registered_at = models.DateTimeField(_("geregistreerd bij de bron"), null=True, blank=True)
    received_at = models.DateTimeField(_("ontvangen"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=10, default="ui")
    payload = models.JSONField(default=dict, blank=True)
    payload_sha256 = models.CharField(max_length=64)
    client_file = models.ForeignKey(
        "clients.ClientFile", null=True, blank=True, on_delete=models.PROTECT, related_name="signal_messages"
    )
    status = models.CharField(max_length=20, choices=MessageStatus.choices)
    reason = models.TextField(_("resultaat"), blank=True)
    result = models.JSONField(default=dict, blank=True)
    correction_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    retraction_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="retractions"
    )
    purged_at = models.DateTimeField(null=True, blank=True)

    objects = SignalMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("signaalbericht")
        verbose_name_plural = _("signaalberichten")
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "source", "external_id"], name="signal_message_unique_per_gemeente"
            ),
            models.CheckConstraint(
                condition=Q(correction_of__isnull=True) | Q(retraction_of__isnull=True),
                name="signal_message_correction_or_retraction",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[MessageStatus.QUARANTINED, MessageStatus.PURGED, MessageStatus.REJECTED])
                | Q(client_file__isnull=True),
                name="signal_message_unlinked_unless_applied",
            ),
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.PURGED) | (Q(payload={}) & Q(purged_at__isnull=False)),
                name="signal_message_purged_has_no_payload",
            ),
        ]
        indexes = [
            models.Index(fields=["gemeente", "-received_at"], name="signal_inbox"),
            models.Index(fields=["gemeente", "status", "-received_at"], name="signal_inbox_status"),
        ]

    def __str__(self) -> str:
        return f"Signaal {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("Signal messages are insert-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Signal messages are insert-only.")


class FileSignal(models.Model):
    """Something on a client file a klantregisseur should see: open until resolved."""

    gemeente = models.ForeignKey("accounts.Gemeente", on_delete=models.PROTECT, related_name="+")
    client_file = models.ForeignKey("clients.ClientFile", on_delete=models.PROTECT, related_name="file_signals")
    message = models.ForeignKey(
        SignalMessage, null=True, blank=True, on_delete=models.PROTECT, related_name="file_signals"
    )
    kind = models.CharField(max_length=30, choices=FileSignalKind.choices)
    summary = models.TextField(_("samenvatting"))
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dossiersignaal")
        verbose_name_plural = _("dossiersignalen")
        indexes = [
            models.Index(fields=["gemeente", "resolved_at", "-created_at"], name="file_signal_open"),
            models.Index(fields=["client_file", "-created_at"], name="file_signal_per_file"),
        ]

    def __str__(self) -> str:
        return f"Dossiersignaal {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
