"""`JobRun`: one row per unit of background work that a person (or the schedule) cares about (ADR 0009).

The queue itself is django-tasks-db's `DBTaskResult` (one row per attempt). A JobRun is the lasting record on top:
what was asked, for which gemeente, by whom, how far it got (`done` of `total`), how many attempts, the Dutch
outcome and the last error. `key` makes starting a job idempotent (a daily job has ``daily:<kind>:<date>``).
See `openinburgering.core.jobs` for the helpers that write it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    RETRYING = "retrying", _("Mislukt, wordt opnieuw geprobeerd")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class JobRun(models.Model):
    kind = models.CharField(max_length=60, help_text="What the job does, e.g. refresh_deadlines.")
    label = models.CharField(max_length=200, help_text="Dutch title shown on the jobs page.")
    key = models.CharField(max_length=150, unique=True, null=True, blank=True, help_text="Idempotency key.")
    gemeente = models.ForeignKey("accounts.Gemeente", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    total = models.PositiveIntegerField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True, help_text="Dutch outcome, without personal data.")
    last_error = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True, help_text="Input of the job; emptied when it finishes.")
    result = models.JSONField(default=dict, blank=True, help_text="Counts of the outcome.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    task_result_id = models.UUIDField(null=True, blank=True, help_text="The latest DBTaskResult of this run.")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("achtergrondtaak")
        indexes = [models.Index(fields=["gemeente", "-created_at"], name="core_jobrun_gemeente_recent")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == JobStatus.DONE else None
        return min(100, round(100 * self.done / self.total))
