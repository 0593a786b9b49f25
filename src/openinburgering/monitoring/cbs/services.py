"""Making, keeping and handing out the CBS file (#16 item 5).

- :func:`request_delivery` (a person, UI or API) starts the background job for one completed quarter;
- :func:`generate_delivery` (the job's body) reads the sources as of the end of the quarter, writes the records
  with ``mapping``, adds the corrections of earlier quarters, validates the XML against the schema and stores it
  as a new version (the earlier versions stay);
- :func:`record_download` hands a stored file out and audits it.

Corrections: every stored file remembers a digest per record and quarter. A new file compares the records of the
four quarters before its own, computed again from today's data as of the end of each quarter, with what the files
so far said about them; a record that changed (a late entry, a fixed missing value) or that is new (a client who was
left out because a BSN or doelgroep was missing) goes into ``<correcties>`` with its ``verslagperiode``. A new
version of a quarter that was made before replaces it in full (``soortLevering`` vervangend) and points at it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Max, Q
from django.utils import timezone

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Gemeente
from openinburgering.accounts.roles import Capability
from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.core.jobs import start_job
from openinburgering.core.models import FINISHED, JobRun
from openinburgering.rules.retention import cbs_delivery_retention

from . import document, mapping
from .models import CbsDelivery, CbsDeliveryDownload
from .sources import Source, sources_by_period

PURPOSE = "statistiek (CBS, Wet inburgering 2021 art. 39)"
KIND = "cbs_delivery"
CORRECTION_QUARTERS = 4


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_completed(cls, today: date) -> Quarter:
        return cls.of(today).previous()

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)

    @property
    def label(self) -> str:
        return mapping.period_label(self.year, self.quarter)

    @property
    def title(self) -> str:
        return f"{self.quarter}e kwartaal {self.year}"

    @property
    def period(self) -> rules.CbsLevering:
        return rules.cbs_levering(year=self.year, quarter=self.quarter)


def check_quarter(quarter: Quarter, *, today: date) -> None:
    """Only a quarter of the Wi2021 that has ended can be delivered (Dutch error otherwise)."""
    try:
        period = quarter.period
    except rules.RuleInputError:
        raise ApplicationError(
            "Kies een kwartaal vanaf 2022: de Wet inburgering 2021 geldt vanaf 1 januari 2022."
        ) from None
    if period.period_end_on >= today:
        raise ApplicationError("Dit kwartaal is nog niet voorbij. U maakt het bestand na de laatste dag.")


def running_job(gemeente_id: int, quarter: Quarter) -> JobRun | None:
    """The job that is already making this quarter's file, if any (a second request returns it)."""
    return (
        JobRun.objects.filter(kind=KIND, gemeente_id=gemeente_id, payload__year=quarter.year,
                              payload__quarter=quarter.quarter)
        .exclude(status__in=FINISHED).order_by("-created_at").first()
    )  # fmt: skip


@transaction.atomic
def request_delivery(*, actor: Actor, quarter: Quarter, today: date, via: str = "ui") -> JobRun:
    """Starts the job that makes and validates the file for ``quarter`` (idempotent while one is under way)."""
    from .tasks import make_cbs_delivery  # the task module imports this one

    check_quarter(quarter, today=today)
    existing = running_job(actor.gemeente_id, quarter)
    if existing is not None:
        return existing
    run = start_job(
        task=make_cbs_delivery, kind=KIND, label=f"CBS-bestand {quarter.title} maken en controleren",
        actor=actor, payload={"year": quarter.year, "quarter": quarter.quarter}, max_attempts=2,
    )  # fmt: skip
    record_event(
        actor=actor, event_type="cbs_delivery_requested", purpose=PURPOSE, subject=run,
        changes={"period": quarter.label}, via=via,
    )  # fmt: skip
    return run


def _digest(nodes: list[mapping.Node]) -> str:
    return hashlib.sha256(json.dumps(nodes, separators=(",", ":")).encode()).hexdigest()


def _records(sources: list[Source], quarter: Quarter) -> tuple[dict[int, list[mapping.Node]], int, int]:
    """The quarter's deliverable records by file id, how many of them are incomplete, how many are left out."""
    period = quarter.period
    start, end = period.period_start_on, period.period_end_on
    records: dict[int, list[mapping.Node]] = {}
    incomplete = left_out = 0
    for source in sources:
        gaps = mapping.missing(source)
        if not mapping.is_deliverable(gaps):
            left_out += 1
            continue
        incomplete += bool(gaps)
        records[source.client_file_id] = mapping.record(source, start=start, end=end)
    return records, incomplete, left_out


def _delivered_digests(gemeente_id: int) -> dict[str, dict[str, str]]:
    """Per quarter label and file id, what the stored files said last (later files override earlier ones)."""
    said: dict[str, dict[str, str]] = {}
    for digests in (CbsDelivery.objects.filter(gemeente_id=gemeente_id).order_by("created_at", "id")
                    .values_list("digests", flat=True)):  # fmt: skip
        for label, per_file in digests.items():
            said.setdefault(label, {}).update(per_file)
    return said


