"""Ontzorgen pages: a file's ontzorgen (/dossiers/<file>/ontzorgen/...), the financieel consulent's worklist, the
payment runs and the gemeente's account (/ontzorgen/...).

Views parse input, go through access (404 for missing, another gemeente, a closed section or a missing
capability), call one service or selector and render. Every page with personal data writes its read event in the
same transaction; every change goes through ontzorgen.services (audited there).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.sections import Access, Section
from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.audit.services import EventSubject, record_event, record_events
from openinburgering.clients.access import section_access
from openinburgering.clients.forms import add_application_errors, run_form_service
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound

from . import loslaten, reclaims, selectors, services
from .access import access_obligation, access_ontzorgen_file, access_run, may_approve, may_manage, require_manager
from .forms import (
    ExtensionForm,
    MachtigingForm,
    ObligationChangeForm,
    ObligationForm,
    OntzorgenForm,
    RunForm,
    SettingsForm,
)
from .models import STATUTORY_ITEMS, ObligationKind, OntzorgenSettings, PaymentRun
from .periods import month_label, month_start, next_month

RUNS_PAGE_SIZE = 24
RUN_PAYMENTS_PAGE_SIZE = 100
LEDGER_PAGE_SIZE = 100


def may_change_money(actor: Actor) -> bool:
    """The forms show only to who may change money and write the financiën section in this gemeente."""
    return may_manage(actor) and section_access(actor, Section.FINANCIEN) >= Access.WRITE


def _index_url(client_file: ClientFile, anchor: str = "") -> str:
    return reverse("ontzorgen:index", kwargs={"file_id": client_file.pk}) + (f"#{anchor}" if anchor else "")


# ---------------------------------------------------------------------------------------------------------------
# A file's ontzorgen


def _render_index(
    request: HttpRequest, actor: Actor, client_file: ClientFile, *, forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    forms = forms or {}
    record_event(
        actor=actor, event_type="ontzorgen_viewed", purpose=services.PURPOSE, client_file=client_file,
        subject=client_file,
    )  # fmt: skip
    as_of = today()
    record = selectors.record_of(client_file.pk)
    ledger_page = Paginator(selectors.ledger_of(client_file.pk), LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    record_initial: dict[str, Any] = {"receives_bijstand": True, "items": list(STATUTORY_ITEMS)}
    if record is not None:
        record_initial = {
            "receives_bijstand": record.receives_bijstand, "bijstand_start_on": record.bijstand_start_on,
            "bijstand_end_on": record.bijstand_end_on, "items": record.items, "maatwerk_reason": record.maatwerk_reason,
        }  # fmt: skip
    context = {
        "client_file": client_file,
        "person": client_file.person,
        "record": record,
        "stage": selectors.stage_of(record, as_of=as_of),
        "stage_labels": selectors.STAGE_LABELS,
        "items": [label for code, label in ObligationKind.choices if record and code in record.items],
        "extensions": list(record.extensions.order_by("recorded_at")) if record else [],
        "machtigingen": list(selectors.machtigingen_of(client_file.pk)),
        "obligations": list(selectors.obligations_of(client_file.pk)),
        "balances": selectors.balances_of(client_file.pk),
        "reclaims": selectors.reclaims_of(client_file.pk),
        "settlements": list(reclaims.settlements_of(client_file.pk)),
        "self_paid": loslaten.self_paid_obligations(client_file.pk),
        "ledger_page": ledger_page,
        "can_change": may_change_money(actor),
        "record_form": forms.get("record") or OntzorgenForm(prefix="record", initial=record_initial),
        "machtiging_form": forms.get("machtiging") or MachtigingForm(prefix="machtiging", initial={"given_on": as_of}),
        "extension_form": forms.get("extension") or ExtensionForm(prefix="extension", initial={"decided_on": as_of}),
        "has_errors": bool(forms),
    }
    return render(request, "ontzorgen/index.html", context, status=status)


@staff_view
@require_http_methods(["GET"])
def index(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_ontzorgen_file(actor, file_id)
        return _render_index(request, actor, client_file)


def _post_form(
    request: HttpRequest, file_id: int, key: str, form_class: type[Any], call: Any, success: str, anchor: str
) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_ontzorgen_file(actor, file_id, for_write=True)
        form = form_class(request.POST, prefix=key)
        run_form_service(form, lambda data: call(actor=actor, client_file=client_file, data=data))
        if form.errors:
            return _render_index(request, actor, client_file, forms={key: form}, status=400)
    messages.success(request, success)
    return HttpResponseRedirect(_index_url(client_file, anchor))


@staff_view
@require_POST
def record(request: HttpRequest, file_id: int) -> HttpResponse:
    return _post_form(
        request, file_id, "record", OntzorgenForm, services.record_ontzorgen,
        "De bijstand en het maatwerk zijn vastgelegd. De periode van ontzorgen is opnieuw berekend.", "periode",
    )  # fmt: skip


@staff_view
@require_POST
def machtiging(request: HttpRequest, file_id: int) -> HttpResponse:
    return _post_form(
        request, file_id, "machtiging", MachtigingForm, services.record_machtiging,
        "De machtiging is vastgelegd.", "machtiging",
    )  # fmt: skip


@staff_view
@require_POST
def extend(request: HttpRequest, file_id: int) -> HttpResponse:
    return _post_form(
        request, file_id, "extension", ExtensionForm, services.extend_ontzorgen,
        "De verlenging is vastgelegd.", "periode",
    )  # fmt: skip


@staff_view
@require_http_methods(["GET", "POST"])
def obligation_new(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_ontzorgen_file(actor, file_id, for_write=True)
        if request.method == "POST":
            form = ObligationForm(request.POST)
            created = run_form_service(
                form, lambda data: services.record_obligation(actor=actor, client_file=client_file, data=data)
            )
            if created is not None:
                messages.success(request, "De vaste last is vastgelegd.")
                return HttpResponseRedirect(_index_url(client_file, "vaste-lasten"))
        else:
            form = ObligationForm(initial={"start_on": month_start(today()), "day_of_month": 1})
        record_event(
            actor=actor, event_type="ontzorgen_viewed", purpose=services.PURPOSE, client_file=client_file,
            subject=client_file,
        )  # fmt: skip
        return render(
            request, "ontzorgen/obligation_form.html",
            {"client_file": client_file, "person": client_file.person, "form": form, "obligation": None,
             "has_errors": bool(form.errors), "current_label": "Vaste last toevoegen"},
            status=400 if form.errors else 200,
        )  # fmt: skip


@staff_view
@require_http_methods(["GET", "POST"])
def obligation_edit(request: HttpRequest, file_id: int, obligation_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_ontzorgen_file(actor, file_id, for_write=True)
        obligation = access_obligation(actor, client_file, obligation_id)
        if request.method == "POST":
            form = ObligationChangeForm(request.POST)
            changed = run_form_service(
                form,
                lambda data: services.change_obligation(
                    actor=actor, client_file=client_file, obligation=obligation, data=data
                ),
            )
            if changed is not None:
                messages.success(
                    request,
                    "De vaste last is gewijzigd. Een verschil met wat al betaald is, komt in de volgende betaalrun.",
                )
                return HttpResponseRedirect(_index_url(client_file, "vaste-lasten"))
        else:
            form = ObligationChangeForm(
                initial={
                    "kind": obligation.kind,
                    "creditor_name": obligation.creditor_name,
                    "iban": obligation.iban,
                    "bic": obligation.bic,
                    "creditor_reference": obligation.creditor_reference,
                    "polisnummer": obligation.polisnummer,
                    "description": obligation.description,
                    "amount_cents": services.format_cents(obligation.amount_cents).replace("€ ", ""),
                    "day_of_month": obligation.day_of_month,
                    "start_on": obligation.start_on,
                    "end_on": obligation.end_on,
                }
            )
        record_event(
            actor=actor, event_type="ontzorgen_viewed", purpose=services.PURPOSE, client_file=client_file,
            subject=obligation,
        )  # fmt: skip
        return render(
            request, "ontzorgen/obligation_form.html",
            {"client_file": client_file, "person": client_file.person, "form": form, "obligation": obligation,
             "has_errors": bool(form.errors), "current_label": "Vaste last wijzigen"},
            status=400 if form.errors else 200,
        )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# The financieel consulent's worklist


@staff_view
@require_http_methods(["GET"])
def worklist(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require_manager(actor)
    as_of = today()
    with transaction.atomic():
        starting = list(selectors.starting_this_month(actor.gemeente_id, as_of=as_of))
        ending = list(selectors.ending_soon(actor.gemeente_id, as_of=as_of))
        missing = list(selectors.obligations_missing_iban_or_machtiging(actor.gemeente_id, as_of=as_of))
        to_reclaim = selectors.reclaims_in(actor.gemeente_id)
        file_ids = sorted(
            {r.client_file_id for r in starting}
            | {r.client_file_id for r in ending}
            | {o.client_file_id for o in missing}
            | {r.obligation.client_file_id for r in to_reclaim}
        )
        record_events(
            event_type="ontzorgen_worklist_viewed", purpose=services.PURPOSE, actor=actor,
            subjects=[EventSubject(actor.gemeente_id, file_id, "clientfile", str(file_id)) for file_id in file_ids],
        )  # fmt: skip
        return render(
            request, "ontzorgen/worklist.html",
            {"starting": starting, "ending": ending, "missing": missing, "reclaims": to_reclaim, "as_of": as_of,
             "ending_days": selectors.ENDING_WITHIN_DAYS},
        )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Payment runs


def _require_run_page(actor: Actor) -> None:
    if not (may_manage(actor) or may_approve(actor)):
        raise NotFound()


@staff_view
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    _require_run_page(actor)
    form = RunForm(request.POST or None, initial={"month": next_month(month_start(today())).strftime("%Y-%m")})
    if request.method == "POST":
        require_manager(actor)
        if form.is_valid():
            try:
                run, created = services.build_run(actor=actor, month=form.cleaned_data["month"])
            except NotFound:
                raise
            except ApplicationError as error:
                add_application_errors(form, error)
            else:
                if created:
                    messages.success(
                        request, f"De betaalrun van {month_label(run.month)} is gemaakt. Een collega keurt hem goed."
                    )
                else:
                    messages.info(
                        request, f"De betaalrun van {month_label(run.month)} bestond al; er is niets veranderd."
                    )
                return HttpResponseRedirect(reverse("ontzorgen-team:run", kwargs={"run_id": run.pk}))
    with transaction.atomic():
        page = Paginator(selectors.runs_of(actor.gemeente_id), RUNS_PAGE_SIZE).get_page(request.GET.get("page"))
        record_event(
            actor=actor, event_type="payment_runs_listed", purpose=services.PURPOSE, subject_type="paymentrun",
            subject_id="list",
        )  # fmt: skip
        return render(
            request, "ontzorgen/runs.html",
            {"page": page, "form": form, "can_build": may_manage(actor),
             "has_account": OntzorgenSettings.objects.filter(gemeente_id=actor.gemeente_id).exists(),
             "has_errors": bool(form.errors)},
            status=400 if form.errors else 200,
        )  # fmt: skip


def _render_run(
    request: HttpRequest, actor: Actor, run: PaymentRun, *, error: str = "", status: int = 200
) -> HttpResponse:
    page = Paginator(selectors.payments_of(run), RUN_PAYMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    payments = list(page.object_list)
    record_events(
        event_type="payment_run_viewed", purpose=services.PURPOSE, actor=actor,
        subjects=[EventSubject(run.gemeente_id, file_id, "paymentrun", str(run.pk))
                  for file_id in sorted({payment.client_file_id for payment in payments})],
    )  # fmt: skip
    count, total = selectors.run_totals(run)
    payment_file = getattr(run, "payment_file", None) if run.is_approved else None
    return render(
        request, "ontzorgen/run.html",
        {"run": run, "page": page, "payments": payments, "count": count, "total": total,
         "payment_file": payment_file, "month_label": month_label(run.month),
         "can_approve": may_approve(actor) and not run.is_approved and run.built_by_id != actor.user.pk,
         "built_by_me": run.built_by_id == actor.user.pk, "error": error},
        status=status,
    )  # fmt: skip


@staff_view
@require_http_methods(["GET"])
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        run = access_run(actor, run_id)
        return _render_run(request, actor, run)


@staff_view
@require_POST
def run_approve(request: HttpRequest, run_id: int) -> HttpResponse:
    actor = request_actor(request)
    if not may_approve(actor):
        raise NotFound()
    with transaction.atomic():
        run = access_run(actor, run_id, for_write=True)
        try:
            with transaction.atomic():
                run, changed = services.approve_run(actor=actor, run=run)
        except NotFound:
            raise
        except ApplicationError as error:
            return _render_run(request, actor, access_run(actor, run_id), error=error.message, status=400)
    if changed:
        messages.success(request, "De betaalrun is goedgekeurd. Het SEPA-bestand is gemaakt en gecontroleerd.")
    else:
        messages.info(request, "Deze betaalrun was al goedgekeurd; er is niets veranderd.")
    return HttpResponseRedirect(reverse("ontzorgen-team:run", kwargs={"run_id": run.pk}))


@staff_view
@require_http_methods(["GET"])
def run_file(request: HttpRequest, run_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        run = access_run(actor, run_id)
        payment_file = services.record_file_download(actor=actor, run=run)
        response = HttpResponse(bytes(payment_file.content), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{payment_file.message_id}.xml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require_manager(actor)
    current = OntzorgenSettings.objects.filter(gemeente_id=actor.gemeente_id).first()
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if run_form_service(form, lambda data: services.save_settings(actor=actor, data=data)) is not None:
            messages.success(request, "De rekening van de gemeente is opgeslagen.")
            return HttpResponseRedirect(reverse("ontzorgen-team:runs"))
    else:
        form = SettingsForm(
            initial={"debtor_name": current.debtor_name, "debtor_iban": current.debtor_iban,
                     "debtor_bic": current.debtor_bic} if current else {"debtor_name": actor.gemeente.name}
        )  # fmt: skip
    return render(
        request, "ontzorgen/account.html", {"form": form, "has_errors": bool(form.errors)},
        status=400 if form.errors else 200,
    )  # fmt: skip
