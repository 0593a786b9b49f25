"""Confirming a move the periodic BRP check found: a button on the signal's page (``signals:resolve``) and the same in
the API (``POST /api/v1/brp-controle/verhuizingen/{id}/bevestigen``). The work is ``brp_check.confirm_move``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.api.permissions import actor_of
from openinburgering.api.schema import problems
from openinburgering.core.errors import ApplicationError

from . import brp_check


@staff_view
@require_http_methods(["POST"])
def confirm_move(request: HttpRequest, file_signal_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        brp_check.confirm_move(actor=actor, file_signal_id=file_signal_id, via="ui")
    except ApplicationError as error:
        if error.status_code == 404:
            raise
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("signals:resolve", kwargs={"file_signal_id": file_signal_id}))
    messages.success(request, "De verhuizing is bevestigd. Het dossier staat op 'Verhuisd'.")
    return HttpResponseRedirect(reverse("signals:file-signals"))


ConfirmedMove = inline_serializer(
    name="ConfirmedMove",
    fields={
        "file_signal_id": serializers.IntegerField(),
        "client_file_id": serializers.IntegerField(),
        "status": serializers.CharField(help_text="The file's status after the confirmation: verhuisd."),
        "resolved_at": serializers.DateTimeField(),
    },
)


class ConfirmMoveView(APIView):
    @extend_schema(
        operation_id="brp_check_confirm_move",
        summary="Confirm a move out of the gemeente that the daily BRP check found: the file goes to verhuisd",
        request=None,
        responses={200: ConfirmedMove, **problems(400, 401, 404)},
        tags=["koppelingen"],
    )
    def post(self, request: Request, file_signal_id: int) -> Response:
        actor = actor_of(request)
        signal = brp_check.confirm_move(actor=actor, file_signal_id=file_signal_id, via="api")
        body: dict[str, Any] = {
            "file_signal_id": signal.pk, "client_file_id": signal.client_file_id, "status": "verhuisd",
            "resolved_at": signal.resolved_at,
        }  # fmt: skip
        return Response(body)
