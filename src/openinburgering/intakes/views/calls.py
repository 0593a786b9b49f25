"""Intake pages for oproepen: plan a call, record its outcome, the letter for an intake in absence."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.access import (
    access_client_file,
)
from openinburgering.core.errors import ApplicationError, NotFound

from .. import selectors, services
from ..access import access_call
from ..choices import CallOutcome
from ..forms import (
    CallOutcomeForm,
    CallPlanForm,
)
from .overview import _form_page, _overview_url, _saved

# ---------------------------------------------------------------------------------------------------------------
# Oproepen


@staff_view
@require_http_methods(["GET", "POST"])
def call_plan(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.INTAKE)
        calls = selectors.calls_of(client_file)
        step = selectors.next_step_of(calls).next_step
        person = client_file.person
        initial = {"interpreter_language": person.interpreter_language if person.interpreter_needed else ""}
        form = CallPlanForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST":
            result = _saved(
                form,
                lambda: services.plan_call(
                    actor=actor,
                    client_file=client_file,
                    planned_at=form.cleaned_data["planned_at"],
                    location=form.cleaned_data["location"],
                    interpreter_language=form.cleaned_data["interpreter_language"],
                ),
            )
            if result:
                call, letter = result
                messages.success(request, f"Oproep {call.sequence} is gepland. De brief '{letter.title}' is gemaakt.")
                return HttpResponseRedirect(_overview_url(client_file, "oproepen"))
        blocked = "" if step in services.PLANNABLE_STEPS else services.NOT_PLANNABLE[step]
        return _form_page(
            request, actor, client_file, "intakes/call_plan.html", "call_plan",
            {"form": form, "sequence": len(calls) + 1, "step": step, "blocked": blocked},
        )  # fmt: skip


@staff_view
@require_http_methods(["GET", "POST"])
def call_outcome(request: HttpRequest, file_id: int, call_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    with transaction.atomic():
        call = access_call(actor, file_id, call_id, for_write=True)
        client_file = call.client_file
        form = CallOutcomeForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            saved = _saved(
                form,
                lambda: services.record_call_outcome(
                    actor=actor,
                    client_file=client_file,
                    call=call,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                ),
            )
            if saved:
                messages.success(request, f"De uitkomst is vastgelegd. Volgende stap: {saved.get_next_step_display()}.")
                return HttpResponseRedirect(_overview_url(client_file, "oproepen"))
        return _form_page(
            request, actor, client_file, "intakes/call_outcome.html", "call_outcome",
            {"form": form, "call": call, "recorded": call.outcome != CallOutcome.PENDING},
        )  # fmt: skip


@staff_view
@require_POST
def absence_letter(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.INTAKE)
        try:
            with transaction.atomic():
                letter = services.create_absence_letter(actor=actor, client_file=client_file)
        except NotFound:
            raise
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"De brief '{letter.title}' is gemaakt.")
    return HttpResponseRedirect(_overview_url(client_file, "oproepen"))
