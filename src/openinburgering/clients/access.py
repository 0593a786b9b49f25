"""The only door to a client file. Missing, other gemeente and missing capability all raise NotFound (404)."""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import Q

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.section_limits import gemeente_limits
from openinburgering.accounts.sections import ASSIGNED_ONLY, Access, Section, legal_maximum
from openinburgering.core.errors import NotFound
from openinburgering.core.sql import JoinedSelect, column

from .models import ClientFile, Consent, ConsentPurpose, Note, Person


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
    if for_write:
        queryset = ClientFile.objects.select_related(*_FILE_PATHS).select_for_update(of=("self",))
        client_file = queryset.filter(pk=pk, gemeente_id=actor.gemeente_id).first()
    else:
        client_file = _read_file(pk, actor.gemeente_id)
    if client_file is None:
        raise NotFound()
    access_section(actor, client_file, section, write=for_write)
    return client_file


_BIGINT = 2**63
_FILE_PATHS = ("person", "person__nationality", "person__birth_country", "assigned_to", "team")


@functools.cache
def _file_select() -> JoinedSelect:
    """``ClientFile.objects.select_related(*_FILE_PATHS).filter(pk=…, gemeente_id=…)`` with its SQL written once per
    process (#18: compiling the five joins was about a third of the PIP page's CPU). The file id and the gemeente are
    parameters of every call. tests/clients/test_access_select.py compares it with the ORM query."""
    select = JoinedSelect(ClientFile, _FILE_PATHS)
    f = select.alias()
    select.sql += f" WHERE {f}.{column(ClientFile, 'id')} = %s AND {f}.{column(ClientFile, 'gemeente')} = %s"
    return select


def _read_file(pk: int, gemeente_id: int) -> ClientFile | None:
    if not -_BIGINT <= pk < _BIGINT:  # as the ORM's lookup: an id no column can hold finds nothing
        return None
    select = _file_select()
    with connection.cursor() as cursor:
        cursor.execute(select.sql, [pk, gemeente_id])
        row = cursor.fetchone()
    return None if row is None else select.load(row)


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
    gemeente's SectionLimit rows (cached per gemeente, accounts.section_limits.gemeente_limits; kept on the membership
    object for the rest of the request)."""
    maximum = legal_maximum(actor.role_code, section)
    if maximum == Access.NONE:
        return Access.NONE
    membership = actor.membership
    limits: dict[str, int] | None = getattr(membership, "_section_limits", None)
    if limits is None:
        limits = gemeente_limits(actor.gemeente_id).get(actor.role_code, {})
        membership._section_limits = limits  # type: ignore[attr-defined]  # a per-request cache on the instance
    return Access(min(maximum, limits.get(str(section), maximum)))


def _person_id(person: Person | int | None) -> int | None:
    return person.pk if isinstance(person, Person) else person


def person_consent_filter(client_file: ClientFile, person: Person | int | None) -> Q:
    """The consents of one person of the file: the file's own person's are stored with ``person`` empty (or, from
    before 0008, may name them); anyone else's name them."""
    person_id = _person_id(person)
    if person_id is None or person_id == client_file.person_id:
        return Q(person__isnull=True) | Q(person_id=client_file.person_id)
    return Q(person_id=person_id)


def has_consent(client_file: ClientFile, purpose: ConsentPurpose | str, person: Person | int | None = None) -> bool:
    """Whether ``person``'s consent for ``purpose`` is recorded in this file and not withdrawn (one query). Without
    ``person``: the file's own person (the inburgeraar). Consent is per person: a partner's or a child's health data
    needs their own consent, never the inburgeraar's."""
    return Consent.objects.filter(
        person_consent_filter(client_file, person), client_file=client_file, purpose=purpose, withdrawal__isnull=True
    ).exists()


def consenting_persons(client_file: ClientFile, purpose: ConsentPurpose | str) -> frozenset[int]:
    """The ids of the persons of this file whose consent for ``purpose`` stands (one query)."""
    rows = Consent.objects.filter(client_file=client_file, purpose=purpose, withdrawal__isnull=True).values_list(
        "person_id", flat=True
    )
    return frozenset(client_file.person_id if person_id is None else person_id for person_id in rows)


