"""The doors of zorg en netwerk. Missing, forbidden and no-longer-consented all raise NotFound (404).

- A partner user (role ketenpartner, HANDLE_REFERRALS) reaches a referral only when it is addressed to the
  organisation the user belongs to (``PartnerUser``), in the gemeente the user acts for, sent (not a concept), and
  its consent stands. Partner A never reaches partner B's referral; no partner reaches a file.
- Staff reach a referral through the file (``clients.access``, section begeleiding).
"""

from __future__ import annotations

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.clients.access import access_client_file
from openinburgering.clients.models import ClientFile
from openinburgering.core.errors import NotFound

from .models import Organisation, PartnerUser, Referral, ReferralStatus


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def partner_organisation(actor: Actor | None) -> Organisation:
    """The organisation of a partner user; anyone else gets 404."""
    if actor is None or not actor.can(Capability.HANDLE_REFERRALS):
        raise NotFound()
    link = PartnerUser.objects.filter(user=actor.user).select_related("organisation").first()
    if link is None or not link.organisation.is_active:
        raise NotFound()
    return link.organisation


def access_partner_referral(actor: Actor | None, referral_id: int | str, *, for_write: bool = False) -> Referral:
    """A referral addressed to the actor's organisation, sent, with a standing consent."""
    organisation = partner_organisation(actor)
    if actor is None:  # pragma: no cover -- partner_organisation raised already
        raise NotFound()
    queryset = Referral.objects.select_related("offer", "organisation", "client_file", "client_file__gemeente")
    if for_write:
        queryset = queryset.select_for_update(of=("self",))
    referral = (
        queryset.filter(pk=_pk(referral_id), organisation=organisation, gemeente_id=actor.gemeente_id)
        .exclude(status=ReferralStatus.CONCEPT)
        .filter(consent__isnull=False, consent__withdrawal__isnull=True)
        .first()
    )
    if referral is None:
        raise NotFound()
    return referral


def access_file_referral(
    actor: Actor | None, client_file_id: int | str, referral_id: int | str, *, for_write: bool = False
) -> tuple[ClientFile, Referral]:
    """A referral of a file the actor may open for begeleiding (read, or write to send/withdraw/follow up)."""
    client_file = access_client_file(actor, client_file_id, section=Section.BEGELEIDING, for_write=for_write)
    referral = (
        Referral.objects.filter(pk=_pk(referral_id), client_file=client_file)
        .select_related("offer", "organisation", "created_by")
        .first()
    )
    if referral is None:
        raise NotFound()
    referral.client_file = client_file
    return client_file, referral
