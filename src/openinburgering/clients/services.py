"""Every change to persons and client files. Keyword-only, atomic, audited in the same transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Membership, Team, User
from openinburgering.accounts.roles import Capability, RoleCode
from openinburgering.audit.services import EventSubject, record_event, record_events
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.interop import publish

from .choices import FileStatus
from .deadlines import NextDeadline, deadlines_for, next_deadline
from .models import ClientFile, Note, Person, StatusChange
from .validation import FieldErrors, check_file_dates, check_person, has_open_file
from .workflow import CHECKED_STATUSES, can_transition

PURPOSE_CASEWORK = "uitvoering Wet inburgering 2021 (regie)"

PERSON_FIELDS = (
    "bsn", "v_number", "given_names", "surname_prefix", "surname", "birth_on", "sex", "nationality_id",
    "birth_country_id", "languages", "interpreter_needed", "interpreter_language", "street", "house_number",
    "postcode", "city", "phone", "email",
)  # fmt: skip
FILE_FIELDS = (
    "doelgroep", "residence", "residence_purpose", "residence_from_on", "kennisgeving_on", "coa_koppeling_on",
    "housed_under_taakstelling", "registered_on", "housed_on", "pip_dagtekening_on",
)  # fmt: skip
CASEWORKER_ROLES = (RoleCode.KLANTREGISSEUR, RoleCode.TEAMLEIDER)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _diff(instance: Any, changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        field: {"old": _json(getattr(instance, field)), "new": _json(new)}
        for field, new in changes.items()
        if getattr(instance, field) != new
    }


def _apply_deadline(client_file: ClientFile, *, as_of: date, deadline: NextDeadline | None = None) -> None:
    if deadline is None:
        deadline = next_deadline(client_file, as_of=as_of)
    client_file.next_deadline_on = deadline.due_on
    client_file.next_deadline_kind = deadline.kind
    client_file.deadlines_computed_on = as_of


def _check_caseworker(actor: Actor, user: User | None, team: Team | None) -> None:
    errors = FieldErrors()
    if (
        user is not None
        and not Membership.objects.filter(
            user=user, gemeente_id=actor.gemeente_id, is_active=True, role__code__in=CASEWORKER_ROLES
        ).exists()
    ):
        errors.add("assigned_to", "Deze medewerker is geen klantregisseur of teamleider in deze gemeente.")
    if team is not None and team.gemeente_id != actor.gemeente_id:
        errors.add("team", "Dit team hoort niet bij deze gemeente.")
    errors.raise_if_any()


@transaction.atomic
def register_client(
    *,
    actor: Actor,
    person_data: dict[str, Any],
    file_data: dict[str, Any],
    assigned_to: User | None = None,
    team: Team | None = None,
    via: str = "ui",
) -> ClientFile:
    """Aanmelding: a new person (or a known person without an open file) gets a client file."""
    if not actor.can(Capability.CHANGE_CLIENT_FILES):
        raise NotFound()
    now_day = today()
    person_data = {k: v for k, v in person_data.items() if k in PERSON_FIELDS}
    file_data = {k: v for k, v in file_data.items() if k in FILE_FIELDS}
    existing = None
    bsn = str(person_data.get("bsn") or "")
    if bsn:
        existing = Person.objects.select_for_update().filter(gemeente_id=actor.gemeente_id, bsn=bsn).first()
    if existing is not None and has_open_file(existing):
        raise ApplicationError(
            "Deze persoon heeft al een open dossier in deze gemeente.",
            field_errors={"bsn": ["Deze persoon heeft al een open dossier. Zoek de persoon op."]},
        )
    cleaned = check_person(gemeente_id=actor.gemeente_id, data=person_data, today=now_day, person=existing)
    birth_on = cleaned.get("birth_on")
    check_file_dates(data=file_data, birth_on=birth_on if isinstance(birth_on, date) else None, today=now_day)
    _check_caseworker(actor, assigned_to, team)
    if team is None and assigned_to is not None:
        membership = Membership.objects.filter(
            user=assigned_to, gemeente_id=actor.gemeente_id, team__isnull=False
        ).first()
        team = membership.team if membership else None
    try:
        with transaction.atomic():
            if existing is None:
                person = Person.objects.create(gemeente_id=actor.gemeente_id, **cleaned)
            else:
                person = existing
                for field, value in cleaned.items():
                    setattr(person, field, value)
                person.save()
            client_file = ClientFile(
                gemeente_id=actor.gemeente_id,
                person=person,
                status=FileStatus.AANGEMELD,
                status_changed_at=timezone.now(),
                assigned_to=assigned_to,
                team=team,
                opened_on=now_day,
                **file_data,
            )
            _apply_deadline(client_file, as_of=now_day)
            client_file.save()
    except IntegrityError as exc:  # a concurrent aanmelding of the same BSN won the race
        raise Conflict("Deze persoon is net door iemand anders aangemeld. Zoek de persoon op.") from exc
    first_change = StatusChange.objects.create(
        client_file=client_file, from_status="", to_status=FileStatus.AANGEMELD, changed_at=timezone.now(),
        changed_by=actor.user, reason="Aanmelding",
    )  # fmt: skip
    publish.file_registered(client_file, first_change)  # Zaak, Status, notification (outbox, this transaction)
    record_event(
        actor=actor, event_type="client_file_registered", purpose=PURPOSE_CASEWORK, client_file=client_file,
        subject=client_file, changes={"status": {"old": None, "new": FileStatus.AANGEMELD}}, via=via,
    )  # fmt: skip
    return client_file


@transaction.atomic
def update_person(*, actor: Actor, client_file: ClientFile, data: dict[str, Any], via: str = "ui") -> Person:
    person = Person.objects.select_for_update().get(pk=client_file.person_id)
    data = {k: v for k, v in data.items() if k in PERSON_FIELDS}
    cleaned = check_person(gemeente_id=actor.gemeente_id, data=data, today=today(), person=person)
    changes = _diff(person, cleaned)
    if changes:
        for field, value in cleaned.items():
            setattr(person, field, value)
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError as exc:
            raise Conflict("Er is al een persoon met dit BSN in deze gemeente.") from exc
        record_event(
            actor=actor, event_type="person_updated", purpose=PURPOSE_CASEWORK, client_file=client_file,
            subject=person, changes=changes, via=via,
        )  # fmt: skip
        # #17: a new e-mail address or phone number also goes to the gemeente's contact registry (when linked).
        from openinburgering.interop.klantinteracties import enqueue_digital_address

        for soort in ("email", "phone"):
            if soort in changes and getattr(person, soort):
                enqueue_digital_address(client_file=client_file, soort=soort, adres=getattr(person, soort))
    return person


@transaction.atomic
def update_client_file(*, actor: Actor, client_file: ClientFile, data: dict[str, Any], via: str = "ui") -> ClientFile:
    """Changes key dates, residence and doelgroep. Works on a freshly locked row, so a stale `client_file`
    object can never write old values (e.g. an old status) back; the caller's object is refreshed."""
    data = {k: v for k, v in data.items() if k in FILE_FIELDS}
    current = ClientFile.objects.select_for_update().select_related("person").get(pk=client_file.pk)
    merged = {field: data.get(field, getattr(current, field)) for field in FILE_FIELDS}
    check_file_dates(data=merged, birth_on=current.person.birth_on, today=today())
    changes = _diff(current, data)
    if changes:
        for field, value in data.items():
            setattr(current, field, value)
        _apply_deadline(current, as_of=today())
        current.save(
            update_fields=[*data, "next_deadline_on", "next_deadline_kind", "deadlines_computed_on", "updated_at"]
        )
        record_event(
            actor=actor, event_type="client_file_updated", purpose=PURPOSE_CASEWORK, client_file=current,
            subject=current, changes=changes, via=via,
        )  # fmt: skip
    client_file.refresh_from_db()
    return client_file


