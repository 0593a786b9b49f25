"""Pages of the council report (#16 item 6): /monitoring/raad/ (list, new report), /monitoring/raad/<id>/ (the
figures and a text per theme, edit while a concept; make the PDF), /monitoring/raad/<id>/rapport.pdf. Only for
VIEW_MONITORING in the report's gemeente (otherwise 404); every read, change and download is audited by the
services in the request's transaction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.forms import run_form_service
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError
from openinburgering.letters.views import pdf_response
from openinburgering.providers.forms import AREA, TEXT

from . import council_services as services
from .council import TEXT_MAX_LENGTH
from .council_models import CouncilReport, CouncilReportStatus
from .figures import Filters, add_months
from .forms import _month


class CouncilReportForm(forms.Form):
    titel = forms.CharField(
        label="Titel", max_length=200, widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": "Geef het rapport een titel.",
                        "max_length": "De titel is te lang (hoogstens 200 tekens)."},
    )  # fmt: skip
    van = _month("Eerste maand")
    tot = _month("Laatste maand")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, word in (("van", "eerste"), ("tot", "laatste")):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = f"Vul de {word} maand in, bijvoorbeeld 2025-01."
        default = Filters(month_from=add_months(today().replace(day=1), -12), month_to=add_months(
            today().replace(day=1), -1))  # fmt: skip
        self.fields["titel"].initial = "Stand van zaken inburgering"
        self.fields["van"].initial = default.month_from
        self.fields["tot"].initial = default.month_to


class CouncilTextsForm(forms.Form):
    """One text per theme of the report, in the order of the report."""

    def __init__(self, *args: Any, themes: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for theme in themes:
            self.fields[f"tekst_{theme['key']}"] = forms.CharField(
                label=f"Tekst bij '{theme['title']}'", required=False, max_length=TEXT_MAX_LENGTH,
                widget=forms.Textarea(attrs={**AREA, "rows": 5}),
                help_text=f"Schrijf in gewone taal wat opvalt. Hoogstens {TEXT_MAX_LENGTH} tekens.",
            )  # fmt: skip

    def texts(self) -> dict[str, str]:
        return {name.removeprefix("tekst_"): value for name, value in self.cleaned_data.items()}


def _viewer(request: HttpRequest) -> Any:
    actor = request_actor(request)
    require(actor, Capability.VIEW_MONITORING)
    return actor


@staff_view
@require_http_methods(["GET", "POST"])
def council_list(request: HttpRequest) -> HttpResponse:
    actor = _viewer(request)
    form = CouncilReportForm(request.POST or None)
    if request.method == "POST":
        report = run_form_service(form, lambda data: services.create_report(
            actor=actor, title=data["titel"], month_from=data["van"], month_to=data["tot"]))  # fmt: skip
        if report is not None:
            messages.success(request, "Het rapport is begonnen. Lees de cijfers en pas de teksten aan.")
            return HttpResponseRedirect(reverse("monitoring:council-detail", args=[report.pk]))
    with transaction.atomic():
        reports = list(services.reports_of(actor))
        services.record_list(actor=actor, count=len(reports))
    status = 400 if form.errors else 200
    return render(request, "monitoring/council_list.html", {"form": form, "reports": reports}, status=status)


@staff_view
@require_http_methods(["GET", "POST"])
def council_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = _viewer(request)
    with transaction.atomic():
        report = services.access_council_report(actor, report_id)
        services.record_view(actor=actor, report=report)
    themes = report.snapshot["themes"]
    initial = {f"tekst_{key}": text for key, text in report.texts.items()}
    form = CouncilTextsForm(request.POST or None, themes=themes, initial=initial)
    if request.method == "POST":
        make = "maken" in request.POST

        def save(data: dict[str, Any]) -> CouncilReport:
            saved = services.update_texts(actor=actor, report=report, texts=form.texts())
            return services.start_generation(actor=actor, report=saved) if make else saved

        if run_form_service(form, save) is not None:
            messages.success(request, "De PDF wordt gemaakt. Dat duurt meestal minder dan een minuut." if make
                             else "De teksten zijn bewaard.")  # fmt: skip
            return HttpResponseRedirect(reverse("monitoring:council-detail", args=[report.pk]))
    context = services.report_context(report) | {
        "form": form,
        "fields": {name.removeprefix("tekst_"): form[name] for name in form.fields},
        "editable": report.status == CouncilReportStatus.CONCEPT,
        "running": services.generation_running(report),
        "failed": services.job_failed(report),
    }
    return render(request, "monitoring/council_detail.html", context, status=400 if form.errors else 200)


@staff_view
@require_POST
def council_refresh(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = _viewer(request)
    try:
        with transaction.atomic():
            report = services.access_council_report(actor, report_id)
            services.refresh_figures(actor=actor, report=report)
        messages.success(request, "De cijfers zijn opnieuw opgehaald. Kijk of uw teksten nog kloppen.")
    except ApplicationError as error:
        if error.status_code == 404:
            raise
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("monitoring:council-detail", args=[report_id]))


@staff_view
@require_POST
def council_generate(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = _viewer(request)
    with transaction.atomic():
        report = services.access_council_report(actor, report_id)
        services.start_generation(actor=actor, report=report)
    messages.success(request, "De taak is gestart. Ververs deze pagina over een minuut.")
    return HttpResponseRedirect(reverse("monitoring:council-detail", args=[report_id]))


@staff_view
@require_http_methods(["GET"])
def council_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = _viewer(request)
    with transaction.atomic():
        report = services.access_council_report(actor, report_id)
        content = services.pdf_of(actor=actor, report=report)
    response = pdf_response(content, report.filename)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'  # the link says "Download"
    return response
