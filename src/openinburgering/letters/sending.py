"""The worklist of letters not yet sent (/brieven/), recording a letter as sent (portaal, digitaal) and print
batches for the post (#17 item 6). Views: parse, call one service or selector, render."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.clients.forms import run_form_service
from openinburgering.core.dates import today
from openinburgering.core.errors import NotFound

from . import selectors, services
from .access import access_letter
from .models import Channel, Letter, PrintBatch
from .views import zip_response

DATE = {"class": "utrecht-textbox utrecht-textbox--html-input", "type": "date"}


class SendForm(forms.Form):
    channel = forms.ChoiceField(
        label="Kanaal",
        choices=[(Channel.PORTAAL.value, "Mijn Inburgering met e-mail"), (Channel.DIGITAAL.value, "Digitale post")],
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
    )
    sent_on = forms.DateField(label="Verzonden op", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


class BatchForm(forms.Form):
    letters = forms.TypedMultipleChoiceField(label="Brieven", coerce=int, choices=[])
    sent_on = forms.DateField(label="Gaat op de post op", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))

    def __init__(self, *args: object, letter_ids: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature
        cast(forms.ChoiceField, self.fields["letters"]).choices = [(pk, str(pk)) for pk in letter_ids]


@staff_view
@require_http_methods(["GET"])
def unsent(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.VIEW_CLIENT_FILES)
    with transaction.atomic():
        letters: list[Letter] = list(selectors.unsent_letters(actor=actor))
        services.record_unsent_listed(actor=actor)
    initial = {"sent_on": today()}
    context = {
        "letters": letters,
        "send_form": SendForm(initial=initial),
        "batch_form": BatchForm(initial=initial, letter_ids=[letter.pk for letter in letters]),
        "may_send": actor.can(Capability.CHANGE_CLIENT_FILES),
    }
    return render(request, "letters/unsent.html", context)


@staff_view
@require_http_methods(["POST"])
def send(request: HttpRequest, file_id: int, letter_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    letter = access_letter(actor, file_id, letter_id)
    form = SendForm(request.POST)
    run_form_service(
        form, lambda data: services.record_sent(actor=actor, letter=letter, channel=data["channel"],
                                                sent_on=data["sent_on"]),
    )  # fmt: skip
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{letter.title}: {error}")
    else:
        messages.success(request, f"'{letter.title}' is vastgelegd als verstuurd.")
    return HttpResponseRedirect(reverse("letter-sending:unsent"))


@staff_view
@require_http_methods(["POST"])
def create_batch(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    ids = [int(v) for v in request.POST.getlist("letters") if v.isdigit()]
    form = BatchForm(request.POST, letter_ids=ids)
    batch = run_form_service(
        form, lambda data: services.create_print_batch(actor=actor, letter_ids=data["letters"],
                                                       sent_on=data["sent_on"]),
    )  # fmt: skip
    if batch is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"Printbatch: {error}")
        return HttpResponseRedirect(reverse("letter-sending:unsent"))
    messages.success(
        request,
        f"Printbatch {batch.pk} is gemaakt: de brieven staan als verstuurd per post op {batch.sent_on:%d-%m-%Y}.",
    )
    return HttpResponseRedirect(reverse("letter-sending:batch", kwargs={"batch_id": batch.pk}))


@staff_view
@require_http_methods(["GET"])
def batch_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    batch = PrintBatch.objects.filter(pk=batch_id, gemeente=actor.gemeente).first()
    if batch is None:
        raise NotFound()
    count = batch.dispatches.count()
    return render(request, "letters/batch.html", {"batch": batch, "count": count})


@staff_view
@require_http_methods(["GET"])
def batch_download(request: HttpRequest, batch_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.CHANGE_CLIENT_FILES)
    batch = PrintBatch.objects.filter(pk=batch_id, gemeente=actor.gemeente).first()
    if batch is None:
        raise NotFound()
    with transaction.atomic():
        content = services.print_batch_export(actor=actor, batch=batch)
    return zip_response(content, f"printbatch-{batch.pk}.zip")
