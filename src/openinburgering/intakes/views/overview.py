"""The intake overview of a file and the helpers the intake pages share (the form page, saving a form through a
service with its Dutch errors on the fields)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Access, Section
from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.clients.access import (
    access_client_file,
    section_access,
)
from openinburgering.clients.forms import add_application_errors
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.rules import IntakeStep

from .. import leefgebieden, selectors, services
from ..choices import IntakeStep as StepLabel
from ..forms import (
    StartIntakeForm,
)


def _overview_url(client_file: ClientFile | int, anchor: str = "") -> str:
    pk = client_file if isinstance(client_file, int) else client_file.pk
    return reverse("intakes:overview", kwargs={"file_id": pk}) + (f"#{anchor}" if anchor else "")


def _saved(form: Any, save: Callable[[], Any], aliases: dict[str, str] | None = None) -> Any:
    """Validate the form and run the service in a savepoint; returns the service's result, or None with the
    service's errors on the form."""
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            return save() or True
    except NotFound:
        raise
    except ApplicationError as error:
        add_application_errors(form, error, aliases=aliases)
        return None


def _may_change_intake(actor: Actor) -> bool:
    """Whether the read pages offer the intake's forms and links to them: only to who may change the intake section
    in this gemeente (need to know, #12 item 1), as the form pages and posts demand; a gemeente may narrow a role."""
    return actor.can(Capability.CHANGE_CLIENT_FILES) and section_access(actor, Section.INTAKE) >= Access.WRITE


def _form_page(
    request: HttpRequest, actor: Actor, client_file: ClientFile, template: str, page: str, context: dict[str, Any]
) -> HttpResponse:
    services.record_read(actor=actor, client_file=client_file, event_type="intake_form_viewed", changes={"page": page})
    status = 400 if request.method == "POST" else 200
    return render(
        request, template, {"client_file": client_file, "person": client_file.person, **context}, status=status
    )


# ---------------------------------------------------------------------------------------------------------------
# Overview


def _render_overview(
    request: HttpRequest, actor: Actor, client_file: ClientFile, *, start_form: StartIntakeForm | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    services.record_read(actor=actor, client_file=client_file, event_type="intake_overview_viewed")
    calls = selectors.calls_of(client_file)
    next_step = selectors.next_step_of(calls)
    call_letters = selectors.letters_by_subject(client_file, "intakecall")
    lbt_letters = selectors.letters_by_subject(client_file, "learnabilitytest")
    intakes = selectors.intake_progress_of(client_file)
    people = selectors.household_people(client_file)
    started = {progress.intake.person_id for progress in intakes}
    candidates = [(person, relation) for person, relation in people if person.pk not in started]
    lbts = list(selectors.lbt_tests_of(client_file))
    latest_result = next((t for t in lbts if t.result_recorded_at is not None), None)
    advice = selectors.current_advice(client_file, as_of=today(), lbt=latest_result)
    context = {
        "client_file": client_file,
        "person": client_file.person,
        "can_change": _may_change_intake(actor),
        "call_rows": [{"call": call, "letters": call_letters.get(str(call.pk), [])} for call in calls],
        "next_step": next_step,
        "next_step_label": StepLabel(next_step.next_step).label,
        "can_plan_call": next_step.next_step in services.PLANNABLE_STEPS and client_file.is_open,
        "in_absence_step": next_step.next_step == IntakeStep.FINE_AND_INTAKE_IN_ABSENCE,
        "intakes": intakes,
        "candidates": candidates,
        "start_form": start_form or StartIntakeForm(people=candidates),
        "lbt_rows": [{"lbt": lbt, "letters": lbt_letters.get(str(lbt.pk), [])} for lbt in lbts],
        "lbt_pending": any(t.result_recorded_at is None for t in lbts),
        "advice": advice,
        "route_advices": list(selectors.route_advices_of(client_file)[:20]),
        "leefgebied_total": len(leefgebieden.ORDER),
    }
    return render(request, "intakes/overview.html", context, status=status)


@staff_view
@require_http_methods(["GET"])
def overview(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.INTAKE)
        return _render_overview(request, actor, client_file)
