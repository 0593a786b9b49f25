"""The doors to a boetevoorstel and a decision: always through access_client_file, so missing, another gemeente
and a missing capability all give NotFound (404)."""

from __future__ import annotations

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.clients.access import access_client_file
from openinburgering.clients.models import ClientFile
from openinburgering.core.errors import NotFound

from .models import FineDecision, FineProposal


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def require_decider(actor: Actor | None) -> Actor:
    """DECIDE_FINES (the teamleider); without it the decision pages and endpoints do not exist (404)."""
    if actor is None or not actor.can(Capability.DECIDE_FINES):
        raise NotFound()
    return actor


def access_proposal(
    actor: Actor | None, client_file_id: int | str, proposal_id: int | str, *, for_write: bool = False
) -> tuple[ClientFile, FineProposal]:
    """The file (locked when ``for_write``; needs CHANGE_CLIENT_FILES then) and one of its proposals."""
    client_file = access_client_file(actor, client_file_id, for_write=for_write, section=Section.HANDHAVING)
    proposal = FineProposal.objects.filter(pk=_pk(proposal_id), client_file=client_file).first()
    if proposal is None:
        raise NotFound()
    proposal.client_file = client_file
    return client_file, proposal


def access_decision(proposal: FineProposal, decision_id: int | str) -> FineDecision:
    decision = FineDecision.objects.filter(pk=_pk(decision_id), proposal=proposal).first()
    if decision is None:
        raise NotFound()
    decision.proposal = proposal
    return decision
