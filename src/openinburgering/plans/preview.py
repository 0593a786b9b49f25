"""The beschikking of a PIP version before it is vastgesteld, as a PDF marked "CONCEPT" on every page (issue #11
item 6): so the teamleider reads what the person will get before approving, and the klantregisseur can check it.

Not stored as a Letter (only the vastgestelde beschikking is sent); opening it is audited as a read of the plan
(``pip_viewed`` in the UI, ``pip_read`` in the API). Who may: the approver roles (``approve_pip``) and the
klantregisseur the file is assigned to; anyone else gets 404, as for a missing version.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.web import request_actor, staff_view
from openinburgering.api.schema import problems
from openinburgering.api.views.base import CLIENT_ID, ApiView
from openinburgering.clients.models import ClientFile
from openinburgering.core import dates as core_dates
from openinburgering.core.errors import ApplicationError, NotFound
from openinburgering.intakes.choices import Leerroute
from openinburgering.letters.services import render_letter
from openinburgering.letters.views import pdf_response

from . import services
from .access import access_version
from .api import VERSION_ID
from .choices import PipStatus
from .models import PipVersion

PREVIEW_TEMPLATE = "letters/pip_beschikking_concept.html"
NO_LEERROUTE = "Kies eerst een leerroute in het PIP. Daarna kunt u het concept van de beschikking bekijken."


def access_preview(
    actor: Actor | None, client_file_id: int | str, version_id: int | str
) -> tuple[ClientFile, PipVersion]:
    """The file and version, for an approver or the file's own klantregisseur; NotFound (404) for anyone else."""
    client_file, version = access_version(actor, client_file_id, version_id)
    if actor is None:  # pragma: no cover - access_version already refuses an anonymous actor
        raise NotFound()
    if not (actor.can(Capability.APPROVE_PIP) or client_file.assigned_to_id == actor.user.pk):
        raise NotFound()
    return client_file, version


def beschikking_preview(*, actor: Actor, client_file: ClientFile, version: PipVersion, via: str = "ui") -> bytes:
    """The CONCEPT beschikking as PDF bytes, dated today (the dagtekening approval would give). Audited as a read
    of the plan in the caller's transaction. ApplicationError (Dutch) when the version cannot be shown yet."""
    if version.leerroute not in Leerroute.values:
        raise ApplicationError(NO_LEERROUTE, field_errors={"leerroute": [NO_LEERROUTE]})
    try:
        context = services.beschikking_context(client_file, version, dagtekening_on=core_dates.today())
    except rules.RuleInputError as error:
        message = f"Het concept kan nog niet getoond worden: {error}"
        raise ApplicationError(message) from error
    context.update(title=f"CONCEPT: {context['title']}", status_label=PipStatus(version.status).label)
    pdf = render_letter(actor=actor, client_file=client_file, template_name=PREVIEW_TEMPLATE, context=context)
    services.record_pip_read(
        actor=actor, client_file=client_file, subject=version, event_type="pip_read" if via == "api" else "pip_viewed",
        via=via,
    )  # fmt: skip
    return pdf


def _filename(version: PipVersion) -> str:
    return f"concept-beschikking-pip-{version.pk}.pdf"


@staff_view
@require_http_methods(["GET"])
def preview(request: HttpRequest, file_id: int, version_id: int) -> HttpResponse:
    """GET /dossiers/<file>/pip/<version>/concept-beschikking/: the PDF, or back to the version with the reason."""
    actor = request_actor(request)
    with transaction.atomic():
        client_file, version = access_preview(actor, file_id, version_id)
        try:
            pdf = beschikking_preview(actor=actor, client_file=client_file, version=version)
        except ApplicationError as error:
            messages.error(request, error.message)
            url = reverse("plans:version", kwargs={"file_id": client_file.pk, "version_id": version.pk})
            return HttpResponseRedirect(url)
    return pdf_response(pdf, _filename(version))


class PipPreviewView(ApiView):
    @extend_schema(
        operation_id="clients_pip_versions_preview_retrieve",
        tags=["pip"],
        summary="The beschikking of a PIP version as a CONCEPT PDF (not stored, not sent)",
        description=(
            "Answers `application/pdf`: the beschikking as it would read when approved today, marked CONCEPT on "
            "every page. For the approver roles and the file's klantregisseur; 404 for others. 400 when the version "
            "has no leerroute yet. Logged as `pip_read`."
        ),
        parameters=[CLIENT_ID, VERSION_ID],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY), **problems(400, 401, 404)},
    )
    def get(self, request: Request, client_id: int, version_id: int) -> HttpResponse:
        with transaction.atomic():
            client_file, version = access_preview(self.actor, client_id, version_id)
            pdf = beschikking_preview(actor=self.actor, client_file=client_file, version=version, via="api")
        return pdf_response(pdf, _filename(version))
