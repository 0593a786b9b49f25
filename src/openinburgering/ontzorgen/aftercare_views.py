"""Pages of one client file for what comes after ontzorgen (/dossiers/<file>/ontzorgen/...): toeslagen, the plan
for begeleid loslaten and the client statement (PDF).

Every page goes through ``access_ontzorgen_file`` (the financiën section: 404 for another gemeente, a missing
file or a role without that section); changing needs MANAGE_ONTZORGEN (the klantregisseur only reads). Every page
audits its read in the same transaction; every change goes through a service (audited there).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.audit.services import record_event
from openinburgering.clients.forms import run_form_service
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.letters.views import pdf_response

from . import loslaten, statement, toeslagen
from .access import access_ontzorgen_file, may_manage
from .models import Obligation, OntzorgenRecord
from .models_aftercare import ToeslagKind, ToeslagRecord, ToeslagStatus
from .services import PURPOSE

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ToeslagForm(forms.Form):
    kind = forms.ChoiceField(label="Toeslag", choices=ToeslagKind.choices, widget=forms.RadioSelect)
    status = forms.ChoiceField(label="Stand", choices=ToeslagStatus.choices, widget=forms.RadioSelect)
    applied_on = forms.DateField(label="Aangevraagd op", required=False, widget=DATE_WIDGET)
    granted_on = forms.DateField(label="Toegekend op", required=False, widget=DATE_WIDGET)
    first_payment_on = forms.DateField(
        label="Eerste betaling op", required=False, widget=DATE_WIDGET,
        help_text="De dag waarop de toeslag voor het eerst op de rekening van de klant komt.",
    )  # fmt: skip
    monthly_amount = forms.CharField(label="Bedrag per maand (euro)", required=False, max_length=12)
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(forms.Form):
    obligation = forms.TypedChoiceField(
        label="Welke vaste last gaat de klant als eerste zelf betalen?", coerce=int, widget=forms.RadioSelect
    )
    coaching = forms.CharField(
        label="Afspraken over budgetcoaching", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld: wie de klant helpt met een maandbegroting, en wanneer.",
    )  # fmt: skip

    def __init__(self, *args: Any, obligations: list[Obligation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["obligation"]).choices = [
            (o.pk, f"{o.get_kind_display()}: {o.creditor_name}") for o in obligations
        ]


class StepForm(forms.Form):
    description = forms.CharField(label="Wat gebeurt er?", widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label="Klaar op", widget=DATE_WIDGET)


class DoneForm(forms.Form):
    pays_from = forms.DateField(
        label="De klant betaalt zelf vanaf", required=False, widget=DATE_WIDGET,
        help_text="De gemeente betaalt deze vaste last tot de dag ervoor. Leeg: vanaf de 1e van volgende maand.",
    )  # fmt: skip
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _read(actor: Actor, client_file: ClientFile, event_type: str) -> None:
    record_event(actor=actor, event_type=event_type, purpose=PURPOSE, client_file=client_file, subject=client_file)


@staff_view
@require_http_methods(["GET", "POST"])
def toeslagen_page(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    posting = request.method == "POST"
    form = ToeslagForm(request.POST if posting else None)
    with transaction.atomic():
        client_file = access_ontzorgen_file(actor, file_id, for_write=posting)
        if posting:
            saved = run_form_service(
                form,
                lambda data: toeslagen.record_toeslag(actor=actor, client_file=client_file, data=data, today=today()),
            )
            if saved is not None:
                messages.success(request, "De toeslag is vastgelegd.")
                return HttpResponseRedirect(reverse("ontzorgen-nazorg:toeslagen", kwargs={"file_id": client_file.pk}))
        _read(actor, client_file, "toeslagen_viewed")
        records = list(
            ToeslagRecord.objects.filter(client_file=client_file)
            .select_related("recorded_by")
            .order_by("-recorded_at", "-id")
        )
        record = OntzorgenRecord.objects.filter(client_file=client_file).first()
    latest = toeslagen.latest_toeslagen([client_file.pk]).get(client_file.pk, {})
    ends_on = record.end_on if record and record.applies else None
    context = {
        "client_file": client_file,
        "person": client_file.person,
        "records": records,
        "latest": [
            {
                "label": ToeslagKind(kind).label,
                "record": latest.get(kind),
                "started": toeslagen.toeslag_started(latest.get(kind), by=ends_on) if ends_on else None,
            }
            for kind in ToeslagKind.values
        ],
        "ends_on": ends_on,
        "form": form,
        "can_change": may_manage(actor),
        "has_errors": bool(form.errors),
    }
    return render(request, "ontzorgen/aftercare/toeslagen.html", context, status=400 if form.errors else 200)


def _loslaten_context(actor: Actor, client_file: ClientFile, **forms_: Any) -> dict[str, Any]:
    record = OntzorgenRecord.objects.filter(client_file=client_file).first()
    obligations = list(Obligation.objects.filter(client_file=client_file).order_by("kind", "id"))
    steps = loslaten.steps_of(client_file)
    return {
        "client_file": client_file,
        "person": client_file.person,
        "record": record,
        "steps": [(step, forms_.get(f"done_{step.pk}") or DoneForm(prefix=f"step-{step.pk}")) for step in steps],
        "has_plan": any(step.kind == "einde" for step in steps),
        "plan_form": forms_.get("plan_form") or PlanForm(obligations=obligations, prefix="plan"),
        "step_form": forms_.get("step_form") or StepForm(prefix="step"),
        "can_change": may_manage(actor),
        "has_errors": any(f.errors for f in forms_.values() if f is not None),
    }


@staff_view
@require_http_methods(["GET"])
def loslaten_page(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_ontzorgen_file(actor, file_id)
        _read(actor, client_file, "loslaten_viewed")
        context = _loslaten_context(actor, client_file)
    return render(request, "ontzorgen/aftercare/loslaten.html", context)


def _loslaten_url(client_file: ClientFile, anchor: str = "") -> str:
    return reverse("ontzorgen-nazorg:loslaten", kwargs={"file_id": client_file.pk}) + (f"#{anchor}" if anchor else "")


def _render_failed(request: HttpRequest, actor: Actor, client_file: ClientFile, **forms_: Any) -> HttpResponse:
    _read(actor, client_file, "loslaten_viewed")
    context = _loslaten_context(actor, client_file, **forms_)
    return render(request, "ontzorgen/aftercare/loslaten.html", context, status=400)


@staff_view
@require_POST
def plan(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_ontzorgen_file(actor, file_id, for_write=True)
        obligations = list(Obligation.objects.filter(client_file=client_file).order_by("kind", "id"))
        form = PlanForm(request.POST, obligations=obligations, prefix="plan")
        if run_form_service(form, lambda d: loslaten.plan_loslaten(actor=actor, client_file=client_file, data=d)):
            messages.success(request, "Het plan voor begeleid loslaten is gemaakt.")
            return HttpResponseRedirect(_loslaten_url(client_file))
        return _render_failed(request, actor, client_file, plan_form=form)


@staff_view
@require_POST
def add_step(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_ontzorgen_file(actor, file_id, for_write=True)
        form = StepForm(request.POST, prefix="step")
        if run_form_service(form, lambda d: loslaten.add_step(actor=actor, client_file=client_file, data=d)):
            messages.success(request, "De stap is toegevoegd.")
            return HttpResponseRedirect(_loslaten_url(client_file))
        return _render_failed(request, actor, client_file, step_form=form)


@staff_view
@require_POST
def step_done(request: HttpRequest, file_id: int, step_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_ontzorgen_file(actor, file_id, for_write=True)
        step = loslaten.access_step(client_file, step_id)
        form = DoneForm(request.POST, prefix=f"step-{step.pk}")
        done = run_form_service(
            form,
            lambda d: loslaten.complete_step(actor=actor, client_file=client_file, step=step, data=d, today=today()),
        )
        if done is not None:
            text = "De stap is gedaan." + (" De brief aan de klant is gemaakt." if done.letter_id else "")
            messages.success(request, text)
            return HttpResponseRedirect(_loslaten_url(client_file, f"step-{step.pk}"))
        return _render_failed(request, actor, client_file, **{f"done_{step.pk}": form})


@staff_view
@require_http_methods(["GET"])
def statement_pdf(request: HttpRequest, file_id: int) -> HttpResponse:
    """The client statement (PDF) of what was paid each month; made on demand from the ledger, audited."""
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_ontzorgen_file(actor, file_id)
        pdf = statement.render_statement(actor=actor, client_file=client_file)
    return pdf_response(pdf, f"overzicht-ontzorgen-{client_file.pk}.pdf")
