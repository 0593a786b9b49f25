"""The insert-only audit log. Rows are never updated or deleted: the model refuses it, and on PostgreSQL a
trigger refuses it in the database too (migration 0002).

On PostgreSQL the table is partitioned by month on ``occurred_at`` (migration 0005, `audit.partitions`): the
database's primary key is ``(id, occurred_at)``, because PostgreSQL wants the partition key in every unique
constraint; Django keeps ``id`` as the model's primary key. ``id`` comes from one identity sequence, and the seal's
unique ``event_id`` (one seal per event, written at commit) refuses a second event with the same id."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .chain import content_hash_of


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEvent]:
        """Bulk inserts carry their content hash too (the chain needs it for every event)."""
        objs = list(objs)
        for event in objs:
            event.content_hash = content_hash_of(event)
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("Audit events are insert-only.")

    def delete(self) -> NoReturn:
        raise TypeError("Audit events are insert-only.")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(max_length=40, blank=True)
    gemeente = models.ForeignKey("accounts.Gemeente", null=True, on_delete=models.PROTECT, related_name="+")
    client_file = models.ForeignKey("clients.ClientFile", null=True, on_delete=models.PROTECT, related_name="+")
    event_type = models.CharField(max_length=50)
    subject_type = models.CharField(max_length=50, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=100)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    via = models.CharField(max_length=10, default="ui")  # ui, api, command, job
    content_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 over the content (audit.chain).")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("auditgebeurtenis")
        indexes = [
            models.Index(fields=["client_file", "-occurred_at"], name="audit_client_recent"),
            models.Index(fields=["gemeente", "-occurred_at"], name="audit_gemeente_recent"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Audit events are insert-only.")
        self.content_hash = content_hash_of(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Audit events are insert-only.")


class AuditSeal(models.Model):
    """One link of the hash chain of a gemeente (``chain`` is its CBS code, ``-`` for events without one).

    Written only by the database (the triggers of migration ``audit.0003``) when the event's transaction commits;
    insert-only like the events. ``chain_hash`` = SHA-256(``prev_hash`` + the event's ``content_hash``)."""

    chain = models.CharField(max_length=6)
    seq = models.PositiveBigIntegerField()
    # No foreign key in the database (migration 0005): a key to a partitioned table must include the partition key,
    # and it would stop old partitions from being detached for the archive. The seal is written by the trigger
    # with the event's own id, events are never deleted (insert-only), and verify_chains() reports a seal whose
    # event is missing and not archived.
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal", db_constraint=False)
    prev_hash = models.CharField(max_length=64)
    chain_hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("schakel van de auditketen")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_seal_chain_seq")]

    def __str__(self) -> str:
        return f"{self.chain} #{self.seq}"


class AuditArchiveQuerySet(models.QuerySet["AuditArchive"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("Audit archive records are insert-only.")

    def delete(self) -> NoReturn:
        raise TypeError("Audit archive records are insert-only.")


class AuditArchive(models.Model):
    """One monthly partition of the audit table that was detached, exported to the archive and dropped from the
    database (``archive_audit``, `audit.archive`). Insert-only. ``verify_chains()`` uses it: a seal whose event
    is gone is an archived event when its id lies in an archive's id range, and the number of such seals must
    equal the archived events in total."""

    partition = models.CharField(max_length=63, unique=True)
    range_start = models.DateTimeField()
    range_end = models.DateTimeField()
    event_count = models.PositiveBigIntegerField()
    first_event_id = models.BigIntegerField(null=True)
    last_event_id = models.BigIntegerField(null=True)
    folder = models.CharField(max_length=500, help_text="Where the export was written (on the archiving machine).")
    manifest_sha256 = models.CharField(max_length=64)
    archived_at = models.DateTimeField()
    database_user = models.CharField(max_length=63)

    objects = AuditArchiveQuerySet.as_manager()

    class Meta:
        ordering = ["range_start"]
        verbose_name = _("gearchiveerde auditmaand")

    def __str__(self) -> str:
        return self.partition

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Audit archive records are insert-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Audit archive records are insert-only.")
