"""Generating the volume's rows (``demo.volume``): people, households, files, status histories, notes and audit rows
that obey the rules the services would enforce."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from openinburgering.accounts.models import Gemeente, User
from openinburgering.audit.catalogue import EVENT_CODES
from openinburgering.audit.chain import canonical_content
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.choices import Doelgroep, FileStatus, Residence, ResidencePurpose
from openinburgering.clients.deadlines import next_deadline
from openinburgering.clients.models import ClientFile, Note, Person, StatusChange
from openinburgering.clients.services import PURPOSE_CASEWORK
from openinburgering.households.models import EducationKind, Household, HouseholdMember, Relation

from .. import names
from ..names import Origin
from .bulk import RowWriter
from .common import GENERIC_STREETS, NOTE_TEXTS, STATUS_MIX, STATUS_PATHS, STATUS_REASONS, STEP_GAPS, VolumeResult, _at

# --- generation ------------------------------------------------------------------------------------------


@dataclass
class _Member:
    person_index: int
    relation: str
    education_kind: str
    education_name: str
    started_on: date


def _pick_status(rng: random.Random) -> tuple[str, tuple[int, int]]:
    roll = rng.random()
    total = 0.0
    for status, share, window in STATUS_MIX:
        total += share
        if roll < total:
            return status, window
    return STATUS_MIX[-1][0], STATUS_MIX[-1][2]


def _education(age: int, rng: random.Random) -> tuple[str, str]:
    if age < 2:
        return (EducationKind.KINDEROPVANG, "Kinderopvang De Kleine Wereld") if rng.random() < 0.3 else ("", "")
    if age < 4:
        return EducationKind.VVE, "Peuterspeelzaal Het Zonnetje (VVE)"
    if age < 12:
        return EducationKind.BASISSCHOOL, rng.choice(("Basisschool De Regenboog", "OBS Het Palet", "De Spiegel"))
    if age < 18:
        return EducationKind.NIEUWKOMERSKLAS, "ISK Haarlem"
    return EducationKind.MBO_HBO_WO, "Nova College"


def _years_ago(today: date, years: float) -> date:
    return today - timedelta(days=int(years * 365.25))


def _generate(
    *,
    rng: random.Random,
    writer: RowWriter,
    gemeente: Gemeente,
    clients: int,
    as_of: date,
    bsns: Iterator[str],
    workers: list[User],
    team_of: dict[int, int | None],
    result: VolumeResult,
) -> None:
    import time as clock

    t0 = clock.perf_counter()
    now = datetime.now(UTC)
    if gemeente.code == "GM0392":
        streets, city, postcode_base = names.HAARLEM_STREETS, "Haarlem", 2011
    elif gemeente.code == "GM0473":
        streets, city, postcode_base = names.ZANDVOORT_STREETS, "Zandvoort", 2041
    else:
        streets, city, postcode_base = GENERIC_STREETS, gemeente.name, 0

    def new_person(origin: Origin, sex: str, birth_on: date, given: str | None = None, surname: str | None = None,
                   adult: bool = True) -> list[Any]:  # fmt: skip
        bsn = next(bsns)
        given = given or rng.choice(origin.male if sex == "M" else origin.female)
        needs_interpreter = adult and rng.random() < 0.35
        return [
            None, gemeente.pk, bsn, ("7" + bsn) if adult else "", given, "", surname or rng.choice(origin.surnames),
            birth_on, sex, origin.nationality_code, origin.country_code, origin.languages, needs_interpreter,
            origin.interpreter_language if needs_interpreter else "", "", "", "", city,
            f"06{rng.randrange(10_000_000, 99_999_999)}" if adult else "", "", now, now,
        ]  # fmt: skip

    persons: list[list[Any]] = []
    files: list[list[Any]] = []
    file_people: list[int] = []  # index into persons of each file's head
    histories: list[list[tuple[str, datetime]]] = []
    household_plans: list[list[_Member]] = []
    for _ in range(clients):
        status, (low, high) = _pick_status(rng)
        roll = rng.random()
        if roll < 0.62:
            doelgroep, residence, purpose = Doelgroep.ASIELSTATUSHOUDER, Residence.ASIEL, ""
            origin = rng.choice(names.ASYLUM_ORIGINS)
        elif roll < 0.92:
            doelgroep, residence = Doelgroep.GEZINSMIGRANT, Residence.REGULIER
            purpose = rng.choice((ResidencePurpose.GEZINSHERENIGING, ResidencePurpose.GEZINSVORMING))
            origin = rng.choice(names.FAMILY_ORIGINS)
        else:
            doelgroep, residence, purpose = Doelgroep.OVERIG, Residence.REGULIER, ResidencePurpose.OVERIG
            origin = rng.choice(names.ALL_ORIGINS)
        kennisgeving_on = as_of - timedelta(days=rng.randint(low, high))
        sex = "M" if rng.random() < 0.52 else "V"
        head_birth = _years_ago(kennisgeving_on, rng.uniform(18, 55)) - timedelta(days=rng.randrange(365))
        head = new_person(origin, sex, head_birth)
        head[14], head[15] = rng.choice(streets), str(rng.randint(1, 240))
        if postcode_base:
            head[16] = (
                f"{postcode_base + rng.randrange(0, 26)}{chr(65 + rng.randrange(26))}{chr(65 + rng.randrange(26))}"
            )
        persons.append(head)
        file_people.append(len(persons) - 1)

        # Key dates, never after today and never before birth.
        is_asylum = doelgroep == Doelgroep.ASIELSTATUSHOUDER
        residence_from_on = kennisgeving_on - timedelta(days=rng.randint(14, 90))
        coa_on = kennisgeving_on - timedelta(days=rng.randint(0, 30)) if is_asylum else None
        registered_on: date | None = min(as_of, kennisgeving_on + timedelta(days=rng.randint(-30, 45)))
        if is_asylum and status == FileStatus.AANGEMELD and rng.random() < 0.15:
            registered_on = None  # housed under the taakstelling but not yet in the BRP: PIP deadline waits
        housed_on = registered_on
        path = STATUS_PATHS[status]
        day = min(as_of, kennisgeving_on + timedelta(days=rng.randint(1, 6)))
        opened_on = day
        steps: list[tuple[str, date]] = [(path[0], day)]
        pip_on: date | None = None
        for step in path[1:]:
            gap = STEP_GAPS.get(step)
            if gap is None:  # a final status: some time between the last step and today
                remaining = (as_of - day).days
                day = day + timedelta(days=rng.randint(min(30, remaining), remaining) if remaining > 0 else 0)
            else:
                day = min(as_of, day + timedelta(days=rng.randint(*gap)))
            steps.append((step, day))
            if step == FileStatus.PIP:
                pip_on = day
        if status == FileStatus.PIP and rng.random() < 0.4:
            pip_on = None  # the PIP is still being drafted
        if status in (FileStatus.AANGEMELD, FileStatus.INTAKE):
            pip_on = None
        if status in (FileStatus.VRIJGESTELD_ONTHEVEN, FileStatus.BEEINDIGD):
            pip_on = None
        is_open = status not in (FileStatus.VERHUISD, FileStatus.BEEINDIGD)
        worker = rng.choice(workers)
        assigned: User | None = worker
        if is_open and status == FileStatus.AANGEMELD and rng.random() < 0.3:
            assigned = None
        status_at = _at(steps[-1][1], rng)
        draft = ClientFile(
            status=status, status_changed_at=status_at, kennisgeving_on=kennisgeving_on,
            housed_under_taakstelling=is_asylum, registered_on=registered_on, pip_dagtekening_on=pip_on,
        )  # fmt: skip
        deadline = next_deadline(draft, as_of=as_of)
        files.append([
            None, gemeente.pk, None, status, status_at, doelgroep, residence, purpose, residence_from_on,
            kennisgeving_on, coa_on, is_asylum, registered_on, housed_on, pip_on,
            assigned.pk if assigned else None, team_of.get(assigned.pk) if assigned else None,
            deadline.due_on, deadline.kind, as_of, opened_on, _at(opened_on, rng), status_at,
        ])  # fmt: skip
        histories.append([(s, _at(d, rng)) for s, d in steps])

        # Household: partner and children, persons in the file even without a plicht of their own.
        members: list[_Member] = []
        if rng.random() < 0.45:
            partner_sex = "V" if sex == "M" else "M"
            partner_birth = head_birth + timedelta(days=rng.randint(-5 * 365, 5 * 365))
            partner = new_person(origin, partner_sex, min(partner_birth, _years_ago(as_of, 18)), surname=None)
            persons.append(partner)
            members.append(_Member(len(persons) - 1, Relation.PARTNER, "", "", opened_on))
        children = rng.choices((0, 1, 2, 3, 4), weights=(45, 20, 17, 12, 6))[0]
        earliest_child = max(head_birth + timedelta(days=18 * 365), _years_ago(as_of, 17.5))
        span = (as_of - timedelta(days=30) - earliest_child).days
        for _child in range(children if span > 0 else 0):
            birth = earliest_child + timedelta(days=rng.randrange(span))
            age = int((as_of - birth).days / 365.25)
            kind, school = _education(age, rng)
            child = new_person(origin, rng.choice("MV"), birth, surname=head[6], adult=False)
            persons.append(child)
            members.append(_Member(len(persons) - 1, Relation.KIND, kind, school, max(opened_on, birth)))
        household_plans.append(members)
    result.timings["generate"] = clock.perf_counter() - t0

    # Primary keys, then the rows in foreign-key order.
    t0 = clock.perf_counter()
    person_ids = writer.reserve_ids(Person, len(persons))
    for row, pk in zip(persons, person_ids, strict=True):
        row[0] = pk
    result.first_bsn, result.last_bsn = (persons[0][2], persons[-1][2]) if persons else ("", "")
    result.persons = writer.write(Person, _PERSON_COLUMNS, persons)
    file_ids = writer.reserve_ids(ClientFile, len(files))
    for row, pk, person_index in zip(files, file_ids, file_people, strict=True):
        row[0], row[2] = pk, person_ids[person_index]
    result.clients = writer.write(ClientFile, _FILE_COLUMNS, files)
    result.timings["persons_files"] = clock.perf_counter() - t0

    t0 = clock.perf_counter()
    with_household = [i for i, members in enumerate(household_plans) if members]
    household_ids = writer.reserve_ids(Household, len(with_household))
    result.households = writer.write(
        Household, ("id", "gemeente_id", "created_at"), ((pk, gemeente.pk, now) for pk in household_ids)
    )
    member_rows: list[list[Any]] = []
    member_of_file: dict[int, list[int]] = {}
    for household_id, file_index in zip(household_ids, with_household, strict=True):
        head_id = person_ids[file_people[file_index]]
        opened_on = files[file_index][20]
        member_rows.append([None, household_id, head_id, Relation.AANVRAGER, "", "", opened_on, None, ""])
        for member in household_plans[file_index]:
            member_rows.append([None, household_id, person_ids[member.person_index], member.relation,
                                member.education_kind, member.education_name, member.started_on, None, ""])  # fmt: skip
            member_of_file.setdefault(file_index, []).append(len(member_rows) - 1)
    member_ids = writer.reserve_ids(HouseholdMember, len(member_rows))
    for row, pk in zip(member_rows, member_ids, strict=True):
        row[0] = pk
    result.members = writer.write(HouseholdMember, _MEMBER_COLUMNS, member_rows)
    result.timings["households"] = clock.perf_counter() - t0

    # Status history, notes and the audit trail that the services would have written.
    t0 = clock.perf_counter()
    change_count = sum(len(h) for h in histories)
    change_ids = iter(writer.reserve_ids(StatusChange, change_count))
    note_plan = [rng.choices((0, 1, 2), weights=(35, 45, 20))[0] for _ in files]
    note_ids = iter(writer.reserve_ids(Note, sum(note_plan)))
    status_rows: list[tuple[Any, ...]] = []
    note_rows: list[tuple[Any, ...]] = []
    audit_rows: list[tuple[Any, ...]] = []

    def audit(at: datetime, actor_id: int | None, file_id: int, event: str, subject: str, subject_id: int,
              changes: dict[str, Any], via: str = "ui") -> None:  # fmt: skip
        role = "klantregisseur" if actor_id else ""
        digest = hashlib.sha256(
            canonical_content(
                occurred_at=at,
                actor_id=actor_id,
                actor_role=role,
                gemeente_id=gemeente.pk,
                client_file_id=file_id,
                event_type=event,
                subject_type=subject,
                subject_id=str(subject_id),
                purpose=PURPOSE_CASEWORK,
                changes=changes,
                request_id="",
                via=via,
            ).encode("utf-8")
        ).hexdigest()  # the content hash of the audit chain (audit.chain), as AuditEvent.save does
        audit_rows.append((at, actor_id, role, gemeente.pk, file_id, event, subject, str(subject_id),
                           PURPOSE_CASEWORK, json.dumps(changes), "", via, digest))  # fmt: skip

    for index, (row, history) in enumerate(zip(files, histories, strict=True)):
        file_id = row[0]
        actor_id = row[15] or rng.choice(workers).pk
        previous = ""
        for status, at in history:
            change_id = next(change_ids)
            status_rows.append((change_id, file_id, previous, status, at, actor_id, STATUS_REASONS[status]))
            if previous:
                audit(at, actor_id, file_id, "client_status_changed", "statuschange", change_id,
                      {"status": {"old": previous, "new": status}})  # fmt: skip
            else:
                audit(at, actor_id, file_id, "client_file_registered", "clientfile", file_id,
                      {"status": {"old": None, "new": status}})  # fmt: skip
            if status == FileStatus.PIP and row[14] is not None:
                audit(at, actor_id, file_id, "client_file_updated", "clientfile", file_id,
                      {"pip_dagtekening_on": {"old": None, "new": row[14].isoformat()}})  # fmt: skip
            previous = status
        registered_at = history[0][1]
        for member_index in member_of_file.get(index, []):
            member_row = member_rows[member_index]
            audit(registered_at + timedelta(minutes=5), actor_id, file_id, "household_member_added",
                  "householdmember", member_row[0], {"relation": {"old": None, "new": member_row[3]}})  # fmt: skip
        last_at = history[-1][1]
        span_seconds = max(1, int((last_at - registered_at).total_seconds()))
        for _note in range(note_plan[index]):
            note_id = next(note_ids)
            at = registered_at + timedelta(seconds=rng.randrange(span_seconds))
            note_rows.append((note_id, file_id, rng.choice(NOTE_TEXTS), actor_id, at, None))
            audit(at, actor_id, file_id, "note_added", "note", note_id, {})
        for _read in range(rng.randint(1, 2)):
            at = registered_at + timedelta(seconds=rng.randrange(span_seconds))
            via = "api" if rng.random() < 0.15 else "ui"
            audit(at, actor_id, file_id, "client_file_read" if via == "api" else "client_file_viewed", "clientfile",
                  file_id, {}, via)  # fmt: skip
    assert {r[5] for r in audit_rows} <= EVENT_CODES
    result.timings["history_generate"] = clock.perf_counter() - t0
    t0 = clock.perf_counter()
    result.status_changes = writer.write(StatusChange, _STATUS_COLUMNS, status_rows)
    result.notes = writer.write(Note, _NOTE_COLUMNS, note_rows)
    result.timings["history_write"] = clock.perf_counter() - t0
    t0 = clock.perf_counter()
    result.audit_events = writer.write(AuditEvent, _AUDIT_COLUMNS, audit_rows)
    result.timings["audit_write"] = clock.perf_counter() - t0


_PERSON_COLUMNS = (
    "id", "gemeente_id", "bsn", "v_number", "given_names", "surname_prefix", "surname", "birth_on", "sex",
    "nationality_id", "birth_country_id", "languages", "interpreter_needed", "interpreter_language", "street",
    "house_number", "postcode", "city", "phone", "email", "created_at", "updated_at",
)  # fmt: skip
_FILE_COLUMNS = (
    "id", "gemeente_id", "person_id", "status", "status_changed_at", "doelgroep", "residence", "residence_purpose",
    "residence_from_on", "kennisgeving_on", "coa_koppeling_on", "housed_under_taakstelling", "registered_on",
    "housed_on", "pip_dagtekening_on", "assigned_to_id", "team_id", "next_deadline_on", "next_deadline_kind",
    "deadlines_computed_on", "opened_on", "created_at", "updated_at",
)  # fmt: skip
_MEMBER_COLUMNS = (
    "id", "household_id", "person_id", "relation", "education_kind", "education_name", "started_on", "ended_on",
    "ended_reason",
)  # fmt: skip
_STATUS_COLUMNS = ("id", "client_file_id", "from_status", "to_status", "changed_at", "changed_by_id", "reason")
_NOTE_COLUMNS = ("id", "client_file_id", "body", "author_id", "created_at", "corrects_id")
_AUDIT_COLUMNS = (
    "occurred_at", "actor_id", "actor_role", "gemeente_id", "client_file_id", "event_type", "subject_type",
    "subject_id", "purpose", "changes", "request_id", "via", "content_hash",
)  # fmt: skip