@transaction.atomic
def change_status(
    *, actor: Actor, client_file: ClientFile, to_status: str, reason: str, via: str = "ui", checked: bool = False
) -> StatusChange:
    """Moves the file to another status (history and audit). A checked status (voldaan) needs ``checked=True``:
    only a DUO signal and ``handhaving.services.record_voldaan`` (after ``rules.voldaan``) pass it."""
    current = ClientFile.objects.select_for_update().get(pk=client_file.pk)
    if to_status in CHECKED_STATUSES and not checked and can_transition(current.status, to_status):
        raise ApplicationError(
            "Voldaan legt u vast op de pagina Handhaving en voldaan.",
            field_errors={
                "to_status": [
                    "Voldaan legt u vast op de pagina Handhaving en voldaan. Daar controleert het systeem of alle "
                    "onderdelen zijn behaald. Of DUO meldt het."
                ]
            },
        )
    if not can_transition(current.status, to_status):
        raise ApplicationError(
            "Deze statuswijziging is niet toegestaan.",
            field_errors={
                "to_status": [f"Van '{current.get_status_display()}' kan het dossier niet naar deze status."]
            },
        )
    if not reason.strip():
        raise ApplicationError("Geef een reden.", field_errors={"reason": ["Geef een reden voor de wijziging."]})
    if to_status not in ("verhuisd", "beeindigd") and not current.is_open:
        raise ApplicationError("Een gesloten dossier kan niet worden heropend.")
    now = timezone.now()
    change = StatusChange.objects.create(
        client_file=current, from_status=current.status, to_status=to_status, changed_at=now, changed_by=actor.user,
        reason=reason.strip(),
    )  # fmt: skip
    old = current.status
    current.status = to_status
    current.status_changed_at = now
    _apply_deadline(current, as_of=today())
    current.save(update_fields=["status", "status_changed_at", "next_deadline_on", "next_deadline_kind",
                                "deadlines_computed_on", "updated_at"])  # fmt: skip
    client_file.status = current.status
    publish.status_changed(current, change)  # Status on the Zaak and a notification (outbox, this transaction)
    record_event(
        actor=actor, event_type="client_status_changed", purpose=PURPOSE_CASEWORK, client_file=current,
        subject=change, changes={"status": {"old": old, "new": to_status}}, via=via,
    )  # fmt: skip
    return change


