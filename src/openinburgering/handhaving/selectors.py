"""Reads of handhaving data in a constant number of queries. Callers reach the file through access_client_file
first (the queue filters on the actor's gemeente itself)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from openinburgering.accounts.actor import Actor
from openinburgering.clients.models import ClientFile
from openinburgering.providers.models import ExamResult

from .models import Achievement, FineBezwaar, FineDecision, FineProposal


def _decisions() -> QuerySet[FineDecision]:
    return (
        FineDecision.objects.select_related("decided_by", "letter")
        .defer("letter__content")
        .prefetch_related(
            Prefetch("bezwaren", queryset=FineBezwaar.objects.select_related("registered_by").order_by("id"))
        )
        .order_by("sequence")
    )


def proposals_of(client_file: ClientFile) -> QuerySet[FineProposal]:
    """Every proposal of a file, newest first, with its decisions and their bezwaren (four queries)."""
    return (
        FineProposal.objects.filter(client_file=client_file)
        .select_related("proposed_by", "pip_version")
        .prefetch_related(Prefetch("decisions", queryset=_decisions()))
        .order_by("-proposed_at", "-id")
    )


def proposal_detail(client_file: ClientFile, proposal_id: int) -> FineProposal | None:
    return proposals_of(client_file).filter(pk=proposal_id).first()


def achievements_of(client_file: ClientFile) -> QuerySet[Achievement]:
    return (
        Achievement.objects.filter(client_file=client_file).select_related("recorded_by").order_by("achieved_on", "id")
    )


def decision_queue(actor: Actor) -> QuerySet[FineProposal]:
    """Proposals of the actor's gemeente without any decision yet, oldest first (one query per page)."""
    return (
        FineProposal.objects.filter(client_file__gemeente_id=actor.gemeente_id, decisions__isnull=True)
        .select_related("client_file__person", "proposed_by")
        .order_by("proposed_at", "id")
    )


def passed_provider_exams(client_file: ClientFile) -> list[ExamResult]:
    """Exams that providers reported as passed for the file's enrolments, with the gemeente's confirmation (if
    any) and the provider's name (1 query). Only confirmed ones count toward voldaan (#11)."""
    return list(
        ExamResult.objects.filter(enrolment__client_file=client_file, passed=True)
        .select_related("confirmation__confirmed_by", "enrolment__provider")
        .order_by("exam_on", "id")
    )
