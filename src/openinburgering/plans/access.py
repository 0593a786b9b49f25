"""The doors to a PIP version, a bezwaar and a voortgangsgesprek: always through access_client_file, so missing,
another gemeente and a missing capability all give NotFound (404)."""

from __future__ import annotations

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.clients.access import access_client_file
from openinburgering.clients.models import ClientFile
from openinburgering.core.errors import NotFound

from .models import Bezwaar, PipVersion, ProgressTalk


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def access_version(
    actor: Actor | None, client_file_id: int | str, version_id: int | str, *, for_write: bool = False
) -> tuple[ClientFile, PipVersion]:
    """The file (locked when ``for_write``) and one of its versions (locked too)."""
    client_file = access_client_file(actor, client_file_id, for_write=for_write, section=Section.PIP)
    queryset = PipVersion.objects.filter(pk=_pk(version_id), client_file=client_file)
    if for_write:
        queryset = queryset.select_for_update()
    version = queryset.first()
    if version is None:
        raise NotFound()
    version.client_file = client_file
    return client_file, version


def require_approver(actor: Actor | None) -> Actor:
    if actor is None or not actor.can(Capability.APPROVE_PIP):
        raise NotFound()
    return actor


def access_bezwaar(version: PipVersion, bezwaar_id: int | str) -> Bezwaar:
    bezwaar = Bezwaar.objects.select_for_update().filter(pk=_pk(bezwaar_id), version=version).first()
    if bezwaar is None:
        raise NotFound()
    return bezwaar


def access_progress_talk(client_file: ClientFile, talk_id: int | str, *, for_write: bool = False) -> ProgressTalk:
    queryset = ProgressTalk.objects.filter(pk=_pk(talk_id), client_file=client_file)
    if for_write:
        queryset = queryset.select_for_update()
    talk = queryset.first()
    if talk is None:
        raise NotFound()
    return talk
