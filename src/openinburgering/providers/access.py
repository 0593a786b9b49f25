"""The doors of the providers app. Missing, another gemeente/region/provider and a missing capability all raise
NotFound (404). Enrolments seen from a client file go through access_client_file; a provider user reaches only
the enrolments of its own provider in the gemeente of its membership (access_provider_actor,
access_provider_enrolment; a regional provider acts per gemeente, #12 item 9)."""

from __future__ import annotations

from django.db.models import Q

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Access, Section
from openinburgering.clients.access import access_client_file, section_access
from openinburgering.clients.models import ClientFile
from openinburgering.core.errors import NotFound

from .models import Contract, Enrolment, Provider, ProviderMembership


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def visible_to_gemeente(gemeente_id: int, region_id: int) -> Q:
    """Providers and contracts of the gemeente itself or shared in its arbeidsmarktregio."""
    return Q(gemeente_id=gemeente_id) | Q(region_id=region_id)


def _actor_scope(actor: Actor) -> Q:
    return visible_to_gemeente(actor.gemeente_id, actor.gemeente.region_id)


def can_view_providers(actor: Actor | None) -> bool:
    return actor is not None and (actor.can(Capability.MANAGE_PROVIDERS) or actor.can(Capability.VIEW_CONTRACT_RESULTS))


def require_provider_viewer(actor: Actor | None) -> Actor:
    if actor is None or not can_view_providers(actor):
        raise NotFound()
    return actor


def require_provider_manager(actor: Actor | None) -> Actor:
    if actor is None or not actor.can(Capability.MANAGE_PROVIDERS):
        raise NotFound()
    return actor


def access_provider(actor: Actor | None, provider_id: int | str, *, for_write: bool = False) -> Provider:
    """A provider of the actor's gemeente or region, for a contractmanager (write) or a viewer (read)."""
    actor = require_provider_manager(actor) if for_write else require_provider_viewer(actor)
    queryset = Provider.objects.select_related("gemeente", "region")
    if for_write:
        queryset = queryset.select_for_update(of=("self",))
    provider = queryset.filter(_actor_scope(actor), pk=_pk(provider_id)).first()
    if provider is None:
        raise NotFound()
    return provider


def access_contract(actor: Actor | None, contract_id: int | str, *, for_write: bool = False) -> Contract:
    actor = require_provider_manager(actor) if for_write else require_provider_viewer(actor)
    queryset = Contract.objects.select_related("provider", "gemeente", "region")
    if for_write:
        queryset = queryset.select_for_update(of=("self",))
    contract = queryset.filter(_actor_scope(actor), pk=_pk(contract_id)).first()
    if contract is None:
        raise NotFound()
    return contract


def access_provider_actor(actor: Actor | None) -> Provider:
    """The provider an aanbieder membership works for (REPORT_PROGRESS and a ProviderMembership), else 404."""
    if actor is None or not actor.can(Capability.REPORT_PROGRESS):
        raise NotFound()
    link = ProviderMembership.objects.select_related("provider").filter(membership_id=actor.membership.pk).first()
    if link is None:
        raise NotFound()
    return link.provider


def access_provider_enrolment(
    actor: Actor | None, enrolment_id: int | str, *, for_write: bool = False
) -> tuple[Provider, Enrolment]:
    """One enrolment of the actor's own provider in the actor's gemeente (another provider's, or a regional
    provider's cursist of another gemeente: 404). ``for_write`` locks it."""
    provider = access_provider_actor(actor)
    assert actor is not None  # access_provider_actor refused None
    queryset = Enrolment.objects.select_related("client_file", "client_file__gemeente", "contract", "provider")
    if for_write:
        queryset = queryset.select_for_update(of=("self",))
    enrolment = queryset.filter(
        pk=_pk(enrolment_id), provider=provider, client_file__gemeente_id=actor.gemeente_id
    ).first()
    if enrolment is None:
        raise NotFound()
    return provider, enrolment


def may_change_placements(actor: Actor | None) -> bool:
    """Whether pages offer placing someone or changing a plaatsing: only to who may change the voortgang section in
    this gemeente (need to know, #12 item 1), the check enrolment_create and a status post make through
    access_client_file; a gemeente may narrow a role to reading."""
    return (
        actor is not None
        and actor.can(Capability.CHANGE_CLIENT_FILES)
        and section_access(actor, Section.VOORTGANG) >= Access.WRITE
    )


def access_file_enrolment(
    actor: Actor | None, client_file_id: int | str, enrolment_id: int | str, *, for_write: bool = False
) -> tuple[ClientFile, Enrolment]:
    """An enrolment seen from its client file (klantregisseur); the file is locked when ``for_write``."""
    client_file = access_client_file(actor, client_file_id, for_write=for_write, section=Section.VOORTGANG)
    queryset = Enrolment.objects.select_related("provider", "contract")
    if for_write:
        queryset = queryset.select_for_update(of=("self",))
    enrolment = queryset.filter(pk=_pk(enrolment_id), client_file=client_file).first()
    if enrolment is None:
        raise NotFound()
    enrolment.client_file = client_file
    return client_file, enrolment
