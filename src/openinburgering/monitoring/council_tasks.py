"""Background job: make the council report's PDF (ADR 0009). Thin: the work is ``council_services.generate``,
idempotent (a ready report is not written again; a second run only checks the PDF against the stored one)."""

from __future__ import annotations

from django_tasks import task

from openinburgering.core.jobs import JobProgress, run_job

from .council_services import generate

KIND = "council_report"


@task()
def generate_council_report_job(job_id: int) -> str:
    return run_job(job_id, task=generate_council_report_job, body=_generate)


def _generate(job: JobProgress) -> str:
    message, result = generate(int(job.run.payload["report_id"]))
    job.run.result = result
    return message
