"""Handhaving pages of a client file (/dossiers/<file>/handhaving/...) and the teamleider's queue (/boetes/).

Views parse input, go through access_client_file / access_proposal (404 for missing, other gemeente and missing
capability), call one service and render. Every page that shows handhaving data writes ``handhaving_viewed`` in
the same transaction; every change goes through handhaving.services (audited there).
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
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Access, Section
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.audit.services import record_event
from openinburgering.clients.access import access_client_file, section_access
from openinburgering.clients.forms import add_application_errors, run_form_service
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.interop.duo_resultaten import resultaat_statuses
from openinburgering.plans.services import termijn_of

from . import selectors, services
from .access import access_decision, access_proposal, require_decider
from .forms import AchievementForm, BezwaarForm, DecisionForm, ExamConfirmForm, ExtensionForm, ProposalForm
from .models import DecisionOutcome, FineProposal

QUEUE_PAGE_SIZE = 25


def _may_change_handhaving(actor: Actor) -> bool:
    """Whether the handhaving pages offer their forms: only to who may change the handhaving section in this gemeente
    (need to know, #12 item 1), as every post demands; a gemeente may narrow a role to reading."""
    return actor.can(Capability.CHANGE_CLIENT_FILES) and section_access(actor, Section.HANDHAVING) >= Access.WRITE


def _index_url(client_file: ClientFile, anchor: str = "") -> str:
    return reverse("handhaving:index", kwargs={"file_id": client_file.pk}) + (f"#{anchor}" if anchor else "")


def _proposal_url(client_file: ClientFile, proposal: FineProposal, anchor: str = "") -> str:
    url = reverse("handhaving:proposal", kwargs={"file_id": client_file.pk, "proposal_id": proposal.pk})
    return url + (f"#{anchor}" if anchor else "")


def proposal_rows(proposals: list[FineProposal]) -> list[dict[str, Any]]:
    rows = []
    for proposal in proposals:
        decisions = list(proposal.decisions.all())
        rows.append({"proposal": proposal, "decisions": decisions, "latest": decisions[-1] if decisions else None})
    return rows


# ---------------------------------------------------------------------------------------------------------------
# Overview: boetes, and "Voldaan en verlenging"


def _render_index(
    request: HttpRequest,
    actor: Actor,
    client_file: ClientFile,
    *,
    achievement_form: AchievementForm | None = None,
    confirm_form: tuple[int, ExamConfirmForm] | None = None,
    voldaan_error: str = "",
    status: int = 200,
) -> HttpResponse:
    services.record_read(actor=actor, client_file=client_file, event_type="handhaving_viewed")
    version = services.current_pip(client_file)
    achievements = list(selectors.achievements_of(client_file))
    provider_exams = selectors.passed_provider_exams(client_file)
    achieved = services.with_confirmed_exams(services.achieved_so_far(achievements), provider_exams)
    failed_id, failed_form = confirm_form if confirm_form else (None, None)
    query = request.GET if request.method == "GET" else {}  # the extension check is a GET form
    extension_form = ExtensionForm(query or None) if query else ExtensionForm(initial={"requested_on": today()})
    extension = None
    if not query:
        extension = services.extension_check(client_file, version, achieved, requested_on=today())
    elif extension_form.is_valid():
        data = extension_form.cleaned_data
        extension = services.extension_check(
            client_file, version, achieved, requested_on=data["requested_on"] or today(),
            lesson_hours=data["lesson_hours"] or 0, all_lessons_attended=data["all_lessons_attended"],
        )  # fmt: skip
    context = {
        "client_file": client_file,
        "person": client_file.person,
        "version": version,
        "rows": proposal_rows(list(selectors.proposals_of(client_file))),
        "asielstatushouder": services.is_asielstatushouder(client_file),
        "keren_caution": services.KEREN_CAUTION,
        "achievements": achievements,
        "duo_statuses": resultaat_statuses(client_file=client_file),
        "provider_exams": [
            {
                "result": result,
                "confirmation": getattr(result, "confirmation", None),
                "form": failed_form if result.pk == failed_id else ExamConfirmForm(prefix=f"confirm-{result.pk}"),
            }
            for result in provider_exams
        ],
        "voldaan": services.voldaan_check(client_file, version, achieved),
        "extension": extension,
        "extension_form": extension_form,
        "termijn": termijn_of(client_file),
        "can_change": _may_change_handhaving(actor),
        "achievement_form": achievement_form or AchievementForm(prefix="achievement", initial={"achieved_on": today()}),
        "voldaan_error": voldaan_error,
        "has_errors": achievement_form is not None
        or confirm_form is not None
        or bool(voldaan_error)
        or bool(query and extension_form.errors),
    }
    return render(request, "handhaving/index.html", context, status=status)


@staff_view
@require_http_methods(["GET"])
def index(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.HANDHAVING)
        return _render_index(request, actor, client_file)


@staff_view
@require_POST
def achievement(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.HANDHAVING)
        form = AchievementForm(request.POST, prefix="achievement")
        run_form_service(
            form, lambda data: services.record_achievement(actor=actor, client_file=client_file, data=data)
        )
        if form.errors:
            return _render_index(request, actor, client_file, achievement_form=form, status=400)
    messages.success(request, "Het behaalde onderdeel is vastgelegd.")
    return HttpResponseRedirect(_index_url(client_file, "voldaan"))


@staff_view
@require_POST
def confirm_exam(request: HttpRequest, file_id: int, exam_result_id: int) -> HttpResponse:
    """Confirms a passed exam a provider reported, with where the DUO result was seen (#11)."""
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.HANDHAVING)
        form = ExamConfirmForm(request.POST, prefix=f"confirm-{exam_result_id}")
        run_form_service(
            form,
            lambda data: services.confirm_exam_result(
                actor=actor, client_file=client_file, exam_result_id=exam_result_id, evidence=data["evidence"]
            ),
        )
        if form.errors:
            return _render_index(request, actor, client_file, confirm_form=(exam_result_id, form), status=400)
    messages.success(request, "De examenuitslag is bevestigd. Hij telt nu mee voor voldaan.")
    return HttpResponseRedirect(_index_url(client_file, "aanbieder-examens"))


