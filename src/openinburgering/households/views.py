"""The household section of a client file: add a member, end a membership. Both answer with a redirect to the
file (PRG); on an error the file page is shown again with the form and its Dutch messages."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from openinburgering.accounts.sections import Section
from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.clients.access import access_client_file
from openinburgering.clients.forms import submit_form
from openinburgering.clients.views import render_file_page

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
        return submit_form(
            request, form,
            lambda data: services.add_household_member(
                actor=actor, client_file=client_file, relation=data["relation"], started_on=data["started_on"],
                person_data=form.person_data(), education_kind=data["education_kind"],
                education_name=data["education_name"],
            ),
            errors=lambda form: render_file_page(
                request, actor, client_file, forms={"member_form": form, "open_form": "huishouden"}, status=400),
            success="Het gezinslid is toegevoegd aan het huishouden.", to=_household_url(client_file.pk),
        )  # fmt: skip


@staff_view
@require_POST
def end_member(request: HttpRequest, file_id: int, member_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        client_file = access_client_file(actor, file_id, for_write=True, section=Section.BASIS)
        return submit_form(
            request, EndMemberForm(request.POST, prefix=f"end-{member_id}"),
            lambda data: services.end_household_member(
                actor=actor, client_file=client_file, member_id=member_id, ended_on=data["ended_on"],
                reason=data["reason"],
            ),
            errors=lambda form: render_file_page(
                request, actor, client_file, forms={"end_member_forms": {member_id: form}, "open_form": "huishouden"},
                status=400,
            ),
            success="Het lidmaatschap van het huishouden is beëindigd. Het blijft zichtbaar in de geschiedenis.",
            to=_household_url(client_file.pk),
        )  # fmt: skip
