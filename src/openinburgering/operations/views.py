"""The jobs page (issue #18 item 4): background work of the gemeente with its state and progress.

No personal data: a job shows its title, who started it, its state, how far it got and its Dutch outcome. An
import also lists the messages that were not applied, by number and DUO/COA message id with the reason."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.web import request_actor, staff_view

from .jobs import access_job, sees_all_jobs, visible_jobs

PAGE_SIZE = 25


@staff_view
@require_http_methods(["GET"])
def job_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    page = Paginator(visible_jobs(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "operations/jobs.html", {"page_obj": page, "sees_all": sees_all_jobs(actor)})


@staff_view
@require_http_methods(["GET"])
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_job(request_actor(request), job_id)
    lines = list((job.result or {}).get("lines", [])) if isinstance(job.result, dict) else []
    return render(request, "operations/job.html", {"job": job, "lines": lines})