@staff_view
@require_POST
def record_voldaan(request: HttpRequest, file_id: int) -> HttpResponse:
    """Confirms voldaan when rules.voldaan says every part is done; the file then moves on to the vervolg."""
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.HANDHAVING)
        try:
            with transaction.atomic():
                services.record_voldaan(actor=actor, client_file=client_file)
        except NotFound:
            raise
        except ApplicationError as error:
            return _render_index(request, actor, client_file, voldaan_error=error.message, status=400)
    messages.success(request, "Voldaan is vastgelegd. Leg nu het vervolg vast: werk, opleiding of participatie.")
    return HttpResponseRedirect(reverse("followup:index", kwargs={"file_id": client_file.pk}))


# ---------------------------------------------------------------------------------------------------------------
# A proposal: the form with "Bereken", and one proposal with its decisions and bezwaren


@staff_view
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.HANDHAVING)
        asiel = services.is_asielstatushouder(client_file)
        preview = None
        status = 200
        if request.method == "POST":
            form = ProposalForm(request.POST, asielstatushouder=asiel)
            calculate = "calculate" in request.POST
            if form.is_valid():
                try:
                    with transaction.atomic():
                        if calculate:
                            preview = services.preview_fine(client_file=client_file, data=form.cleaned_data)
                        else:
                            proposal = services.propose_fine(
                                actor=actor, client_file=client_file, data=form.cleaned_data
                            )
                except NotFound:
                    raise
                except ApplicationError as error:
                    add_application_errors(form, error)
                else:
                    if not calculate:
                        messages.success(request, "Het boetevoorstel is opgeslagen. Een teamleider beslist erover.")
                        return HttpResponseRedirect(_proposal_url(client_file, proposal))
            status = 400 if form.errors else 200
        else:
            form = ProposalForm(asielstatushouder=asiel, initial={"established_on": today()})
        services.record_read(actor=actor, client_file=client_file, event_type="handhaving_viewed")
        return render(
            request,
            "handhaving/propose.html",
            {
                "client_file": client_file,
                "person": client_file.person,
                "version": services.current_pip(client_file),
                "form": form,
                "preview": preview,
                "asielstatushouder": asiel,
                "keren_caution": services.KEREN_CAUTION,
                "has_errors": bool(form.errors),
                "current_label": "Boete voorstellen",
            },
            status=status,
        )