@transaction.atomic
def reassign_client_file(
    *, actor: Actor, client_file: ClientFile, assigned_to: User | None, team: Team | None, via: str = "ui"
) -> ClientFile:
    if not actor.can(Capability.REASSIGN_CLIENT_FILES):
        raise NotFound()
    _check_caseworker(actor, assigned_to, team)
    current = ClientFile.objects.select_for_update().get(pk=client_file.pk)
    changes = {}
    if current.assigned_to_id != (assigned_to.pk if assigned_to else None):
        changes["assigned_to"] = {"old": current.assigned_to_id, "new": assigned_to.pk if assigned_to else None}
    if current.team_id != (team.pk if team else None):
        changes["team"] = {"old": current.team_id, "new": team.pk if team else None}
    if changes:
        current.assigned_to = assigned_to
        current.team = team
        current.save(update_fields=["assigned_to", "team", "updated_at"])
        record_event(
            actor=actor, event_type="client_file_reassigned", purpose=PURPOSE_CASEWORK, client_file=current,
            subject=current, changes=changes, via=via,
        )  # fmt: skip
    return current


@transaction.atomic
def add_note(
    *, actor: Actor, client_file: ClientFile, body: str, corrects: Note | None = None, via: str = "ui"
) -> Note:
    text = body.strip()
    if not text:
        raise ApplicationError("De notitie is leeg.", field_errors={"body": ["Schrijf een notitie."]})
    if len(text) > 10_000:
        raise ApplicationError("De notitie is te lang.", field_errors={"body": ["Gebruik maximaal 10.000 tekens."]})
    if corrects is not None and corrects.client_file_id != client_file.pk:
        raise NotFound()
    note = Note.objects.create(
        client_file=client_file, body=text, author=actor.user, created_at=timezone.now(), corrects=corrects
    )
    record_event(
        actor=actor, event_type="note_corrected" if corrects else "note_added", purpose=PURPOSE_CASEWORK,
        client_file=client_file, subject=note, changes={"corrects": corrects.pk} if corrects else {}, via=via,
    )  # fmt: skip
    return note


def record_file_read(
    *,
    actor: Actor,
    client_file: ClientFile,
    event_type: str = "client_file_viewed",
    via: str = "ui",
    sections: Iterable[str] | None = None,
) -> None:
    """Logs a read of personal data (doelbinding: casework). Call inside the request's transaction. ``sections``
    names the parts of the file that were shown (need to know, #12 item 1)."""
    record_event(
        actor=actor,
        event_type=event_type,
        purpose=PURPOSE_CASEWORK,
        client_file=client_file,
        subject=client_file,
        changes={"sections": sorted(str(section) for section in sections)} if sections is not None else None,
        via=via,
    )


def record_file_page_read(
    *, actor: Actor, client_file: ClientFile, sections: Iterable[str], readers: bool = False
) -> None:
    """Logs what the file page shows, in one insert (#18): the file (``client_file_viewed`` with its sections),
    the household (``household_viewed``) and, with ``readers``, who read the file (``file_audit_viewed``): the
    same events, in the same order, as one :func:`record_file_read` each."""
    subject = ("clientfile", str(client_file.pk))
    shown = {"sections": sorted(str(section) for section in sections)}
    events = [("client_file_viewed", shown), ("household_viewed", None)]
    if readers:
        events.append(("file_audit_viewed", None))
    record_events(
        event_type="client_file_viewed",
        purpose=PURPOSE_CASEWORK,
        actor=actor,
        subjects=[
            EventSubject(client_file.gemeente_id, client_file.pk, *subject, changes=changes, event_type=event_type)
            for event_type, changes in events
        ],
    )


