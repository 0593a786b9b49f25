"""Zorg en netwerk's daily job (#14 item 2): sent referrals that the partner did not answer within the gemeente's
term (``ReferralTerm``, default 10 days) escalate once and go on the klantregisseur's worklist
(``services.escalate_unanswered``, idempotent). Listed in core.schedule.DAILY_JOBS."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from openinburgering.core.jobs import JobProgress, run_job, start_job
from openinburgering.core.models import JobRun
from openinburgering.core.schedule import daily_key

from . import services

KIND_ESCALATE = "netwerk_escalate"


@task()
def escalate_referrals(job_id: int) -> str:
    return run_job(job_id, task=escalate_referrals, body=_escalate)


def _escalate(job: JobProgress) -> str:
    count = services.escalate_unanswered()
    return f"{count} verwijzing(en) zonder antwoord binnen de termijn geëscaleerd."


def start_daily_escalation(*, as_of: date) -> list[JobRun]:
    return [
        start_job(
            task=escalate_referrals, kind=KIND_ESCALATE, label="Verwijzingen zonder antwoord escaleren",
            key=daily_key(KIND_ESCALATE, as_of),
        )
    ]  # fmt: skip
