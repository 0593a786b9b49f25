"""The maatschappelijk begeleider's work (#14 item 6) and the client's network (items 5 and 7): begeleiding entries
(activities, PVT support, practical help, contact moments, signals to the klantregisseur), buddies and taalmaatjes
matched through a partner organisation (name and contact only: no account, no data), and contacts for the contact
card. Everything goes through the begeleiding section of the file (the matrix: the begeleider only for files
assigned to them). Keyword-only, atomic, audited in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.roles import Capability
from openinburgering.accounts.sections import Section
from openinburgering.audit.services import record_event
from openinburgering.clients.access import access_section
from openinburgering.clients.models import ClientFile
from openinburgering.clients.validation import FieldErrors
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict, NotFound

from . import selectors
from .models import BegeleidingEntry, BegeleidingKind, BuddyKind, BuddyMatch, ContactPerson, ContactRole
from .services import PURPOSE, _date, _text

TEXT_LIMIT = 2_000


@transaction.atomic
def record_begeleiding(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> BegeleidingEntry:
    access_section(actor, client_file, Section.BEGELEIDING, write=True)
    errors = FieldErrors()
    kind = str(data.get("kind") or "")
    if kind not in BegeleidingKind.values:
        errors.add("kind", "Kies wat u vastlegt: activiteit, PVT, praktische hulp, contactmoment of signaal.")
    on = _date(data.get("on"), "on", errors)
    if on is None and "on" not in errors.errors:
        errors.add("on", "Vul de datum in.")
    elif on is not None and kind != BegeleidingKind.ACTIVITEIT and on > today():
        errors.add("on", "Alleen een activiteit kan in de toekomst liggen.")
    text = _text(data, "text", TEXT_LIMIT, errors, required="Schrijf kort op wat er is gebeurd of gepland.")
    errors.raise_if_any()
    assert on is not None
    entry = BegeleidingEntry.objects.create(
        client_file=client_file, kind=kind, on=on, text=text, recorded_at=timezone.now(), recorded_by=actor.user
    )
    record_event(actor=actor, event_type="begeleiding_recorded", purpose=PURPOSE, client_file=client_file,
                 subject=entry, changes={"kind": kind}, via=via)  # fmt: skip
    return entry


@transaction.atomic
def match_buddy(*, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui") -> BuddyMatch:
    access_section(actor, client_file, Section.BEGELEIDING, write=True)
    errors = FieldErrors()
    kind = str(data.get("kind") or "")
    if kind not in BuddyKind.values:
        errors.add("kind", "Kies buddy of taalmaatje.")
    organisation = None
    raw = data.get("organisation")
    try:
        organisation = selectors.organisations_for(actor.gemeente).filter(pk=int(str(raw))).first() if raw else None
    except ValueError:
        organisation = None
    if organisation is None:
        errors.add("organisation", "Kies de organisatie van de sociale kaart die de vrijwilliger koppelt.")
    name = _text(data, "volunteer_name", 200, errors, required="Vul de naam van de vrijwilliger in.")
    contact = _text(data, "volunteer_contact", 200, errors, required="Vul een telefoonnummer of e-mailadres in.")
    started_on = _date(data.get("started_on"), "started_on", errors)
    if started_on is None and "started_on" not in errors.errors:
        errors.add("started_on", "Vul de startdatum in.")
    errors.raise_if_any()
    assert organisation is not None
    assert started_on is not None
    match = BuddyMatch.objects.create(
        client_file=client_file, organisation=organisation, kind=kind, volunteer_name=name,
        volunteer_contact=contact, started_on=started_on, created_at=timezone.now(), created_by=actor.user,
    )  # fmt: skip
    record_event(actor=actor, event_type="buddy_matched", purpose=PURPOSE, client_file=client_file, subject=match,
                 changes={"kind": kind, "organisation": organisation.pk}, via=via)  # fmt: skip
    return match


@transaction.atomic
def end_buddy(*, actor: Actor, match: BuddyMatch, ended_on: date, via: str = "ui") -> BuddyMatch:
    access_section(actor, match.client_file, Section.BEGELEIDING, write=True)
    current = BuddyMatch.objects.select_for_update().get(pk=match.pk)
    if current.ended_on is not None:
        raise Conflict("Deze koppeling is al beëindigd.")
    if ended_on < current.started_on or ended_on > today():
        message = "De einddatum ligt vóór de start of in de toekomst."
        raise ApplicationError(message, field_errors={"ended_on": [message]})
    current.ended_on = ended_on
    current.save(update_fields=["ended_on"])
    record_event(actor=actor, event_type="buddy_ended", purpose=PURPOSE, client_file=match.client_file,
                 subject=current, changes={"ended_on": ended_on.isoformat()}, via=via)  # fmt: skip
    return current


@transaction.atomic
def add_contact_person(
    *, actor: Actor, client_file: ClientFile, data: Mapping[str, Any], via: str = "ui"
) -> ContactPerson:
    access_section(actor, client_file, Section.BEGELEIDING, write=True)
    errors = FieldErrors()
    role = str(data.get("role") or "")
    if role not in ContactRole.values:
        errors.add("role", "Kies wie het is: taalaanbieder, werkcoach, schuldhulp, GGZ, school of anders.")
    about = _text(data, "about", 200, errors, required="Schrijf op waarvoor de inburgeraar bij deze persoon komt.")
    name = _text(data, "name", 200, errors, required="Vul de naam in.")
    reach = _text(data, "reach", 200, errors, required="Vul in hoe de inburgeraar deze persoon bereikt.")
    errors.raise_if_any()
    contact = ContactPerson.objects.create(
        client_file=client_file, role=role, about=about, name=name, reach=reach,
        created_at=timezone.now(), created_by=actor.user,
    )  # fmt: skip
    record_event(actor=actor, event_type="contact_person_added", purpose=PURPOSE, client_file=client_file,
                 subject=contact, changes={"role": role}, via=via)  # fmt: skip
    return contact


@transaction.atomic
def assign_begeleider(
    *, actor: Actor, client_file: ClientFile, begeleider_id: int | str | None, via: str = "ui"
) -> ClientFile:
    """The klantregisseur (or teamleider) assigns the file to a maatschappelijk begeleider of the gemeente, or
    removes the begeleider (``None``). From then on only that begeleider reaches the file's begeleiding part."""
    access_section(actor, client_file, Section.BEGELEIDING, write=True)
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    new = None
    if begeleider_id not in (None, ""):
        try:
            pk = int(str(begeleider_id))
        except ValueError:
            pk = 0
        new = selectors.begeleiders_for(actor.gemeente_id).filter(pk=pk).first()
        if new is None:
            message = "Kies een maatschappelijk begeleider van uw gemeente."
            raise ApplicationError(message, field_errors={"begeleider": [message]})
    current = ClientFile.objects.select_for_update().get(pk=client_file.pk)
    old = current.begeleider_id
    if old == (new.pk if new else None):
        return current
    current.begeleider = new
    current.save(update_fields=["begeleider"])
    record_event(actor=actor, event_type="begeleiding_assigned", purpose=PURPOSE, client_file=current,
                 subject=current, changes={"begeleider": {"old": old, "new": new.pk if new else None}},
                 via=via)  # fmt: skip
    return current
