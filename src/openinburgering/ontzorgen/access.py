"""The doors to ontzorgen: a file's financiën section through access_client_file (need to know: the financieel
consulent sees basis and financiën, never health), a payment run of the actor's own gemeente. Missing, another
gemeente's and a missing capability all raise NotFound (404)."""

from __future__ import annotations

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.clients.access import access_client_file
from openinburgering.clients.models import ClientFile
from openinburgering.core.errors import NotFound

from .models import Obligation, PaymentRun


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def may_manage(actor: Actor | None) -> bool:
    """Only the financieel consulent and the teamleider change money (#13 item 7)."""
    return actor is not None and actor.can(Capability.MANAGE_ONTZORGEN)


def may_approve(actor: Actor | None) -> bool:
    return actor is not None and actor.can(Capability.APPROVE_PAYMENT_RUNS)


def require_manager(actor: Actor | None) -> Actor:
    if actor is None or not may_manage(actor):
        raise NotFound()
    return actor


def access_ontzorgen_file(actor: Actor | None, client_file_id: int | str, *, for_write: bool = False) -> ClientFile:
    """The file opened for its financiën section; writing also needs MANAGE_ONTZORGEN (the klantregisseur reads)."""
    if for_write:
        require_manager(actor)
    return access_client_file(actor, client_file_id, section=Section.FINANCIEN, for_write=for_write)


def access_obligation(actor: Actor | None, client_file: ClientFile, obligation_id: int | str) -> Obligation:
    """An obligation of a file already reached through access_ontzorgen_file."""
    obligation = Obligation.objects.filter(pk=_pk(obligation_id), client_file=client_file).first()
    if actor is None or obligation is None:
        raise NotFound()
    obligation.client_file = client_file
    return obligation


def access_run(actor: Actor | None, run_id: int | str, *, for_write: bool = False) -> PaymentRun:
    """A payment run of the actor's gemeente, for who manages or approves runs; locked when ``for_write``."""
    if actor is None or not (may_manage(actor) or may_approve(actor)):
        raise NotFound()
    queryset = PaymentRun.objects.select_related("built_by", "approved_by")
    if for_write:
        queryset = queryset.select_for_update(of=("self",))
    run = queryset.filter(pk=_pk(run_id), gemeente_id=actor.gemeente_id).first()
    if run is None:
        raise NotFound()
    return run
