"""Pages of the functioneel beheerder for the koppelingen: the outgoing messages not yet sent, with "opnieuw
proberen" (/koppelingen/berichten/)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import request_actor, require, staff_view
from openinburgering.core.errors import ApplicationError, NotFound

from . import outbox, selectors, services


@staff_view
@require_http_methods(["GET"])
def outbox_page(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.MANAGE_INTEGRATIONS)
    with transaction.atomic():
        messages_ = list(selectors.open_messages(gemeente=actor.gemeente))
        counts = selectors.state_counts(gemeente=actor.gemeente)
        services.record_outbox_viewed(actor=actor)
    rows = [{"message": message, "kind_label": outbox.label_for(message.kind)} for message in messages_]
    return render(request, "interop/outbox.html", {"rows": rows, "counts": counts, "max_attempts": outbox.MAX_ATTEMPTS})


@staff_view
@require_http_methods(["POST"])
def retry(request: HttpRequest, message_id: int) -> HttpResponse:
    actor = request_actor(request)
    require(actor, Capability.MANAGE_INTEGRATIONS)
    try:
        services.retry_message(actor=actor, message_id=message_id)
    except NotFound:
        raise
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Het bericht staat weer in de wachtrij en wordt zo verzonden.")
    return HttpResponseRedirect(reverse("interop:outbox"))
