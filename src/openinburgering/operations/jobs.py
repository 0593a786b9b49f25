"""Who sees which background job (core.models.JobRun) on the jobs page, and the page's query.

The functioneel beheerder (`view_gemeente_audit`) and the teamleider (`view_team_caseload`) see every job of
their gemeente; anyone else sees only the jobs they started themselves (e.g. a klantregisseur's large DUO import).
Jobs of another gemeente, and system jobs without a gemeente, are not found (404), like every other object."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.core.errors import NotFound
from openinburgering.core.models import JobRun

OVERSEERS = (Capability.VIEW_GEMEENTE_AUDIT, Capability.VIEW_TEAM_CASELOAD)


def sees_all_jobs(actor: Actor) -> bool:
    return any(actor.can(capability) for capability in OVERSEERS)


def visible_jobs(actor: Actor) -> QuerySet[JobRun]:
    jobs = JobRun.objects.filter(gemeente_id=actor.gemeente_id).select_related("started_by")
    if not sees_all_jobs(actor):
        jobs = jobs.filter(Q(started_by_id=actor.user.pk))
    return jobs.order_by("-created_at", "-id")


def access_job(actor: Actor, job_id: int) -> JobRun:
    job = visible_jobs(actor).filter(pk=job_id).first()
    if job is None:
        raise NotFound()
    return job