def _role_reaches(actor: Actor, client_file: ClientFile, section: Section | str, *, write: bool = False) -> bool:
    """The role's access to a part of this file, before any consent: gemeente, matrix and personal assignment."""
    if client_file.gemeente_id != actor.gemeente_id:
        return False
    if section_access(actor, section) < (Access.WRITE if write else Access.READ):
        return False
    return not (actor.role_code in ASSIGNED_ONLY and client_file.begeleider_id != actor.user.pk)


def access_section(
    actor: Actor | None,
    client_file: ClientFile,
    section: Section | str,
    *,
    write: bool = False,
    person: Person | int | None = None,
) -> None:
    """The one check for a part of a file: the role's access in this gemeente (matrix) and the personal assignment
    for roles that reach only their own files. Raises NotFound (404) otherwise, so a closed part looks the same as a
    missing one.

    Gezondheid (#12 item 1): the section of a file opens by role (the klantregisseur records the first consent and
    fills in the gezondheid step there); a PERSON's health data needs that person's own standing consent as well:
    pass ``person`` to check it (the file's own person, a partner, a child), or ask ``health_readable_persons``."""
    if actor is None or not _role_reaches(actor, client_file, section, write=write):
        raise NotFound()
    if (
        Section(section) == Section.GEZONDHEID
        and person is not None
        and not has_consent(client_file, ConsentPurpose.GEZONDHEID, person)
    ):
        raise NotFound()


def visible_sections(
    actor: Actor | None, client_file: ClientFile, person: Person | int | None = None
) -> frozenset[Section]:
    """The sections of ``client_file`` the actor may read; what a page shows (and its read event names). Gezondheid
    counts only with the consent of ``person`` (default: the file's own person)."""
    if actor is None or client_file.gemeente_id != actor.gemeente_id:
        return frozenset()
    if actor.role_code in ASSIGNED_ONLY and client_file.begeleider_id != actor.user.pk:
        return frozenset()
    readable = {section for section in Section if section_access(actor, section) >= Access.READ}
    if Section.GEZONDHEID in readable and not has_consent(client_file, ConsentPurpose.GEZONDHEID, person):
        readable.discard(Section.GEZONDHEID)
    return frozenset(readable)


def health_readable_persons(actor: Actor | None, client_file: ClientFile) -> frozenset[int]:
    """The persons of the file whose health data (AVG art. 9) this actor may see: none when the role may not read
    the gezondheid section of this file; otherwise those whose own consent stands (one query at most). Every page
    and API answer that shows health data of a person asks this first."""
    if actor is None or not _role_reaches(actor, client_file, Section.GEZONDHEID):
        return frozenset()
    return consenting_persons(client_file, ConsentPurpose.GEZONDHEID)


def may_read_gezondheid_section(actor: Actor | None, client_file: ClientFile) -> bool:
    """Whether the actor's role may read the gezondheid section of this file at all (consent aside): decides between
    "only with consent" and saying nothing about health."""
    return actor is not None and _role_reaches(actor, client_file, Section.GEZONDHEID)


def access_consents(actor: Actor | None, client_file_id: int | str, *, for_write: bool = False) -> ClientFile:
    """The door to a file's consent register: part of the gezondheid section (read, or write to record and
    withdraw), open by role whether or not a consent stands yet. Others (financieel consulent, begeleider,
    functioneel beheerder, another gemeente) get 404."""
    return access_client_file(actor, client_file_id, section=Section.GEZONDHEID, for_write=for_write)


def access_consent(client_file: ClientFile, consent_id: int | str) -> Consent:
    """One consent of a file reached through ``access_consents``."""
    try:
        pk = int(consent_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    consent = Consent.objects.filter(pk=pk, client_file=client_file).select_related("person", "withdrawal").first()
    if consent is None:
        raise NotFound()
    consent.client_file = client_file
    return consent
