"""The only door to a client file. Missing, other gemeente and missing capability all raise NotFound (404)."""

from __future__ import annotations

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import SectionLimit
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import ASSIGNED_ONLY, Access, Section, legal_maximum
from openinburgering.core.errors import NotFound

from .models import ClientFile, Consent, ConsentPurpose, Note


def access_client_file(
    actor: Actor | None, client_file_id: int | str, *, section: Section, for_write: bool = False
) -> ClientFile:
    """The only door to a client file: the file of the actor's gemeente, opened for one ``section`` (need to know,
    #12 item 1). Every caller names the part of the file it shows or changes; ``access_section`` decides. Missing,
    another gemeente's and a closed section all raise NotFound (404)."""
    if actor is None:
        raise NotFound()
    try:
        pk = int(client_file_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    queryset = ClientFile.objects.select_related(
        "person", "person__nationality", "person__birth_country", "assigned_to", "team"
    )
    if for_write:
        queryset = queryset.select_for_update(of=("self",))
    client_file = queryset.filter(pk=pk, gemeente_id=actor.gemeente_id).first()
    if client_file is None:
        raise NotFound()
    access_section(actor, client_file, section, write=for_write)
    return client_file


def access_client_file_audit(actor: Actor | None, client_file_id: int | str) -> ClientFile:
    """The door to a file's audit trail ("wie heeft dit dossier ingezien"): for VIEW_FILE_AUDIT, which the
    functioneel beheerder holds without VIEW_CLIENT_FILES. Callers show no personal data from the file."""
    if actor is None or not actor.can(Capability.VIEW_FILE_AUDIT):
        raise NotFound()
    try:
        pk = int(client_file_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    client_file = ClientFile.objects.filter(pk=pk, gemeente_id=actor.gemeente_id).first()
    if client_file is None:
        raise NotFound()
    return client_file


def access_note(actor: Actor | None, client_file: ClientFile, note_id: int | str) -> Note:
    """A note of a file the actor already reached through access_client_file."""
    try:
        pk = int(note_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    note = Note.objects.filter(pk=pk, client_file=client_file).first()
    if actor is None or note is None:
        raise NotFound()
    return note


# --- Sections of a file (need to know, #12 item 1) -----------------------------------------------------------------


def section_access(actor: Actor, section: Section | str) -> Access:
    """What the actor's role may do in ``section`` in the actor's gemeente: the legal maximum, narrowed by the
    gemeente's SectionLimit rows (loaded once per membership object, i.e. once per request)."""
    maximum = legal_maximum(actor.role_code, section)
    if maximum == Access.NONE:
        return Access.NONE
    membership = actor.membership
    limits: dict[str, int] | None = getattr(membership, "_section_limits", None)
    if limits is None:
        limits = dict(
            SectionLimit.objects.filter(gemeente_id=actor.gemeente_id, role_code=actor.role_code).values_list(
                "section", "access"
            )
        )
        membership._section_limits = limits  # type: ignore[attr-defined]  # a per-request cache on the instance
    return Access(min(maximum, limits.get(str(section), maximum)))


def has_consent(client_file: ClientFile, purpose: ConsentPurpose | str) -> bool:
    """Whether the client's consent for ``purpose`` is recorded and not withdrawn (one query)."""
    return Consent.objects.filter(client_file=client_file, purpose=purpose, withdrawal__isnull=True).exists()


def access_section(
    actor: Actor | None, client_file: ClientFile, section: Section | str, *, write: bool = False
) -> None:
    """The one check for a part of a file: the role's access in this gemeente (matrix), the personal assignment
    for roles that reach only their own files, and for gezondheid the client's recorded consent. Raises NotFound
    (404) otherwise, so a closed part looks the same as a missing one."""
    if actor is None or client_file.gemeente_id != actor.gemeente_id:
        raise NotFound()
    if section_access(actor, section) < (Access.WRITE if write else Access.READ):
        raise NotFound()
    if actor.role_code in ASSIGNED_ONLY and client_file.begeleider_id != actor.user.pk:
        raise NotFound()
    if Section(section) == Section.GEZONDHEID and not has_consent(client_file, ConsentPurpose.GEZONDHEID):
        raise NotFound()


def visible_sections(actor: Actor | None, client_file: ClientFile) -> frozenset[Section]:
    """The sections of ``client_file`` the actor may read; what a page shows (and its read event names)."""
    if actor is None or client_file.gemeente_id != actor.gemeente_id:
        return frozenset()
    if actor.role_code in ASSIGNED_ONLY and client_file.begeleider_id != actor.user.pk:
        return frozenset()
    readable = {section for section in Section if section_access(actor, section) >= Access.READ}
    if Section.GEZONDHEID in readable and not has_consent(client_file, ConsentPurpose.GEZONDHEID):
        readable.discard(Section.GEZONDHEID)
    return frozenset(readable)
