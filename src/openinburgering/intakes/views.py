"""Intake pages under /dossiers/<file>/intake/: oproepen, brede intake per person and leefgebied (step by step),
leerbaarheidstoets and route advice.

Every page goes through ``access_client_file`` (404 for missing, another gemeente and a missing capability);
showing data is audited in the same transaction as the read; every change goes through ``intakes.services``.
Form pages: GET shows, POST validates, errors re-render with an error summary and status 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Access, Section
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.access import (
    access_client_file,
    health_readable_persons,
    may_read_gezondheid_section,
    section_access,
)
from openinburgering.clients.forms import add_application_errors
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.rules import IntakeStep

from . import leefgebieden, selectors, services
from .access import access_call, access_intake, access_lbt
from .choices import CallOutcome, IntakeStatus, Leefgebied
from .choices import IntakeStep as StepLabel
from .forms import (
    CallOutcomeForm,
    CallPlanForm,
    CompleteIntakeForm,
    LbtPlanForm,
    LbtResultForm,
    LeefgebiedForm,
    RouteForm,
    StartIntakeForm,
)
from .models import Intake


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


# ---------------------------------------------------------------------------------------------------------------
# Brede intake


@staff_view
@require_POST
def intake_start(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.INTAKE)
        started = set(Intake.objects.filter(client_file=client_file).values_list("person_id", flat=True))
        people = [(p, r) for p, r in selectors.household_people(client_file) if p.pk not in started]
        form = StartIntakeForm(request.POST, people=people)
        intake = _saved(
            form,
            lambda: services.start_intake(actor=actor, client_file=client_file, person_id=form.cleaned_data["person"]),
        )
        if intake:
            messages.success(request, f"De brede intake voor {intake.person.full_name} is gestart.")
            first = leefgebieden.ORDER[0]
            return HttpResponseRedirect(
                reverse("intakes:leefgebied", kwargs={"file_id": client_file.pk, "intake_id": intake.pk, "code": first})
            )
        return _render_overview(request, actor, client_file, start_form=form, status=400)


@staff_view
@require_http_methods(["GET"])
def intake_detail(request: HttpRequest, file_id: int, intake_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        intake = access_intake(actor, file_id, intake_id)
        client_file = intake.client_file
        services.record_read(actor=actor, client_file=client_file, event_type="intake_viewed", subject=intake)
        progress = selectors.progress_of(
            Intake.objects.prefetch_related("assessments").select_related("person").get(pk=intake.pk)
        )
        children = {str(p.pk): p for p in selectors.current_children(client_file)}
        health = _health_view(actor, client_file, intake)
        rows = []
        for code in leefgebieden.ORDER:
            spec = leefgebieden.REGISTRY[code]
            if code == Leefgebied.GEZONDHEID and health == HEALTH_CLOSED:
                continue  # a role without the gezondheid section hears nothing about health (#12 item 1)
            hidden = code == Leefgebied.GEZONDHEID and health == HEALTH_HIDDEN
            assessment = progress.assessments.get(code)
            details = (assessment.details if assessment and not hidden else {}) or {}
            facts = _facts(spec, details, children)
            rows.append({"code": code, "spec": spec, "assessment": None if hidden else assessment,
                         "health_hidden": hidden, "done": code in progress.done, "facts": facts})  # fmt: skip
        return render(
            request,
            "intakes/intake_detail.html",
            {"client_file": client_file, "person": client_file.person, "intake": intake, "progress": progress,
             "rows": rows, "can_change": _may_change_intake(actor),
             "is_open": intake.status == IntakeStatus.IN_PROGRESS},
        )  # fmt: skip


HEALTH_SHOWN, HEALTH_HIDDEN, HEALTH_CLOSED = "shown", "hidden", "closed"


def _health_view(actor: Actor, client_file: ClientFile, intake: Intake) -> str:
    """How the gezondheid step of this intake shows to the actor (#12 item 1): its answers only to a role that may
    read the gezondheid section of the file AND while the person's own consent stands ("shown"); with the section
    but without that consent a Dutch line says so ("hidden"); without the section nothing at all ("closed")."""
    if not may_read_gezondheid_section(actor, client_file):
        return HEALTH_CLOSED
    return HEALTH_SHOWN if intake.person_id in health_readable_persons(actor, client_file) else HEALTH_HIDDEN


def _display(spec_field: leefgebieden.DetailField, value: Any) -> str:
    choices = dict(spec_field.choices)
    if isinstance(value, list):
        return ", ".join(choices.get(v, str(v)) for v in value)
    return str(choices.get(value, value)) if choices else str(value)


def _facts(
    spec: leefgebieden.LeefgebiedSpec, details: dict[str, Any], children: dict[str, Any]
) -> list[tuple[str, str]]:
    facts = [(f.label, _display(f, details[f.key])) for f in spec.fields if f.key in details]
    child_spec = {f.key: f for f in spec.child_fields}
    for child_id, answers in (details.get("children") or {}).items():
        child = children.get(child_id)
        name = child.given_names if child else f"kind {child_id}"
        for key, value in answers.items():
            if key in child_spec:
                facts.append((f"{child_spec[key].label} ({name})", _display(child_spec[key], value)))
    return facts


@staff_view
@require_http_methods(["GET", "POST"])
def leefgebied(request: HttpRequest, file_id: int, intake_id: int, code: str) -> HttpResponse:
    """One step of the brede intake. Each POST saves right away; then on to the next leefgebied."""
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    spec = leefgebieden.spec_for(code)
    if spec is None:
        raise Http404()
    with transaction.atomic():
        intake = access_intake(actor, file_id, intake_id, for_write=True)
        client_file = intake.client_file
        children = selectors.current_children(client_file) if spec.child_fields else []
        assessment = intake.assessments.filter(leefgebied=code).first()
        health = _health_view(actor, client_file, intake) if code == Leefgebied.GEZONDHEID else HEALTH_SHOWN
        if health != HEALTH_SHOWN:
            assessment = None  # the step can be filled in again, but earlier answers are not shown (#12 item 1)
        form = LeefgebiedForm(
            request.POST if request.method == "POST" else None, code=code, children=children,
            initial=LeefgebiedForm.initial_for(assessment),
        )  # fmt: skip
        if request.method == "POST":
            saved = _saved(
                form,
                lambda: services.save_assessment(
                    actor=actor,
                    client_file=client_file,
                    intake=intake,
                    leefgebied=code,
                    score=form.score_value(),
                    finding=form.cleaned_data["finding"],
                    wishes=form.cleaned_data["wishes"],
                    details=form.details(),
                ),
                aliases=form.error_aliases(),
            )
            if saved:
                messages.success(request, f"{spec.label} is opgeslagen.")
                following = leefgebieden.next_code(code)
                saved_marker = f"?opgeslagen={code}"
                if request.POST.get("action") == "next" and following:
                    target = reverse(
                        "intakes:leefgebied",
                        kwargs={"file_id": client_file.pk, "intake_id": intake.pk, "code": following},
                    )
                else:
                    target = reverse(
                        "intakes:intake-detail", kwargs={"file_id": client_file.pk, "intake_id": intake.pk}
                    )
                return HttpResponseRedirect(target + saved_marker)
        done = {
            a.leefgebied
            for a in intake.assessments.all()
            if leefgebieden.is_done(a.leefgebied, a.score, a.details or {})
        }
        steps = [
            {"code": c, "label": leefgebieden.REGISTRY[c].label, "done": c in done, "current": c == code}
            for c in leefgebieden.ORDER
        ]
        saved_code = request.GET.get("opgeslagen", "")
        return _form_page(
            request, actor, client_file, "intakes/leefgebied.html", f"leefgebied:{code}",
            {"form": form, "intake": intake, "spec": spec, "code": code, "steps": steps,
             "step_number": leefgebieden.ORDER.index(code) + 1, "step_total": len(leefgebieden.ORDER),
             "next_code": leefgebieden.next_code(code), "health_hidden": health == HEALTH_HIDDEN,
             "saved_code": saved_code if saved_code in leefgebieden.REGISTRY else "",
             "is_open": intake.status == IntakeStatus.IN_PROGRESS,
             "detail_fields": [form[name] for name in form.detail_names],
             "child_groups": [(child, [form[n] for n in names]) for child, names in form.child_groups]},
        )  # fmt: skip


@staff_view
@require_http_methods(["GET", "POST"])
def intake_complete(request: HttpRequest, file_id: int, intake_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    with transaction.atomic():
        intake = access_intake(actor, file_id, intake_id, for_write=True)
        client_file = intake.client_file
        form = CompleteIntakeForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            saved = _saved(
                form,
                lambda: services.complete_intake(
                    actor=actor,
                    client_file=client_file,
                    intake=intake,
                    in_absence=form.cleaned_data["in_absence"],
                    absence_reason=form.cleaned_data["absence_reason"],
                ),
            )
            if saved:
                messages.success(request, f"De brede intake van {intake.person.full_name} is afgerond.")
                return HttpResponseRedirect(_overview_url(client_file, "intakes"))
        progress = selectors.progress_of(Intake.objects.prefetch_related("assessments").get(pk=intake.pk))
        missing = [leefgebieden.REGISTRY[c].label for c in leefgebieden.ORDER if c not in progress.done]
        step = selectors.next_step_of(selectors.calls_of(client_file)).next_step
        return _form_page(
            request, actor, client_file, "intakes/intake_complete.html", "intake_complete",
            {"form": form, "intake": intake, "missing": missing,
             "absence_allowed": step == IntakeStep.FINE_AND_INTAKE_IN_ABSENCE,
             "is_open": intake.status == IntakeStatus.IN_PROGRESS},
        )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Leerbaarheidstoets and route


@staff_view
@require_http_methods(["GET", "POST"])
def lbt_plan(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.INTAKE)
        form = LbtPlanForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            result = _saved(
                form,
                lambda: services.plan_lbt(
                    actor=actor,
                    client_file=client_file,
                    planned_at=form.cleaned_data["planned_at"],
                    location=form.cleaned_data["location"],
                    send_letter=form.cleaned_data["send_letter"],
                ),
            )
            if result:
                _lbt, letter = result
                extra = f" De brief '{letter.title}' is gemaakt." if letter else ""
                messages.success(request, "De leerbaarheidstoets is gepland." + extra)
                return HttpResponseRedirect(_overview_url(client_file, "toets"))
        return _form_page(request, actor, client_file, "intakes/lbt_plan.html", "lbt_plan", {"form": form})


@staff_view
@require_http_methods(["GET", "POST"])
def lbt_result(request: HttpRequest, file_id: int, lbt_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    with transaction.atomic():
        lbt = access_lbt(actor, file_id, lbt_id, for_write=True)
        client_file = lbt.client_file
        form = LbtResultForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            saved = _saved(
                form,
                lambda: services.record_lbt_result(
                    actor=actor,
                    client_file=client_file,
                    lbt=lbt,
                    taken_on=form.cleaned_data["taken_on"],
                    score=form.cleaned_data["score"],
                    ontheffing=form.cleaned_data["ontheffing"],
                ),
            )
            if saved:
                messages.success(request, f"De uitslag is vastgelegd: {saved.get_outcome_display()}.")
                return HttpResponseRedirect(_overview_url(client_file, "toets"))
        return _form_page(
            request, actor, client_file, "intakes/lbt_result.html", "lbt_result",
            {"form": form, "lbt": lbt, "recorded": lbt.result_recorded_at is not None},
        )  # fmt: skip


@staff_view
@require_http_methods(["GET", "POST"])
def route(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.INTAKE)
        advice = selectors.current_advice(client_file, as_of=today())
        initial = {"chosen_route": advice.route.value if advice.route else ""}
        form = RouteForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST":
            saved = _saved(
                form,
                lambda: services.choose_route(
                    actor=actor,
                    client_file=client_file,
                    chosen_route=form.cleaned_data["chosen_route"],
                    deviation_reason=form.cleaned_data["deviation_reason"],
                    onderwijsroute_considered=form.cleaned_data["onderwijsroute_considered"],
                ),
            )
            if saved:
                messages.success(request, f"De gekozen route is vastgelegd: {saved.get_chosen_route_display()}.")
                return HttpResponseRedirect(_overview_url(client_file, "route"))
        return _form_page(request, actor, client_file, "intakes/route.html", "route", {"form": form, "advice": advice})