def generate_delivery(*, run: JobRun, quarter: Quarter) -> CbsDelivery:
    """The job's work: one new, validated version of the quarter's file, stored with its digests."""
    gemeente = run.gemeente
    if gemeente is None or run.started_by is None:  # pragma: no cover - request_delivery always sets both
        raise ApplicationError("De taak weet niet voor welke gemeente of wie het bestand is.")
    with transaction.atomic():
        Gemeente.objects.select_for_update().filter(pk=gemeente.pk).first()  # one file at a time per gemeente
        said = _delivered_digests(gemeente.pk)
        earlier: list[Quarter] = []  # the quarters before this one that were delivered: their corrections
        previous_quarter = quarter
        for _ in range(CORRECTION_QUARTERS):
            previous_quarter = previous_quarter.previous()
            if previous_quarter.label in said:
                earlier.append(previous_quarter)
        quarters = [quarter, *earlier]
        read = sources_by_period(gemeente.pk, [(q.period.period_start_on, q.period.period_end_on) for q in quarters])
        records, incomplete, left_out = _records(read[0], quarter)
        digests: dict[str, dict[str, str]] = {quarter.label: {str(pk): _digest(n) for pk, n in records.items()}}
        corrections: list[tuple[str, list[mapping.Node]]] = []
        for before, sources in zip(earlier, read[1:], strict=True):
            old, _incomplete, _left_out = _records(sources, before)
            for pk, nodes in old.items():
                digest = _digest(nodes)
                if said[before.label].get(str(pk)) != digest:
                    corrections.append((before.label, nodes))
                    digests.setdefault(before.label, {})[str(pk)] = digest
        previous = (CbsDelivery.objects.filter(gemeente=gemeente, year=quarter.year, quarter=quarter.quarter)
                    .order_by("-version").first())  # fmt: skip
        version = 1 if previous is None else previous.version + 1
        now = timezone.now()
        period = quarter.period
        header = mapping.header(mapping.Header(
            gemeente_code=gemeente.code, year=quarter.year, quarter=quarter.quarter, start=period.period_start_on,
            end=period.period_end_on, deliver_by=period.deliver_by_on, version=version,
            replaces_version=None if previous is None else previous.version, created_at=timezone.localtime(now),
            records=len(records), corrections=len(corrections), incomplete=incomplete,
        ))  # fmt: skip
        content = document.build(header=header, records=records.values(), corrections=corrections)
        delivery = CbsDelivery.objects.create(
            gemeente=gemeente, year=quarter.year, quarter=quarter.quarter, version=version, replaces=previous,
            schema_version=mapping.SCHEMA_VERSION, content=content, sha256=hashlib.sha256(content).hexdigest(),
            record_count=len(records), correction_count=len(corrections), incomplete_count=incomplete,
            left_out_count=left_out, digests=digests, job=run, created_at=now, created_by=run.started_by,
        )  # fmt: skip
        record_event(
            actor_user=run.started_by, gemeente=gemeente, event_type="cbs_delivery_generated", purpose=PURPOSE,
            subject=delivery, via="job",
            changes={"period": quarter.label, "version": version, "records": len(records),
                     "corrections": len(corrections), "left_out": left_out},
        )  # fmt: skip
    return delivery


def deliveries_of(gemeente_id: int) -> list[CbsDelivery]:
    """Every stored file of the gemeente, newest quarter first, without the content (one query); ``destroyed``:
    the retention job emptied it."""
    return list(
        CbsDelivery.objects.filter(gemeente_id=gemeente_id).defer("content", "digests")
        .select_related("created_by").annotate(last_download=Max("downloads__downloaded_at"),
                                               destroyed=ExpressionWrapper(Q(content=b""), BooleanField()))
    )  # fmt: skip


def access_delivery(actor: Actor, delivery_id: int) -> CbsDelivery:
    """The only door to a stored file: DELIVER_STATISTICS in the file's gemeente; otherwise 404."""
    if not actor.can(Capability.DELIVER_STATISTICS):
        raise NotFound()
    delivery = (
        CbsDelivery.objects.filter(pk=delivery_id, gemeente_id=actor.gemeente_id).select_related("gemeente").first()
    )
    if delivery is None:
        raise NotFound()
    return delivery


@transaction.atomic
def record_download(*, actor: Actor, delivery: CbsDelivery, via: str = "ui") -> CbsDelivery:
    """Hands the stored (validated) file out: a download row and an audit event, in one transaction. A file the
    retention job emptied is a Conflict (409) in Dutch, and nothing is written."""
    if delivery.is_destroyed:
        kept_until = cbs_delivery_retention(year=delivery.year, quarter=delivery.quarter)
        raise Conflict(
            f"Dit CBS-bestand is vernietigd: de bewaartermijn liep tot en met {kept_until:%d-%m-%Y} (twee jaar na "
            "het kwartaal). Wat er in stond, kunt u niet meer downloaden. Het controlegetal (SHA-256) staat nog op "
            "de pagina van de CBS-levering."
        )
    CbsDeliveryDownload.objects.create(delivery=delivery, downloaded_at=timezone.now(), downloaded_by=actor.user,
                                       via=via)  # fmt: skip
    record_event(
        actor=actor, event_type="cbs_delivery_downloaded", purpose=PURPOSE, subject=delivery, via=via,
        changes={"period": mapping.period_label(delivery.year, delivery.quarter), "version": delivery.version,
                 "records": delivery.record_count, "corrections": delivery.correction_count,
                 "sha256": delivery.sha256},
    )  # fmt: skip
    return delivery
