"""Intake pages for the leerbaarheidstoets (plan, result) and the route advice."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.access import (
    access_client_file,
)
from openinburgering.core.dates import today

from .. import selectors, services
from ..access import access_lbt
from ..forms import (
    LbtPlanForm,
    LbtResultForm,
    RouteForm,
)
from .overview import _form_page, _overview_url, _saved

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