def _render_proposal(
    request: HttpRequest,
    actor: Actor,
    client_file: ClientFile,
    proposal_id: int,
    *,
    decision_form: DecisionForm | None = None,
    bezwaar_forms: dict[int, BezwaarForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    proposal = selectors.proposal_detail(client_file, proposal_id)
    if proposal is None:
        raise NotFound()
    services.record_read(actor=actor, client_file=client_file, event_type="handhaving_viewed", subject=proposal)
    row = proposal_rows([proposal])[0]
    bezwaar_forms = bezwaar_forms or {}
    can_change = _may_change_handhaving(actor)
    can_decide = can_change and actor.can(Capability.DECIDE_FINES) and actor.user.pk != proposal.proposed_by_id
    context = {
        "client_file": client_file,
        "person": client_file.person,
        "proposal": proposal,
        "decisions": [
            {
                "decision": decision,
                "bezwaar_form": bezwaar_forms.get(decision.pk)
                or BezwaarForm(prefix=f"bezwaar-{decision.pk}", initial={"received_on": today()}),
                "can_bezwaar": can_change and decision.outcome == DecisionOutcome.OPGELEGD,
            }
            for decision in row["decisions"]
        ],
        "latest": row["latest"],
        "keren_caution": services.KEREN_CAUTION,
        "can_decide": can_decide,
        "own_proposal": actor.can(Capability.DECIDE_FINES) and not can_decide,
        "decision_form": decision_form or DecisionForm(prefix="decision"),
        "has_errors": decision_form is not None or bool(bezwaar_forms),
        "current_label": f"Boetevoorstel {proposal.pk}",
    }
    return render(request, "handhaving/proposal.html", context, status=status)


@staff_view
@require_http_methods(["GET"])
def proposal_detail(request: HttpRequest, file_id: int, proposal_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file, proposal = access_proposal(actor, file_id, proposal_id)
        return _render_proposal(request, actor, client_file, proposal.pk)


@staff_view
@require_POST
def decide(request: HttpRequest, file_id: int, proposal_id: int) -> HttpResponse:
    actor = require_decider(request_actor(request))
    with transaction.atomic():
        client_file, proposal = access_proposal(actor, file_id, proposal_id, for_write=True)
        form = DecisionForm(request.POST, prefix="decision")
        if form.is_valid():
            try:
                with transaction.atomic():
                    decision = services.decide_fine(
                        actor=actor, client_file=client_file, proposal=proposal,
                        outcome=form.cleaned_data["outcome"], reason=form.cleaned_data["reason"],
                    )  # fmt: skip
            except NotFound:
                raise
            except ApplicationError as error:
                add_application_errors(form, error)
        if form.errors:
            return _render_proposal(request, actor, client_file, proposal.pk, decision_form=form, status=400)
    if decision.outcome == DecisionOutcome.OPGELEGD:
        messages.success(request, "De boete is opgelegd. De boetebeschikking staat bij de brieven.")
    else:
        messages.success(request, "U heeft afgezien van een boete. De reden is vastgelegd.")
    return HttpResponseRedirect(_proposal_url(client_file, proposal, "besluiten"))


@staff_view
@require_POST
def bezwaar_create(request: HttpRequest, file_id: int, proposal_id: int, decision_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file, proposal = access_proposal(actor, file_id, proposal_id, for_write=True)
        decision = access_decision(proposal, decision_id)
        form = BezwaarForm(request.POST, prefix=f"bezwaar-{decision.pk}")
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.register_fine_bezwaar(
                        actor=actor, client_file=client_file, decision=decision,
                        received_on=form.cleaned_data["received_on"], grounds=form.cleaned_data["grounds"],
                    )  # fmt: skip
            except NotFound:
                raise
            except ApplicationError as error:
                add_application_errors(form, error)
        if form.errors:
            return _render_proposal(
                request, actor, client_file, proposal.pk, bezwaar_forms={decision.pk: form}, status=400
            )
    messages.success(request, "Het bezwaar is geregistreerd.")
    return HttpResponseRedirect(_proposal_url(client_file, proposal, "besluiten"))


# ---------------------------------------------------------------------------------------------------------------
# The teamleider's queue


@staff_view
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    actor = require_decider(request_actor(request))
    with transaction.atomic():
        page = Paginator(selectors.decision_queue(actor), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        record_event(
            actor=actor, event_type="fine_queue_viewed", purpose=services.PURPOSE,
            changes={"page": page.number, "result_count": page.paginator.count}, via="ui",
        )  # fmt: skip
        return render(request, "handhaving/queue.html", {"page_obj": page, "user_id": actor.user.pk})
