"""Intake pages for the brede intake: start, the intake with its leefgebieden, one leefgebied, complete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.access import (
    access_client_file,
    health_readable_persons,
    may_read_gezondheid_section,
)
from openinburgering.clients.models import ClientFile
from openinburgering.rules import IntakeStep

from .. import leefgebieden, selectors, services
from ..access import access_intake
from ..choices import IntakeStatus, Leefgebied
from ..forms import (
    CompleteIntakeForm,
    LeefgebiedForm,
    StartIntakeForm,
)
from ..models import Intake
from .overview import _form_page, _may_change_intake, _overview_url, _render_overview, _saved

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
