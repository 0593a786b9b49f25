"""A letter as the PDF that was sent (GET /dossiers/<file>/brieven/<letter>/). Opening it is audited."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from openinburgering.accounts.web import request_actor, staff_view

from . import services
from .access import access_letter


def pdf_response(content: bytes | memoryview, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view
@require_http_methods(["GET"])
def download(request: HttpRequest, file_id: int, letter_id: int) -> HttpResponse:
    actor = request_actor(request)
    with transaction.atomic():
        letter = access_letter(actor, file_id, letter_id)
        services.record_letter_read(actor=actor, letter=letter, via="ui")
    return pdf_response(letter.content, letter.filename)
