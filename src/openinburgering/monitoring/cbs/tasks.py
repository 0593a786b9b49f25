"""Background job: make and validate the CBS file of one quarter (ADR 0009). Thin: the work is
``services.generate_delivery``; a retry after a failed attempt makes the file again from the start (nothing of a
failed attempt was stored: the attempt is one transaction)."""

from __future__ import annotations

from django_tasks import task

from openinburgering.core.jobs import JobProgress, run_job

from . import services


@task()
def make_cbs_delivery(job_id: int) -> str:
    return run_job(job_id, task=make_cbs_delivery, body=make)


def make(job: JobProgress) -> str:
    quarter = services.Quarter(int(job.run.payload["year"]), int(job.run.payload["quarter"]))
    delivery = services.generate_delivery(run=job.run, quarter=quarter)
    job.run.result = {"delivery": delivery.pk, "year": quarter.year, "quarter": quarter.quarter,
                      "version": delivery.version}  # fmt: skip
    return (
        f"CBS-bestand {quarter.title} (versie {delivery.version}) gemaakt en gecontroleerd met het schema: "
        f"{delivery.record_count} inburgeraars, {delivery.correction_count} correcties, "
        f"{delivery.left_out_count} niet opgenomen."
    )
