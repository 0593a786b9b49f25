"""Client pages that change a file or make one: aanmelding (a new person and file) and, on the file, a note, a status
change and the edit pages of the person and the file. The pages that only show (search, caseloads, the file page)
are ``clients.views``; on errors these pages show the file page again through ``views.render_file_page``.

Views parse input, go through access_client_file (404 for missing, other gemeente and missing capability) and
call one service; every change goes through clients.services (audited there).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability, RoleCode
from openinburgering.accounts.sections import Section
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, NotFound

from . import selectors, services, validation
from .access import access_client_file, access_note
from .choices import FileStatus
from .forms import (
    PERSON_ERROR_ALIASES,
    ClientFileForm,
    NoteForm,
    PersonForm,
    RegisterForm,
    StatusChangeForm,
    add_application_errors,
    submit_form,
)
from .models import ClientFile
from .views import render_file_page
from .workflow import manual_next_statuses

# ---------------------------------------------------------------------------------------------------------------
# Aanmelding


def _register_form(actor: Actor, data: QueryDict | None = None) -> RegisterForm:
    initial: dict[str, Any] = {"sex": "O"}
    if actor.role_code == RoleCode.KLANTREGISSEUR:
        initial["assigned_to"] = actor.user.pk
    form = RegisterForm(
        data, initial=initial, caseworkers=selectors.caseworkers_for(actor), teams=selectors.teams_for(actor)
    )
    form.set_code_choices(selectors.nationality_choices(), selectors.country_choices())
    return form


def _add_validation_errors(form: RegisterForm, actor: Actor) -> None:
    """The form itself found errors, so the service is not called. Ask the shared validation about the fields
    that did parse as well, so the user sees every problem in one go (not one round per kind of error)."""
    person = form.person_data()
    bsn = str(person.pop("bsn", "") or "")
    collected = validation.FieldErrors()
    if bsn:
        validation.clean_bsn(bsn, collected)

    def birth_on() -> date | None:  # only a birth date that passed its own checks is used for the others
        value = person.get("birth_on")
        return value if isinstance(value, date) and "birth_on" not in form.errors else None

    checks: list[Callable[[], object]] = [
        lambda: validation.check_person(gemeente_id=actor.gemeente_id, data=person, today=today()),
        lambda: validation.check_file_dates(data=form.file_data(), birth_on=birth_on(), today=today()),
        collected.raise_if_any,
    ]
    for check in checks:
        try:
            check()
        except ApplicationError as error:
            for field, field_messages in error.field_errors.items():
                name = PERSON_ERROR_ALIASES.get(field, field)
                if name in form.fields and name not in form.errors:
                    for message in field_messages:
                        form.add_error(name, message)


@staff_view
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    form = _register_form(actor, request.POST if request.method == "POST" else None)
    if request.method == "POST" and not form.is_valid():
        _add_validation_errors(form, actor)
    elif request.method == "POST":
        try:
            client_file = services.register_client(
                actor=actor,
                person_data=form.person_data(),
                file_data=form.file_data(),
                assigned_to=form.cleaned_data["assigned_to"],
                team=form.cleaned_data["team"],
            )
        except NotFound:
            raise
        except ApplicationError as error:
            add_application_errors(form, error, aliases=PERSON_ERROR_ALIASES)
        else:
            messages.success(request, "De aanmelding is opgeslagen. Het dossier is aangemaakt.")
            return redirect("clients:detail", file_id=client_file.pk)
    return render(request, "clients/register.html", {"form": form})


# ---------------------------------------------------------------------------------------------------------------
# Changes on the client file


def _file_url(client_file: ClientFile, anchor: str = "") -> str:
    return reverse("clients:detail", kwargs={"file_id": client_file.pk}) + (f"#{anchor}" if anchor else "")


@staff_view
@require_POST
def add_note(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.NOTITIES)
        form = NoteForm(request.POST)
        corrects = None
        if form.is_valid():
            if form.cleaned_data["corrects"]:
                corrects = access_note(actor, client_file, form.cleaned_data["corrects"])
            try:
                with transaction.atomic():
                    services.add_note(
                        actor=actor, client_file=client_file, body=form.cleaned_data["body"], corrects=corrects
                    )
            except NotFound:
                raise
            except ApplicationError as error:
                add_application_errors(form, error)
        if form.errors:
            raw_corrects = request.POST.get("corrects", "")
            if raw_corrects.isdigit():
                overrides = {
                    "correction_form": form,
                    "correction_errors": {int(raw_corrects): form},
                    "open_form": "notities",
                }
            else:
                overrides = {"note_form": form, "open_form": "notities"}
            return render_file_page(request, actor, client_file, forms=overrides, status=400)
    messages.success(request, "De correctie is opgeslagen." if corrects else "De notitie is opgeslagen.")
    return HttpResponseRedirect(_file_url(client_file, "notities"))


@staff_view
@require_POST
def change_status(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.BASIS)
        return submit_form(
            request, StatusChangeForm(request.POST, allowed=manual_next_statuses(client_file.status)),
            lambda data: services.change_status(
                actor=actor, client_file=client_file, to_status=data["to_status"], reason=data["reason"]),
            errors=lambda form: render_file_page(
                request, actor, client_file, forms={"status_form": form, "open_form": "status"}, status=400),
            success=lambda _: f"De status is gewijzigd naar {FileStatus(client_file.status).label}.",
            to=_file_url(client_file, "status"),
        )  # fmt: skip


def _edit_page(
    request: HttpRequest,
    file_id: int,
    *,
    template: str,
    make_form: Callable[[ClientFile, QueryDict | None], Any],
    save: Callable[[Actor, ClientFile, Any], Any],
    success: str,
    anchor: str,
) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.BASIS)
        form = make_form(client_file, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    save(actor, client_file, form)
            except NotFound:
                raise
            except ApplicationError as error:
                add_application_errors(form, error, aliases=PERSON_ERROR_ALIASES)
            else:
                messages.success(request, success)
                return HttpResponseRedirect(_file_url(client_file, anchor))
        # The edit page shows the person's data: that is a read of the file.
        services.record_file_read(actor=actor, client_file=client_file)
        return render(request, template, {"client_file": client_file, "person": client_file.person, "form": form})


def _person_form(client_file: ClientFile, data: QueryDict | None) -> PersonForm:
    form = PersonForm(data, initial=PersonForm.initial_for(client_file.person))
    form.set_code_choices(selectors.nationality_choices(), selectors.country_choices())
    return form


@staff_view
@require_http_methods(["GET", "POST"])
def edit_person(request: HttpRequest, file_id: int) -> HttpResponse:
    return _edit_page(
        request,
        file_id,
        template="clients/edit_person.html",
        make_form=_person_form,
        save=lambda actor, client_file, form: services.update_person(
            actor=actor, client_file=client_file, data=form.person_data()
        ),
        success="De persoonsgegevens zijn opgeslagen.",
        anchor="persoon",
    )


@staff_view
@require_http_methods(["GET", "POST"])
def edit_file(request: HttpRequest, file_id: int) -> HttpResponse:
    return _edit_page(
        request,
        file_id,
        template="clients/edit_file.html",
        make_form=lambda client_file, data: ClientFileForm(data, initial=ClientFileForm.initial_for(client_file)),
        save=lambda actor, client_file, form: services.update_client_file(
            actor=actor, client_file=client_file, data=form.file_data()
        ),
        success="De dossiergegevens zijn opgeslagen.",
        anchor="datums",
    )
