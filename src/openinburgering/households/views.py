"""The household section of a client file: add a member, end a membership. Both answer with a redirect to the
file (PRG); on an error the file page is shown again with the form and its Dutch messages."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from openinburgering.accounts.sections import Section
from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.clients.access import access_client_file
from openinburgering.clients.forms import add_application_errors
from openinburgering.clients.views import render_file_page
from openinburgering.core.errors import ApplicationError, NotFound

from . import services
from .forms import AddMemberForm, EndMemberForm


def _household_url(file_id: int) -> str:
    return reverse("clients:detail", kwargs={"file_id": file_id}) + "#huishouden"


@staff_view
@require_POST
def add_member(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.BASIS)
        form = AddMemberForm(request.POST, prefix="member")
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.add_household_member(
                        actor=actor,
                        client_file=client_file,
                        relation=form.cleaned_data["relation"],
                        started_on=form.cleaned_data["started_on"],
                        person_data=form.person_data(),
                        education_kind=form.cleaned_data["education_kind"],
                        education_name=form.cleaned_data["education_name"],
                    )
            except NotFound:
                raise
            except ApplicationError as error:
                add_application_errors(form, error)
        if form.errors:
            return render_file_page(
                request, actor, client_file, forms={"member_form": form, "open_form": "huishouden"}, status=400
            )
    messages.success(request, "Het gezinslid is toegevoegd aan het huishouden.")
    return HttpResponseRedirect(_household_url(client_file.pk))


@staff_view
@require_POST
def end_member(request: HttpRequest, file_id: int, member_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.BASIS)
        form = EndMemberForm(request.POST, prefix=f"end-{member_id}")
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.end_household_member(
                        actor=actor,
                        client_file=client_file,
                        member_id=member_id,
                        ended_on=form.cleaned_data["ended_on"],
                        reason=form.cleaned_data["reason"],
                    )
            except NotFound:
                raise
            except ApplicationError as error:
                add_application_errors(form, error)
        if form.errors:
            return render_file_page(
                request,
                actor,
                client_file,
                forms={"end_member_forms": {member_id: form}, "open_form": "huishouden"},
                status=400,
            )
    messages.success(
        request, "Het lidmaatschap van het huishouden is beëindigd. Het blijft zichtbaar in de geschiedenis."
    )
    return HttpResponseRedirect(_household_url(client_file.pk))
