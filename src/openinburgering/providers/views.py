"""Pages of the providers app.

- /aanbieders/: providers and contracts for the contractmanager (MANAGE_PROVIDERS; VIEW_CONTRACT_RESULTS reads).
- /aanbieders/dossiers/<file>/plaatsingen/...: enrolments from a client file (klantregisseur, access_client_file).
- /portaal-aanbieder/: the provider portal (REPORT_PROGRESS + a ProviderMembership, only its own enrolments).

Views parse input, go through the access functions (404 for missing, another gemeente/provider, wrong role),
call one service inside a savepoint (an error leaves nothing half-written) and render. Reads of enrolled
clients' data are audited in the request's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.clients.access import access_client_file
from openinburgering.clients.forms import add_application_errors
from openinburgering.core.errors import ApplicationError, NotFound

from . import selectors, services
from .access import (
    access_contract,
    access_file_enrolment,
    access_provider,
    access_provider_actor,
    access_provider_enrolment,
    may_change_placements,
    require_provider_manager,
    require_provider_viewer,
)
from .choices import TRANSITIONS, EnrolmentStatus, ReportSource
from .forms import (
    ContractForm,
    CsvUploadForm,
    DeclineForm,
    EnrolmentForm,
    ExamResultForm,
    MilestoneForm,
    ProviderForm,
    StatusForm,
    WeeklyReportForm,
)
from .models import Contract, Provider


def _try(form: django_forms.Form, call: Callable[[], Any]) -> Any:
    """Runs a service in a savepoint; its ApplicationError goes onto the form (NotFound still gives a 404)."""
    try:
        with transaction.atomic():
            return call()
    except NotFound:
        raise
    except ApplicationError as error:
        add_application_errors(form, error)
        return None


# ---------------------------------------------------------------------------------------------------------------
# Providers and contracts (contractmanager)


@staff_view
@require_http_methods(["GET"])
def provider_list(request: HttpRequest) -> HttpResponse:
    actor = require_provider_viewer(request_actor(request))
    providers = list(selectors.providers_for(actor))
    return render(
        request,
        "providers/provider_list.html",
        {
            "providers": providers,
            "can_manage": actor.can(Capability.MANAGE_PROVIDERS),
        },
    )


def _provider_initial(provider: Provider) -> dict[str, Any]:
    return {
        "name": provider.name,
        "kinds": provider.kinds,
        "keurmerk": provider.keurmerk,
        "keurmerk_expires_on": provider.keurmerk_expires_on,
        "kvk_number": provider.kvk_number,
        "contact_name": provider.contact_name,
        "contact_email": provider.contact_email,
        "contact_phone": provider.contact_phone,
        "scope": services.SCOPE_REGIO if provider.region_id else services.SCOPE_GEMEENTE,
    }


@staff_view
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, provider_id: int | None = None) -> HttpResponse:
    actor = require_provider_manager(request_actor(request))
    with transaction.atomic():
        provider = access_provider(actor, provider_id, for_write=True) if provider_id is not None else None
        if request.method == "GET":
            form = ProviderForm(initial=_provider_initial(provider) if provider else None)
        else:
            form = ProviderForm(request.POST)
            if form.is_valid():
                saved = _try(
                    form, lambda: services.save_provider(actor=actor, data=form.cleaned_data, provider=provider)
                )
                if saved is not None:
                    messages.success(request, f"Aanbieder {saved.name} is opgeslagen.")
                    return HttpResponseRedirect(reverse("providers:detail", kwargs={"provider_id": saved.pk}))
    return render(
        request,
        "providers/provider_form.html",
        {"form": form, "provider": provider},
        status=400 if form.errors else 200,
    )


@staff_view
@require_http_methods(["GET"])
def provider_detail(request: HttpRequest, provider_id: int) -> HttpResponse:
    actor = request_actor(request)
    provider = access_provider(actor, provider_id)
    return render(
        request,
        "providers/provider_detail.html",
        {
            "provider": provider,
            "contracts": list(selectors.contracts_of(provider, actor)),
            "can_manage": actor.can(Capability.MANAGE_PROVIDERS),
        },
    )


def _contract_initial(contract: Contract) -> dict[str, Any]:
    return {
        "name": contract.name,
        "starts_on": contract.starts_on,
        "ends_on": contract.ends_on,
        "price_model": contract.price_model,
        "price_per_route": contract.price_per_route or "",
        "price_per_hour": contract.price_per_hour or "",
        "price_per_result": contract.price_per_result or "",
        "capacity": contract.capacity,
        "components": contract.components,
        "reporting_frequency": contract.reporting_frequency,
        "scope": services.SCOPE_REGIO if contract.region_id else services.SCOPE_GEMEENTE,
    }


@staff_view
@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, provider_id: int, contract_id: int | None = None) -> HttpResponse:
    actor = require_provider_manager(request_actor(request))
    with transaction.atomic():
        provider = access_provider(actor, provider_id, for_write=True)
        contract = None
        if contract_id is not None:
            contract = access_contract(actor, contract_id, for_write=True)
            if contract.provider_id != provider.pk:
                raise NotFound()
        if request.method == "GET":
            form = ContractForm(initial=_contract_initial(contract) if contract else None)
        else:
            form = ContractForm(request.POST)
            if form.is_valid():
                saved = _try(
                    form,
                    lambda: services.save_contract(
                        actor=actor, provider=provider, data=form.cleaned_data, contract=contract
                    ),
                )
                if saved is not None:
                    messages.success(request, f"Contract {saved.name} is opgeslagen.")
                    return HttpResponseRedirect(reverse("providers:detail", kwargs={"provider_id": provider.pk}))
    return render(
        request,
        "providers/contract_form.html",
        {"form": form, "provider": provider, "contract": contract},
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------------------------
# Enrolments from a client file (klantregisseur)


@staff_view
@require_http_methods(["GET", "POST"])
def enrolment_create(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.VOORTGANG)
        contracts = list(selectors.contracts_for_file(client_file))
        if request.method == "GET":
            form = EnrolmentForm(contracts=contracts)
        else:
            form = EnrolmentForm(request.POST, contracts=contracts)
            if form.is_valid():
                data = {**form.cleaned_data, "contract_id": form.cleaned_data["contract"] or None}
                enrolment = _try(
                    form, lambda: services.create_enrolment(actor=actor, client_file=client_file, data=data)
                )
                if enrolment is not None:
                    messages.success(
                        request,
                        f"De plaatsing bij {enrolment.provider.name} is voorgesteld. "
                        "De aanbieder moet haar nog accepteren.",
                    )
                    return HttpResponseRedirect(
                        reverse("clients:detail", kwargs={"file_id": client_file.pk}) + "#plaatsingen"
                    )
        # The page shows the person's name: a read of the file, logged like any other (#12 item 9).
        services.record_file_read(actor, client_file, event_type="enrolment_form_viewed")
    return render(
        request,
        "providers/enrolment_form.html",
        {
            "form": form,
            "client_file": client_file,
            "person": client_file.person,
            "has_contracts": bool(contracts),
        },
        status=400 if form.errors else 200,
    )


def _staff_transitions(status: str) -> list[tuple[str, str]]:
    allowed = [s for s in TRANSITIONS.get(status, ()) if s in (EnrolmentStatus.GESTOPT, EnrolmentStatus.AFGEROND)]
    return [("", "Kies"), *[(s, str(EnrolmentStatus(s).label)) for s in allowed]]


@staff_view
@require_http_methods(["GET", "POST"])
def enrolment_detail(request: HttpRequest, file_id: int, enrolment_id: int) -> HttpResponse:
    actor = request_actor(request)
    writing = request.method == "POST"
    with transaction.atomic():
        client_file, enrolment = access_file_enrolment(actor, file_id, enrolment_id, for_write=writing)
        allowed = _staff_transitions(enrolment.status)
        form = StatusForm(request.POST if writing else None, allowed=allowed)
        if writing and form.is_valid():
            done = _try(
                form,
                lambda: services.change_status(
                    actor=actor,
                    enrolment=enrolment,
                    to_status=form.cleaned_data["to_status"],
                    reason=form.cleaned_data["reason"],
                ),
            )
            if done is not None:
                messages.success(request, f"De plaatsing is nu {enrolment.get_status_display().lower()}.")
                return HttpResponseRedirect(request.path)
        services.record_enrolment_read(actor, enrolment, event_type="provider_enrolment_viewed")
        context = {
            "client_file": client_file,
            "person": client_file.person,
            "enrolment": enrolment,
            "events": selectors.enrolment_history(enrolment),
            "reports": selectors.reports_of(enrolment),
            "exam_results": selectors.exam_results_of(enrolment),
            "milestones": selectors.milestones_of(enrolment),
            "form": form if len(allowed) > 1 else None,
            "can_change": may_change_placements(actor),
        }
        return render(request, "providers/enrolment_detail.html", context, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------------------------
# Provider portal


@staff_view
@require_http_methods(["GET"])
def portal_index(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        provider = access_provider_actor(actor)
        enrolments = list(selectors.portal_enrolments(provider, gemeente_id=actor.gemeente_id))
        services.record_enrolment_reads(actor, enrolments, event_type="provider_enrolments_viewed", via="ui")
        return render(request, "providers/portal_index.html", {"provider": provider, "enrolments": enrolments})


def _render_portal_enrolment(
    request: HttpRequest, enrolment_id: int, forms: dict[str, Any] | None = None
) -> HttpResponse:
    actor = request_actor(request)
    forms = forms or {}
    provider = access_provider_actor(actor)
    enrolment = selectors.portal_enrolment(provider, enrolment_id, gemeente_id=actor.gemeente_id)
    if enrolment is None:
        raise NotFound()
    services.record_enrolment_reads(actor, [enrolment], event_type="provider_enrolment_viewed", via="ui")
    context = {
        "provider": provider,
        "enrolment": enrolment,
        "person": enrolment.client_file.person,
        "can_decide": enrolment.status == EnrolmentStatus.VOORGESTELD,
        "can_report": enrolment.status
        in (EnrolmentStatus.GEACCEPTEERD, EnrolmentStatus.GESTOPT, EnrolmentStatus.AFGEROND),
        "decline_form": forms.get("decline_form") or DeclineForm(prefix="decline"),
        "report_form": forms.get("report_form") or WeeklyReportForm(prefix="report"),
        "exam_form": forms.get("exam_form") or ExamResultForm(prefix="exam"),
        "milestone_form": forms.get("milestone_form")
        or MilestoneForm(prefix="milestone", component=enrolment.component),
        "has_errors": bool(forms),
    }
    return render(request, "providers/portal_enrolment.html", context, status=400 if forms else 200)


@staff_view
@require_http_methods(["GET"])
def portal_enrolment(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    with transaction.atomic():
        return _render_portal_enrolment(request, enrolment_id)


@staff_view
@require_POST
def portal_action(request: HttpRequest, enrolment_id: int, action: str) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        _, enrolment = access_provider_enrolment(actor, enrolment_id, for_write=True)
        form: django_forms.Form
        if action == "accepteren":
            form = django_forms.Form(request.POST)
            done = _try(form, lambda: services.accept(actor=actor, enrolment=enrolment))
            key, success = "decline_form", "U hebt de plaatsing geaccepteerd."
        elif action == "weigeren":
            form = DeclineForm(request.POST, prefix="decline")
            done = form.is_valid() and _try(
                form, lambda: services.decline(actor=actor, enrolment=enrolment, reason=form.cleaned_data["reason"])
            )
            key, success = "decline_form", "U hebt de plaatsing geweigerd."
        elif action == "weekrapport":
            form = WeeklyReportForm(request.POST, prefix="report")
            result = form.is_valid() and _try(
                form,
                lambda: services.save_weekly_report(
                    actor=actor, enrolment=enrolment, data=form.cleaned_data, source=ReportSource.FORM
                ),
            )
            done = result
            outcome = result[1] if result else ""
            key = "report_form"
            success = {
                "created": "De week is opgeslagen.",
                "replaced": "De week is aangepast. De oude cijfers zijn bewaard.",
                "unchanged": "Deze week stond er al zo in. Er is niets veranderd.",
            }.get(outcome, "")
        elif action == "examen":
            form = ExamResultForm(request.POST, prefix="exam")
            done = form.is_valid() and _try(
                form, lambda: services.record_exam_result(actor=actor, enrolment=enrolment, data=form.cleaned_data)
            )
            key, success = "exam_form", "De uitslag is opgeslagen."
        elif action == "module":
            form = MilestoneForm(request.POST, prefix="milestone", component=enrolment.component)
            done = form.is_valid() and _try(
                form, lambda: services.record_milestone(actor=actor, enrolment=enrolment, data=form.cleaned_data)
            )
            key, success = "milestone_form", "Uw melding over de module is opgeslagen."
        else:
            raise NotFound()
        if not done:
            return _render_portal_enrolment(request, enrolment_id, {key: form})
    messages.success(request, success)
    return HttpResponseRedirect(reverse("portal:enrolment", kwargs={"enrolment_id": enrolment_id}))


@staff_view
@require_http_methods(["GET", "POST"])
def portal_upload(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    result = None
    with transaction.atomic():
        provider = access_provider_actor(actor)
        if request.method == "GET":
            form = CsvUploadForm()
        else:
            form = CsvUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                if upload.size > services.MAX_CSV_BYTES:
                    form.add_error(
                        "file",
                        f"Het bestand is te groot. Het mag hoogstens "
                        f"{services.MAX_CSV_BYTES // (1024 * 1024)} MB zijn.",
                    )
                else:
                    raw = upload.read()
                    result = _try(
                        form,
                        lambda: services.import_csv(
                            actor=actor, provider=provider, raw=raw, filename=upload.name or ""
                        ),
                    )
    return render(
        request,
        "providers/portal_upload.html",
        {"form": form, "provider": provider, "result": result, "rules": services.csv_rules()},
        status=400 if form.errors else 200,
    )


@staff_view
@require_http_methods(["GET"])
def portal_upload_template(request: HttpRequest) -> HttpResponse:
    """The template CSV (header and one example row) for provider users; no personal data in it."""
    access_provider_actor(request_actor(request))
    response = HttpResponse(services.csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="uren-voorbeeld.csv"'
    return response
