"""PIP pages of a client file (/dossiers/<file>/pip/...); the teamleider's queue (/pip/) is in ``team_views``.

Views parse input, go through access_client_file / access_version (404 for missing, other gemeente and missing
capability), call one service and render. Every page that shows PIP data writes ``pip_viewed`` in the same
transaction; every change goes through plans.services (audited there).
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

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Access, Section
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.access import access_client_file, section_access
from openinburgering.clients.forms import add_application_errors
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.intakes.choices import Leefgebied

from . import selectors, services
from .access import access_bezwaar, access_progress_talk, access_version, require_approver
from .choices import PipStatus
from .forms import (
    AgreementFormSet,
    BezwaarForm,
    BezwaarStatusForm,
    ClientResponseForm,
    DraftForm,
    ProgressTalkForm,
    RejectForm,
    TalkDateFormSet,
    agreement_rows,
    talk_dates,
    talk_formset,
)
from .models import PipVersion


def _may_change_pip(actor: Actor) -> bool:
    """Whether the PIP pages offer their forms: only to who may change the PIP section in this gemeente (need to know,
    #12 item 1), as every post demands (access_client_file for_write); a gemeente may narrow a role to reading."""
    return actor.can(Capability.CHANGE_CLIENT_FILES) and section_access(actor, Section.PIP) >= Access.WRITE


def _index_url(client_file: ClientFile) -> str:
    return reverse("plans:index", kwargs={"file_id": client_file.pk})


def _version_url(client_file: ClientFile, version: PipVersion, anchor: str = "") -> str:
    url = reverse("plans:version", kwargs={"file_id": client_file.pk, "version_id": version.pk})
    return url + (f"#{anchor}" if anchor else "")


def _apply(form: django_forms.Form, error: ApplicationError) -> None:
    """Service errors on their fields; errors of fields the form does not have (doelgroep, dagtekening,
    agreements, four eyes) become errors of the whole form, so the summary still names them."""
    add_application_errors(form, error)


# ---------------------------------------------------------------------------------------------------------------
# Overview of the versions and the voortgangsgesprekken


def _render_index(
    request: HttpRequest,
    actor: Actor,
    client_file: ClientFile,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    services.record_pip_read(actor=actor, client_file=client_file)
    rows = selectors.pip_index_of(client_file)
    talk_forms: dict[int, ProgressTalkForm] = forms.get("talk_forms", {})
    context = {
        "client_file": client_file,
        "person": client_file.person,
        "versions": rows.versions,
        "talk_rows": [
            {
                "talk": talk,
                "form": talk_forms.get(talk.pk)
                or ProgressTalkForm(prefix=f"talk-{talk.pk}", initial={"held_on": today()}),
            }
            for talk in rows.talks
        ],
        "can_change": _may_change_pip(actor),
        "create_form": forms.get("create_form") or django_forms.Form(),
        "has_errors": bool(forms),
    }
    return render(request, "plans/index.html", context, status=status)


@staff_view
@require_http_methods(["GET"])
def index(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.PIP)
        return _render_index(request, actor, client_file)


@staff_view
@require_POST
def create(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.PIP)
        try:
            with transaction.atomic():
                version = services.create_draft(actor=actor, client_file=client_file)
        except NotFound:
            raise
        except ApplicationError as error:
            form = django_forms.Form()
            form.add_error(None, error.message)
            return _render_index(request, actor, client_file, forms={"create_form": form}, status=400)
    messages.success(request, f"Versie {version.number} van het PIP is gemaakt. Vul het concept aan.")
    return HttpResponseRedirect(reverse("plans:edit", kwargs={"file_id": client_file.pk, "version_id": version.pk}))


@staff_view
@require_POST
def progress_talk(request: HttpRequest, file_id: int, talk_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.PIP)
        talk = access_progress_talk(client_file, talk_id, for_write=True)
        form = ProgressTalkForm(request.POST, prefix=f"talk-{talk.pk}")
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.record_progress_talk(
                        actor=actor, client_file=client_file, talk=talk, held_on=form.cleaned_data["held_on"],
                        summary=form.cleaned_data["summary"],
                    )  # fmt: skip
            except NotFound:
                raise
            except ApplicationError as error:
                _apply(form, error)
        if form.errors:
            return _render_index(request, actor, client_file, forms={"talk_forms": {talk.pk: form}}, status=400)
    messages.success(request, "Het voortgangsgesprek is vastgelegd.")
    return HttpResponseRedirect(_index_url(client_file) + "#gesprekken")


# ---------------------------------------------------------------------------------------------------------------
# One version: its content, history, bezwaren and the actions that fit its status


def _render_version(
    request: HttpRequest,
    actor: Actor,
    client_file: ClientFile,
    version_id: int,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    version = selectors.version_with_history(client_file, version_id)
    if version is None:
        raise NotFound()
    services.record_pip_read(actor=actor, client_file=client_file, subject=version)
    can_change = _may_change_pip(actor)
    user_id = actor.user.pk
    can_approve = (
        can_change
        and actor.can(Capability.APPROVE_PIP)
        and version.status == PipStatus.TER_GOEDKEURING
        and user_id not in (version.drafted_by_id, version.submitted_by_id)
    )
    groups: dict[str, list[Any]] = {}
    show_health = services.health_open(actor, client_file)
    health_hidden = False
    for row in version.agreements.all():
        if row.leefgebied == Leefgebied.GEZONDHEID and not show_health:
            health_hidden = True  # health data only with the person's consent (#12 item 1)
            continue
        groups.setdefault(row.get_leefgebied_display(), []).append(row)
    bezwaren = list(version.bezwaren.all())
    status_forms: dict[int, BezwaarStatusForm] = forms.get("bezwaar_status_forms", {})
    context = {
        "client_file": client_file,
        "person": client_file.person,
        "version": version,
        "agreement_groups": sorted(groups.items()),
        "health_hidden": health_hidden,
        "events": list(version.events.all()),
        "talks": list(version.progress_talks.all()),
        "bezwaar_rows": [
            {
                "bezwaar": bezwaar,
                "form": status_forms.get(bezwaar.pk)
                or BezwaarStatusForm(
                    prefix=f"bezwaar-{bezwaar.pk}", initial={"status": bezwaar.status, "decided_on": bezwaar.decided_on}
                ),
            }
            for bezwaar in bezwaren
        ],
        "termijn": services.termijn_of(client_file),
        "ontzorgen_items": services.ontzorgen_labels(version.ontzorgen_items),
        "can_change": can_change,
        "can_edit": can_change and version.status == PipStatus.CONCEPT,
        "can_submit": can_change and version.status == PipStatus.CONCEPT,
        "can_approve": can_approve,
        "own_version_waiting": actor.can(Capability.APPROVE_PIP)
        and version.status == PipStatus.TER_GOEDKEURING
        and not can_approve,
        "can_respond": can_change and version.status == PipStatus.VASTGESTELD,
        "can_bezwaar": can_change and version.dagtekening_on is not None,
        "action_form": forms.get("action_form") or django_forms.Form(),
        "reject_form": forms.get("reject_form") or RejectForm(prefix="reject"),
        "response_form": forms.get("response_form")
        or ClientResponseForm(prefix="response", initial={"response_on": today()}),
        "bezwaar_form": forms.get("bezwaar_form") or BezwaarForm(prefix="bezwaar", initial={"received_on": today()}),
        "has_errors": bool(forms),
    }
    return render(request, "plans/version.html", context, status=status)


@staff_view
@require_http_methods(["GET"])
def version_detail(request: HttpRequest, file_id: int, version_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, section=Section.PIP)
        return _render_version(request, actor, client_file, version_id)


def _version_action(
    request: HttpRequest,
    file_id: int,
    version_id: int,
    *,
    form: django_forms.Form,
    form_key: str,
    run: Callable[[Actor, ClientFile, PipVersion, django_forms.Form], Any],
    success: str,
    anchor: str = "",
) -> HttpResponse:
    """A POST on a version: lock the file and the version, validate, call the service; errors re-render the
    version page (400) with the form that failed."""
    actor = request_actor(request)
    with transaction.atomic():
        client_file, version = access_version(actor, file_id, version_id, for_write=True)
        if form.is_valid():
            try:
                with transaction.atomic():
                    run(actor, client_file, version, form)
            except NotFound:
                raise
            except ApplicationError as error:
                _apply(form, error)
        if form.errors:
            return _render_version(request, actor, client_file, version.pk, forms={form_key: form}, status=400)
    messages.success(request, success)
    return HttpResponseRedirect(_version_url(client_file, version, anchor))


@staff_view
@require_POST
def submit(request: HttpRequest, file_id: int, version_id: int) -> HttpResponse:
    return _version_action(
        request, file_id, version_id, form=django_forms.Form(request.POST), form_key="action_form",
        run=lambda actor, client_file, version, form: services.submit(
            actor=actor, client_file=client_file, version=version
        ),
        success="Het PIP is ter goedkeuring aangeboden aan een teamleider.",
    )  # fmt: skip


@staff_view
@require_POST
def approve(request: HttpRequest, file_id: int, version_id: int) -> HttpResponse:
    require_approver(request_actor(request))
    return _version_action(
        request, file_id, version_id, form=django_forms.Form(request.POST), form_key="action_form",
        run=lambda actor, client_file, version, form: services.approve(
            actor=actor, client_file=client_file, version=version
        ),
        success="Het PIP is goedgekeurd en vastgesteld. De beschikking staat bij de brieven.",
    )  # fmt: skip


@staff_view
@require_POST
def reject(request: HttpRequest, file_id: int, version_id: int) -> HttpResponse:
    require_approver(request_actor(request))
    return _version_action(
        request, file_id, version_id, form=RejectForm(request.POST, prefix="reject"), form_key="reject_form",
        run=lambda actor, client_file, version, form: services.reject(
            actor=actor, client_file=client_file, version=version, comment=form.cleaned_data["comment"]
        ),
        success="Het PIP is teruggestuurd naar de klantregisseur.",
    )  # fmt: skip


@staff_view
@require_POST
def client_response(request: HttpRequest, file_id: int, version_id: int) -> HttpResponse:
    return _version_action(
        request, file_id, version_id, form=ClientResponseForm(request.POST, prefix="response"),
        form_key="response_form",
        run=lambda actor, client_file, version, form: services.record_client_response(
            actor=actor, client_file=client_file, version=version, agreement=form.cleaned_data["agreement"],
            comments=form.cleaned_data["comments"], response_on=form.cleaned_data["response_on"],
        ),
        success="De reactie van de persoon is vastgelegd.", anchor="reactie",
    )  # fmt: skip


@staff_view
@require_POST
def bezwaar_create(request: HttpRequest, file_id: int, version_id: int) -> HttpResponse:
    return _version_action(
        request, file_id, version_id, form=BezwaarForm(request.POST, prefix="bezwaar"), form_key="bezwaar_form",
        run=lambda actor, client_file, version, form: services.register_bezwaar(
            actor=actor, client_file=client_file, version=version, received_on=form.cleaned_data["received_on"],
            grounds=form.cleaned_data["grounds"],
        ),
        success="Het bezwaar is geregistreerd.", anchor="bezwaren",
    )  # fmt: skip


@staff_view
@require_POST
def bezwaar_update(request: HttpRequest, file_id: int, version_id: int, bezwaar_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file, version = access_version(actor, file_id, version_id, for_write=True)
        bezwaar = access_bezwaar(version, bezwaar_id)
        form = BezwaarStatusForm(request.POST, prefix=f"bezwaar-{bezwaar.pk}")
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.update_bezwaar(
                        actor=actor, client_file=client_file, bezwaar=bezwaar, status=form.cleaned_data["status"],
                        decided_on=form.cleaned_data["decided_on"],
                    )  # fmt: skip
            except NotFound:
                raise
            except ApplicationError as error:
                _apply(form, error)
        if form.errors:
            return _render_version(
                request, actor, client_file, version.pk, forms={"bezwaar_status_forms": {bezwaar.pk: form}}, status=400
            )
    messages.success(request, "De status van het bezwaar is opgeslagen.")
    return HttpResponseRedirect(_version_url(client_file, version, "bezwaren"))


# ---------------------------------------------------------------------------------------------------------------
# Edit a concept


def _apply_draft_errors(
    form: DraftForm, talks: Any, agreement_forms: list[django_forms.Form], error: ApplicationError
) -> None:
    """A service's errors on the field they belong to: ``progress_talk_dates`` on the first date row,
    ``agreements.<i>.<field>`` on row i of the agreements that were sent (the service numbers only the rows it got,
    so its "Afspraak N: " prefix is left off; the summary names the row as the page does). The rest as usual."""
    rest: dict[str, list[str]] = {}
    for key, texts in error.field_errors.items():
        parts = key.split(".")
        if key == "progress_talk_dates" and talks.forms:
            for message in texts:
                talks.forms[0].add_error("on", message)
        elif (
            len(parts) == 3 and parts[0] == "agreements" and parts[1].isdigit() and int(parts[1]) < len(agreement_forms)
        ):
            target = agreement_forms[int(parts[1])]
            for message in texts:
                text = message.split(": ", 1)[1] if message.startswith("Afspraak ") and ": " in message else message
                target.add_error(parts[2] if parts[2] in target.fields else None, text[:1].upper() + text[1:])
        else:
            rest[key] = texts
    if rest or not error.field_errors:
        _apply(form, ApplicationError(error.message, field_errors=rest))


_OPTIONAL_GROUPS = {
    "bijstand": ("receives_bijstand", "bijstand_start_on"),
    "randvoorwaarden": ("vve", "kinderopvang", "reiskosten", "lestijden", "duaal"),
}


def _open_groups(form: DraftForm) -> dict[str, bool]:
    """The folded groups of the form that open: they hold a value or an error (a summary link must reach it)."""
    return {
        group: any(form[name].errors or form[name].value() for name in names)
        for group, names in _OPTIONAL_GROUPS.items()
    }


@staff_view
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, file_id: int, version_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    with transaction.atomic():
        client_file, version = access_version(actor, file_id, version_id, for_write=request.method == "POST")
        show_health = services.health_open(actor, client_file)
        if version.status != PipStatus.CONCEPT:
            messages.info(request, "Deze versie is geen concept meer en kan niet worden gewijzigd.")
            return HttpResponseRedirect(_version_url(client_file, version))
        if request.method == "POST":
            data = request.POST.copy()
            # No JavaScript needed: the server adds two empty rows and shows the form again.
            adding = "add_rows" in data or "add_talks" in data
            for button, prefix, limit in (("add_rows", "agreements", 60), ("add_talks", "talks", 24)):
                if button in data:
                    total = int(data.get(f"{prefix}-TOTAL_FORMS", "0") or 0)
                    data[f"{prefix}-TOTAL_FORMS"] = str(min(total + 2, limit))
            form = DraftForm(data, version=version)
            talks = TalkDateFormSet(data, prefix="talks")
            formset = AgreementFormSet(data, prefix="agreements")
            if not adding and form.is_valid() and talks.is_valid() and formset.is_valid():
                rows, row_forms = agreement_rows(formset)
                try:
                    with transaction.atomic():
                        services.update_draft(
                            actor=actor, client_file=client_file, version=version,
                            data=form.draft_data(talk_dates(talks)), agreements=rows,
                        )  # fmt: skip
                except NotFound:
                    raise
                except ApplicationError as error:
                    _apply_draft_errors(form, talks, row_forms, error)
                    version.refresh_from_db()
                else:
                    messages.success(request, "Het concept is opgeslagen.")
                    return HttpResponseRedirect(_version_url(client_file, version))
        else:
            form = DraftForm(initial=DraftForm.initial_for(version), version=version)
            talks = talk_formset(version)
            formset = AgreementFormSet(
                prefix="agreements",
                initial=[
                    {name: getattr(row, name) for name in ("leefgebied", "goal", "action", "responsible", "due_on")}
                    for row in version.agreements.order_by("position", "id")
                    if show_health or row.leefgebied != Leefgebied.GEZONDHEID
                ],
            )
        services.record_pip_read(actor=actor, client_file=client_file, subject=version)
        has_errors = any(
            [form.errors, *(f.errors for f in talks.forms), talks.non_form_errors(),
             *(f.errors for f in formset.forms), formset.non_form_errors()]
        )  # fmt: skip
        return render(
            request,
            "plans/edit.html",
            {
                "client_file": client_file,
                "person": client_file.person,
                "version": version,
                "form": form,
                "talks": talks,
                "formset": formset,
                "formsets": [talks, formset],
                "open_groups": _open_groups(form),
                "has_errors": has_errors,
                "health_hidden": not show_health
                and version.agreements.filter(leefgebied=Leefgebied.GEZONDHEID).exists(),
            },
            status=400 if has_errors else 200,
        )
