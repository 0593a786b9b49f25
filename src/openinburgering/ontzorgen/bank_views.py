"""The financieel consulent's bank pages (/ontzorgen/bank/...): import a camt.053 statement, the statements with
their lines, and the worklist of returned and unmatched lines, toeslagen not started and loslaten steps.

Only for who manages ontzorgen (MANAGE_ONTZORGEN: financieel consulent and teamleider); others get 404. Views
parse input, call one service or selector and render; every page that shows lines of client files audits one
read per file (``bank_worklist_viewed`` / ``bank_statements_viewed``) in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.audit.services import EventSubject, record_event, record_events
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound

from . import bank_selectors, camt, loslaten, reconcile, toeslagen
from .access import require_manager
from .models_bank import BankStatement, StatementLine
from .services import PURPOSE

PAGE_SIZE = 50


class StatementUploadForm(forms.Form):
    statement = forms.FileField(
        label="Bankafschrift (camt.053, XML)",
        help_text="Het afschrift van de rekening waarvan de gemeente de vaste lasten betaalt. "
        "Wij lezen camt.053.001.02 en camt.053.001.08.",
    )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label="Wat heeft u gedaan?", max_length=reconcile.MAX_NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )


def _audit_files(actor: Actor, event_type: str, file_ids: set[int], subject_id: str) -> None:
    record_events(
        event_type=event_type, purpose=PURPOSE, actor=actor,
        subjects=[
            EventSubject(gemeente_id=actor.gemeente_id, client_file_id=file_id, subject_type="bankstatement",
                         subject_id=subject_id)
            for file_id in sorted(file_ids)
        ],
    )  # fmt: skip


@staff_view
@require_http_methods(["GET", "POST"])
def statements(request: HttpRequest) -> HttpResponse:
    """The imported statements and the upload form; POST imports a statement (all or nothing)."""
    actor = require_manager(request_actor(request))
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["statement"]
            if upload.size > camt.MAX_BYTES:
                form.add_error("statement", "Het bestand is te groot.")
            else:
                try:
                    result = reconcile.import_statement(actor=actor, data=upload.read())
                except NotFound:
                    raise
                except ApplicationError as error:
                    form.add_error("statement", error.message)
                else:
                    statement = result.statements[0]
                    if result.created:
                        messages.success(
                            request,
                            f"Het afschrift is ingelezen: {result.paid} betaald, {result.returned} teruggekomen, "
                            f"{result.unmatched} niet herkend.",
                        )
                    else:
                        messages.info(request, "Dit afschrift was al ingelezen. Er is niets veranderd.")
                    return HttpResponseRedirect(
                        reverse("ontzorgen-bank:statement", kwargs={"statement_id": statement.pk})
                    )
        status = 400
    rows = BankStatement.objects.filter(gemeente_id=actor.gemeente_id).select_related("imported_by")
    page = Paginator(rows.order_by("-imported_at", "-id"), 25).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "has_errors": bool(form.errors)}
    return render(request, "ontzorgen/bank/statements.html", context, status=status)


@staff_view
@require_http_methods(["GET"])
def statement_detail(request: HttpRequest, statement_id: int) -> HttpResponse:
    actor = require_manager(request_actor(request))
    statement = BankStatement.objects.filter(pk=statement_id, gemeente_id=actor.gemeente_id).first()
    if statement is None:
        raise NotFound()
    lines = (
        StatementLine.objects.filter(statement=statement)
        .select_related("client_file__person", "payment__obligation", "resolution")
        .order_by("entry_index", "id")
    )
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    with transaction.atomic():
        file_ids = {line.client_file_id for line in page.object_list if line.client_file_id}
        _audit_files(actor, "bank_statements_viewed", file_ids, str(statement.pk))
        if not file_ids:
            record_event(
                actor=actor, event_type="bank_statements_viewed", purpose=PURPOSE, subject=statement,
                gemeente=actor.gemeente,
            )  # fmt: skip
    return render(request, "ontzorgen/bank/statement.html", {"statement": statement, "page_obj": page})


@staff_view
@require_http_methods(["GET"])
def worklist(request: HttpRequest) -> HttpResponse:
    """Returned and unmatched bank lines, toeslagen not started when ontzorgen ends, loslaten steps due."""
    actor = require_manager(request_actor(request))
    as_of = today()
    with transaction.atomic():
        lines = bank_selectors.open_lines(gemeente_id=actor.gemeente_id)
        gap = toeslagen.toeslagen_gap(gemeente_id=actor.gemeente_id, as_of=as_of)
        steps = loslaten.open_steps(gemeente_id=actor.gemeente_id, as_of=as_of)
        needing_plan = loslaten.files_needing_a_plan(gemeente_id=actor.gemeente_id, as_of=as_of)
        file_ids = (
            {line.client_file_id for line in lines if line.client_file_id}
            | {row.record.client_file_id for row in gap}
            | {row.step.client_file_id for row in steps}
            | {record.client_file_id for record in needing_plan}
        )
        _audit_files(actor, "bank_worklist_viewed", file_ids, "")
    context: dict[str, Any] = {
        "lines": [(line, ResolveForm(prefix=f"line-{line.pk}")) for line in lines],
        "gap": gap,
        "steps": steps,
        "needing_plan": needing_plan,
        "as_of": as_of,
    }
    return render(request, "ontzorgen/bank/worklist.html", context)


@staff_view
@require_POST
def resolve(request: HttpRequest, line_id: int) -> HttpResponse:
    actor = require_manager(request_actor(request))
    line = StatementLine.objects.filter(pk=line_id, gemeente_id=actor.gemeente_id).select_related("client_file").first()
    if line is None:
        raise NotFound()
    form = ResolveForm(request.POST, prefix=f"line-{line.pk}")
    note = request.POST.get(f"line-{line.pk}-note", "")
    try:
        reconcile.resolve_line(actor=actor, line=line, note=note)
    except NotFound:
        raise
    except ApplicationError as error:
        form.is_valid()
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("ontzorgen-bank:worklist") + f"#line-{line.pk}")
    messages.success(request, "De regel is afgehandeld.")
    return HttpResponseRedirect(reverse("ontzorgen-bank:worklist"))
