"""Reads for the retention job: when each file's plicht ended, its retention date (only from
``rules.retention``), whether it is on hold, and which files are due (issue #12 item 5, ADR 0007)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from openinburgering import rules
from openinburgering.clients.choices import CLOSED_STATUSES, FileStatus
from openinburgering.clients.models import ClientFile, StatusChange

from .models import DestructionRecord, LegalHold

# A file's plicht (and with it the gemeente's task for that file) ends with the first change into one of these
# statuses: voldaan, vrijstelling or ontheffing, beëindigd (e.g. left the country, lost the plicht) or verhuisd
# (the plicht goes on, but with another gemeente; B 9.9 lid 1 "niet langer dan noodzakelijk").
PLICHT_ENDING_STATUSES: tuple[str, ...] = (
    FileStatus.VOLDAAN,
    FileStatus.VRIJGESTELD_ONTHEVEN,
    FileStatus.BEEINDIGD,
    FileStatus.VERHUISD,
)


@dataclass(frozen=True, slots=True)
class FileRetention:
    """One file whose plicht ended and that is not destroyed yet."""

    client_file_id: int
    gemeente_id: int
    gemeente_code: str
    status: str
    plicht_ended_on: date
    plicht_ended_status: str
    retain_until_on: date
    on_hold: bool

    @property
    def is_open(self) -> bool:
        """Voldaan and vrijgesteld files stay open for the vervolg; they are never destroyed until closed."""
        return self.status not in CLOSED_STATUSES

    def is_past_retention(self, as_of: date) -> bool:
        """``retain_until_on`` is the last day the data may be kept; the day after, it goes."""
        return as_of > self.retain_until_on

    def is_destroyable(self, as_of: date) -> bool:
        return self.is_past_retention(as_of) and not self.is_open and not self.on_hold


def active_holds() -> QuerySet[LegalHold]:
    """Holds without a release."""
    return LegalHold.objects.filter(release__isnull=True)


def holds_of(client_file: ClientFile) -> QuerySet[LegalHold]:
    """Every hold of a file, newest first, with its release (if any)."""
    return LegalHold.objects.filter(client_file=client_file).select_related("release", "placed_by")


def _ending_changes() -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(client_file=OuterRef("pk"), to_status__in=PLICHT_ENDING_STATUSES).order_by(
        "changed_at", "id"
    )


def ended_files(*, gemeente_id: int | None = None) -> QuerySet[ClientFile]:
    """Files whose status says the plicht ended, not destroyed yet, annotated with the first ending change
    (``ended_at``, ``ended_status``) and ``on_hold``. Ordered by id so the job can page through it."""
    queryset = (
        ClientFile.objects.filter(status__in=PLICHT_ENDING_STATUSES)
        .exclude(Exists(DestructionRecord.objects.filter(client_file=OuterRef("pk"))))
        .annotate(
            ended_at=Subquery(_ending_changes().values("changed_at")[:1]),
            ended_status=Subquery(_ending_changes().values("to_status")[:1]),
            on_hold=Exists(active_holds().filter(client_file=OuterRef("pk"))),
        )
        .select_related("gemeente")
        .order_by("pk")
    )
    if gemeente_id is not None:
        queryset = queryset.filter(gemeente_id=gemeente_id)
    return queryset


def retention_of(client_file: ClientFile) -> FileRetention:
    """The retention row of one file annotated by :func:`ended_files`. The plicht ended on the Amsterdam calendar
    day of the first ending status change (a file without that history: the day its status last changed)."""
    ended_at = getattr(client_file, "ended_at", None) or client_file.status_changed_at
    ended_status = getattr(client_file, "ended_status", None) or client_file.status
    plicht_ended_on = timezone.localdate(ended_at)
    return FileRetention(
        client_file_id=client_file.pk,
        gemeente_id=client_file.gemeente_id,
        gemeente_code=client_file.gemeente.code,
        status=client_file.status,
        plicht_ended_on=plicht_ended_on,
        plicht_ended_status=ended_status,
        retain_until_on=rules.retention(plicht_ended_on=plicht_ended_on).retain_until_on,
        on_hold=bool(getattr(client_file, "on_hold", False)),
    )


def retention_rows(*, gemeente_id: int | None = None, batch_size: int = 500) -> Iterator[FileRetention]:
    """Every ended, not yet destroyed file, in batches of ``batch_size`` (keyset paging on the id, so the job's
    own destructions do not shift the pages)."""
    last_id = 0
    while True:
        batch = list(ended_files(gemeente_id=gemeente_id).filter(pk__gt=last_id)[:batch_size])
        if not batch:
            return
        for client_file in batch:
            yield retention_of(client_file)
        last_id = batch[-1].pk


def active_holds_in(*, gemeente_id: int) -> QuerySet[LegalHold]:
    """The gemeente's holds that still stop a destruction, oldest first, with the file's status."""
    return (
        active_holds()
        .filter(gemeente_id=gemeente_id)
        .select_related("client_file", "placed_by")
        .order_by("placed_at", "pk")
    )
