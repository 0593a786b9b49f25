"""Helpers for the intake tests: plan an oproep through the service and let its appointment pass."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone
from pypdf import PdfReader

from openinburgering.intakes import services
from openinburgering.intakes.models import IntakeCall


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(bytes(content)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def plan(actor, client_file, *, days: int = 7, via: str = "ui"):
    return services.plan_call(
        actor=actor, client_file=client_file, planned_at=timezone.now() + timedelta(days=days),
        location="Stadhuis Haarlem, Grote Markt 2", interpreter_language="Arabisch", via=via,
    )  # fmt: skip


def happened(call: IntakeCall) -> IntakeCall:
    """The appointment lies in the past now (an outcome is recorded after the appointment)."""
    IntakeCall.objects.filter(pk=call.pk).update(planned_at=timezone.now() - timedelta(days=1))
    call.refresh_from_db()
    return call


def fail(actor, client_file, call, outcome: str = "no_show"):
    return services.record_call_outcome(
        actor=actor, client_file=client_file, call=happened(call), outcome=outcome,
        note="Werkte niet mee." if outcome == "insufficient_cooperation" else "",
    )  # fmt: skip
