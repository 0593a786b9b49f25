"""Background job: importing a large file of DUO events or COA koppelingen (ADR 0009).

The upload page (`views.upload`) handles a small file in the request, as before; a file with more than
`SYNC_LIMIT` messages becomes a job so the request returns at once and the jobs page shows its progress. The
messages wait in the JobRun's payload and are removed from it when the import is done. Thin: the work is
`services.import_duo_events` / `import_coa_koppelingen`, idempotent per message (a message seen before is reported
as a duplicate and changes nothing); the job also keeps its position, so a retry continues after the last chunk."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Membership
from openinburgering.core.jobs import JobProgress, run_job, start_job
from openinburgering.core.models import JobRun

from . import services
from .choices import ResultCode

KIND_IMPORT = "import_signals"
#: Files with more messages than this are imported as a background job.
SYNC_LIMIT = 100
CHUNK = 25
#: At most this many per-message lines (not applied) are kept to show on the jobs page.
MAX_LINES = 200
LABELS = {"duo": "Gebeurtenissen van DUO inlezen", "coa": "Koppelingen van COA inlezen"}


class ImportActorGone(Exception):
    """The person who started the import no longer works for this gemeente in an active role."""


@task()
def import_signals_job(job_id: int) -> str:
    return run_job(job_id, task=import_signals_job, body=_import)


def start_import(*, actor: Actor, kind: str, events: list[Any]) -> JobRun:
    """Queue the import of ``events`` (kind ``duo`` or ``coa``) as the actor; call inside the request's transaction."""
    return start_job(
        task=import_signals_job,
        kind=KIND_IMPORT,
        label=f"{LABELS[kind]} ({len(events)} berichten)",
        actor=actor,
        payload={"kind": kind, "events": events},
        total=len(events),
    )


def _actor_of(run: JobRun) -> Actor:
    if run.membership_id is None:
        raise ImportActorGone("De medewerker die het bestand aanbood, heeft geen actieve rol meer.")
    membership = (
        Membership.objects.select_related("user", "gemeente", "role", "team")
        .filter(pk=run.membership_id, is_active=True, user__is_active=True)
        .first()
    )
    if membership is None:
        raise ImportActorGone("De medewerker die het bestand aanbood, heeft geen actieve rol meer.")
    return Actor(user=membership.user, membership=membership)


def _import(job: JobProgress) -> str:
    run = job.run
    actor = _actor_of(run)
    kind = str(run.payload.get("kind", "duo"))
    events: list[Any] = list(run.payload.get("events", []))
    state: dict[str, Any] = dict(run.result or {})
    counts: dict[str, int] = dict(state.get("counts", {}))
    lines: list[dict[str, Any]] = list(state.get("lines", []))
    position = int(state.get("next", 0))
    while position < len(events):
        chunk = events[position : position + CHUNK]
        if kind == "duo":
            report = services.import_duo_events(actor=actor, events=chunk, via="job")
        else:
            report = services.import_coa_koppelingen(actor=actor, koppelingen=chunk, via="job")
        for result in report.results:
            counts[str(result.result)] = counts.get(str(result.result), 0) + 1
            if str(result.result) != "applied" and len(lines) < MAX_LINES:
                lines.append({"number": position + result.index + 1, "external_id": result.external_id,
                              "result": str(ResultCode(result.result).label), "reason": result.reason})  # fmt: skip
        position += len(chunk)
        state = {"counts": counts, "lines": lines, "next": position}
        JobRun.objects.filter(pk=run.pk).update(result=state)
        job.progress(position, total=len(events))
    run.result = state
    summary = ", ".join(f"{ResultCode(code).label.lower()} {counts[code]}" for code in ResultCode if counts.get(code))
    return f"{len(events)} berichten verwerkt: {summary}."