PURPOSE_DEADLINES = "termijnbewaking Wet inburgering 2021"
DEADLINE_FIELDS = ["next_deadline_on", "next_deadline_kind", "deadlines_computed_on"]


@transaction.atomic
def refresh_file_deadline(client_file: ClientFile, as_of: date | None = None) -> bool:
    """Recomputes one file's next step after a change elsewhere (an oproep, a toets, a PIP version, a
    voortgangsgesprek): call it from the service that made the change, inside its transaction. Locks the row,
    writes only when the step changed and updates the caller's object. No audit event of its own: the change
    that caused it is audited by its service. Returns whether the stored deadline changed."""
    as_of = as_of or today()
    current = ClientFile.objects.select_for_update().get(pk=client_file.pk)
    before = (current.next_deadline_on, current.next_deadline_kind)
    _apply_deadline(current, as_of=as_of)
    changed = (current.next_deadline_on, current.next_deadline_kind) != before
    if changed or current.deadlines_computed_on != as_of:
        ClientFile.objects.filter(pk=current.pk).update(**{f: getattr(current, f) for f in DEADLINE_FIELDS})
    for field in DEADLINE_FIELDS:
        setattr(client_file, field, getattr(current, field))
    return changed


DUO_TERMIJN_FIELDS = ["duo_termijn_start_on", "duo_termijn_einddatum_on", "duo_termijn_reported_on"]


@transaction.atomic
def record_duo_termijn(
    client_file: ClientFile, *, start_on: date | None, einddatum_on: date | None, reported_on: date | None
) -> bool:
    """Stores the newest termijn DUO reported and did not retract (all None when there is none left), then the
    file's next step follows (W 12: DUO's extension moves the end). Call it from the DUO import, inside the
    transaction that stored the termijn message or its retraction, with what ``signals.selectors`` read; the
    import's own audit events cover the change. Writes only a change (a ``save``, so the figures follow too) and
    updates the caller's object. Returns whether the stored termijn changed."""
    current = ClientFile.objects.select_for_update().get(pk=client_file.pk)
    reported = {"duo_termijn_start_on": start_on, "duo_termijn_einddatum_on": einddatum_on,
                "duo_termijn_reported_on": reported_on}  # fmt: skip
    changed = any(getattr(current, field) != value for field, value in reported.items())
    if changed:
        for field, value in reported.items():
            setattr(current, field, value)
        current.save(update_fields=[*DUO_TERMIJN_FIELDS, "updated_at"])
    for field in DUO_TERMIJN_FIELDS:
        setattr(client_file, field, getattr(current, field))
    refresh_file_deadline(client_file)
    return changed


def refresh_deadlines(
    *,
    as_of: date,
    gemeente_id: int | None = None,
    batch_size: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recomputes the next step of every open file from the rules, in batches of `batch_size` (a constant number
    of queries per batch, plus one audit insert per file whose step changed). Idempotent: a file whose step did
    not change is not written and gets no audit event, so a second run the same day changes nothing.
    `progress(done, changed)` is called after each batch. Returns the number of files whose step changed."""
    queryset = (
        ClientFile.objects.exclude(status__in=("verhuisd", "beeindigd")).select_related("gemeente").order_by("pk")
    )
    if gemeente_id is not None:
        queryset = queryset.filter(gemeente_id=gemeente_id)
    changed = 0
    done = 0
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            break
        last_pk = batch[-1].pk
        with transaction.atomic():
            deadlines = deadlines_for(batch, as_of=as_of)
            dirty = []
            for client_file in batch:
                before = (client_file.next_deadline_on, client_file.next_deadline_kind)
                _apply_deadline(client_file, as_of=as_of, deadline=deadlines[client_file.pk])
                after = (client_file.next_deadline_on, client_file.next_deadline_kind)
                if after == before:
                    continue
                dirty.append(client_file)
                record_event(
                    event_type="deadlines_refreshed", purpose=PURPOSE_DEADLINES, gemeente=client_file.gemeente,
                    client_file=client_file, subject=client_file, via="job",
                    changes={
                        "next_deadline_on": {"old": _json(before[0]), "new": _json(after[0])},
                        "next_deadline_kind": {"old": before[1], "new": after[1]},
                    },
                )  # fmt: skip
            if dirty:
                ClientFile.objects.bulk_update(dirty, DEADLINE_FIELDS)
        changed += len(dirty)
        done += len(batch)
        if progress is not None:
            progress(done, changed)
    return changed
