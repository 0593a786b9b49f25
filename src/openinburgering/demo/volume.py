"""Synthetic volume for benchmarks: `seed --clients N --gemeente GMxxxx` (see the command for the contract).

Speed matters here (100,000 clients with about a million status and audit rows in under three minutes), so
this module writes rows directly: primary keys are reserved from the tables' sequences, and rows go in with
PostgreSQL COPY (psycopg 3 `cursor.copy`), or with `executemany` on other databases (small N in tests).
It therefore BYPASSES the services: it does not validate through `check_person`, nor call `record_event`.
What it writes still obeys every rule the services would enforce — BSNs pass the elfproef and are unique
per gemeente, one open file per person, status histories follow `clients.workflow`, deadlines come from
`clients.deadlines.next_deadline` (the rules module), audit rows use event types from `audit.catalogue` —
and the unit tests of `seed` check those invariants on the result.

Runs are ADDITIVE: each run adds N new clients. BSNs come from the reserved range VOLUME_BSN_FIRST..LAST
and continue after the highest one already present in the gemeente, so repeated runs never collide with
each other, with the demo (999_100_000..) or with the public BRP test persons (999_9xx_xxx).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection, transaction
from django.db.models import Max, Model
from django.utils import timezone

from openinburgering.accounts.models import Gemeente, Membership, Role, Team, User
from openinburgering.audit.catalogue import EVENT_CODES
from openinburgering.audit.chain import canonical_content, seal_pending
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.choices import Doelgroep, FileStatus, Residence, ResidencePurpose
from openinburgering.clients.deadlines import next_deadline
from openinburgering.clients.models import ClientFile, Note, Person, StatusChange
from openinburgering.clients.services import PURPOSE_CASEWORK
from openinburgering.clients.workflow import can_transition
from openinburgering.households.models import EducationKind, Household, HouseholdMember, Relation

from . import names
from .names import Origin

VOLUME_BSN_FIRST = 990_000_000
VOLUME_BSN_LAST = 998_999_999
CLIENTS_PER_CASEWORKER = 150
BULK_INDEX_THRESHOLD = 20_000  # from this many clients on, indexes are rebuilt after COPY instead of maintained
CASEWORKERS_PER_TEAM = 10
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def valid_bsns(after: int, last: int = VOLUME_BSN_LAST) -> Iterator[str]:
    """Every number above `after` (up to `last`) that passes the elfproef, in order. For each block of ten
    (same first eight digits) exactly one last digit fits, unless the weighted sum is 10 mod 11."""
    block = (after + 1) // 10
    while block * 10 <= last:
        digits = f"{block:08d}"
        check = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
        number = block * 10 + check
        if check <= 9 and after < number <= last:
            yield f"{number:09d}"
        block += 1


# Status paths from aanmelding to the final status, each step allowed by clients.workflow.
STATUS_PATHS: dict[str, tuple[str, ...]] = {
    FileStatus.AANGEMELD: (FileStatus.AANGEMELD,),
    FileStatus.INTAKE: (FileStatus.AANGEMELD, FileStatus.INTAKE),
    FileStatus.PIP: (FileStatus.AANGEMELD, FileStatus.INTAKE, FileStatus.PIP),
    FileStatus.IN_TRAJECT: (FileStatus.AANGEMELD, FileStatus.INTAKE, FileStatus.PIP, FileStatus.IN_TRAJECT),
    FileStatus.VOLDAAN: (
        FileStatus.AANGEMELD, FileStatus.INTAKE, FileStatus.PIP, FileStatus.IN_TRAJECT, FileStatus.VOLDAAN,
    ),
    FileStatus.VRIJGESTELD_ONTHEVEN: (FileStatus.AANGEMELD, FileStatus.INTAKE, FileStatus.VRIJGESTELD_ONTHEVEN),
    FileStatus.VERHUISD: (
        FileStatus.AANGEMELD, FileStatus.INTAKE, FileStatus.PIP, FileStatus.IN_TRAJECT, FileStatus.VERHUISD,
    ),
    FileStatus.BEEINDIGD: (FileStatus.AANGEMELD, FileStatus.INTAKE, FileStatus.BEEINDIGD),
}  # fmt: skip


def status_paths_follow_workflow() -> bool:
    """Every step of every path is an allowed transition (checked by the tests)."""
    return all(can_transition(a, b) for path in STATUS_PATHS.values() for a, b in itertools.pairwise(path))


STATUS_REASONS: dict[str, str] = {
    FileStatus.AANGEMELD: "Aanmelding",
    FileStatus.INTAKE: "Brede intake gepland",
    FileStatus.PIP: "Intake afgerond, PIP in voorbereiding",
    FileStatus.IN_TRAJECT: "PIP vastgesteld, leerroute gestart",
    FileStatus.VOLDAAN: "DUO: inburgeringsplicht voldaan",
    FileStatus.VRIJGESTELD_ONTHEVEN: "DUO: ontheffing verleend",
    FileStatus.VERHUISD: "Verhuisd naar een andere gemeente",
    FileStatus.BEEINDIGD: "Geen inburgeringsplicht meer (verblijf beëindigd)",
}
# Share of files per final status, and days between kennisgeving and today for that status (min, max).
STATUS_MIX: tuple[tuple[str, float, tuple[int, int]], ...] = (
    (FileStatus.AANGEMELD, 0.08, (0, 110)),
    (FileStatus.INTAKE, 0.10, (10, 160)),
    (FileStatus.PIP, 0.10, (40, 200)),
    (FileStatus.IN_TRAJECT, 0.45, (90, 1150)),
    (FileStatus.VOLDAAN, 0.08, (700, 1500)),
    (FileStatus.VRIJGESTELD_ONTHEVEN, 0.04, (60, 1000)),
    (FileStatus.VERHUISD, 0.08, (60, 1400)),
    (FileStatus.BEEINDIGD, 0.07, (60, 1400)),
)
NOTE_TEXTS = (
    "Intakegesprek gehad met tolk. Afspraken over taalles en werk besproken.",
    "Klant heeft de oproep ontvangen en komt naar het gesprek.",
    "Kinderopvang geregeld zodat de klant naar de taalles kan.",
    "Voortgangsgesprek: de klant gaat goed vooruit met lezen en luisteren.",
    "Contact met VluchtelingenWerk over begeleiding bij post en bankzaken.",
    "Klant wil graag aan het werk in de zorg. Verwijzing naar werkgeversdienst.",
    "Huisvesting is geregeld. Ontzorgen loopt zes maanden.",
    "Leerbaarheidstoets is ingepland bij de taalaanbieder.",
)
# Days between one step and the next on the way to the final status (min, max).
STEP_GAPS: dict[str, tuple[int, int]] = {
    FileStatus.INTAKE: (7, 30),
    FileStatus.PIP: (20, 40),
    FileStatus.IN_TRAJECT: (3, 20),
}
GENERIC_STREETS = ("Dorpsstraat", "Kerkstraat", "Stationsweg", "Molenweg", "Schoolstraat", "Julianastraat")


@dataclass
class VolumeResult:
    clients: int = 0
    persons: int = 0
    households: int = 0
    members: int = 0
    status_changes: int = 0
    notes: int = 0
    audit_events: int = 0
    caseworkers: int = 0
    first_bsn: str = ""
    last_bsn: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def status_and_audit_rows(self) -> int:
        return self.status_changes + self.audit_events


def _at(day: date, rng: random.Random) -> datetime:
    """A moment during office hours on `day`, Europe/Amsterdam, as an aware UTC datetime."""
    local = datetime.combine(day, time(8, 30), AMSTERDAM) + timedelta(minutes=rng.randrange(0, 8 * 60))
    return local.astimezone(UTC)


# --- caseworkers -----------------------------------------------------------------------------------------


def ensure_caseworkers(gemeente: Gemeente, count: int) -> tuple[list[User], dict[int, int | None]]:
    """Klantregisseurs `seed-<gm>-kr-NNN` in teams of ten with a teamleider `seed-<gm>-tl-NN` each, created
    for the volume (no usable password; `bench` sets one for the users it logs in with). Idempotent."""
    prefix = f"seed-{gemeente.code.lower()}"
    roles = {r.code: r for r in Role.objects.filter(code__in=("klantregisseur", "teamleider"))}
    unusable = make_password(None)
    team_count = math.ceil(count / CASEWORKERS_PER_TEAM)
    teams = []
    for t in range(1, team_count + 1):
        teams.append(Team.objects.get_or_create(gemeente=gemeente, name=f"Volumeteam {t:02d}")[0])
    wanted = [f"{prefix}-kr-{i:03d}" for i in range(1, count + 1)] + [
        f"{prefix}-tl-{t:02d}" for t in range(1, team_count + 1)
    ]
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(username=u, first_name="Volume", last_name=u.split("-", 2)[2].upper(), password=unusable,
                 email=f"{u}@example.invalid")
            for u in wanted if u not in existing
        ]
    )  # fmt: skip
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    have = set(
        Membership.objects.filter(user__in=users.values(), gemeente=gemeente).values_list(
            "user__username", "role__code"
        )
    )
    memberships = []
    for i in range(1, count + 1):
        name = f"{prefix}-kr-{i:03d}"
        if (name, "klantregisseur") not in have:
            team = teams[(i - 1) // CASEWORKERS_PER_TEAM]
            memberships.append(Membership(user=users[name], gemeente=gemeente, role=roles["klantregisseur"], team=team))
    for t in range(1, team_count + 1):
        name = f"{prefix}-tl-{t:02d}"
        if (name, "teamleider") not in have:
            memberships.append(
                Membership(user=users[name], gemeente=gemeente, role=roles["teamleider"], team=teams[t - 1])
            )
    Membership.objects.bulk_create(memberships)
    caseworkers = [users[f"{prefix}-kr-{i:03d}"] for i in range(1, count + 1)]
    team_of = {
        m.user_id: m.team_id
        for m in Membership.objects.filter(user__in=caseworkers, gemeente=gemeente, role__code="klantregisseur")
    }
    return caseworkers, team_of


# --- row writer ------------------------------------------------------------------------------------------


class RowWriter:
    """Reserves primary keys and writes rows: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self) -> None:
        self.is_postgres = connection.vendor == "postgresql"

    def reserve_ids(self, model: type[Model], count: int) -> list[int]:
        if count == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.is_postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608 -- table name from model meta, not input
            start = int(cursor.fetchone()[0]) + 1
            return list(range(start, start + count))

    def write(self, model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
        count = 0
        if self.is_postgres:
            connection.ensure_connection()
            raw = connection.connection
            assert raw is not None
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        materialised = list(rows)
        placeholders = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", materialised)  # noqa: S608 -- names from model meta
        return len(materialised)


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


def _drop_secondary_indexes() -> list[str]:
    """For a large run, building each index once after COPY is several times faster than maintaining it
    row by row (the trigram GIN indexes and the eight audit indexes above all). Drops every index of the bulk
    tables except primary keys and returns their definitions to recreate them in the same transaction; a
    unique index that would be violated fails the rebuild and rolls the seed back. Takes exclusive locks:
    for benchmark and test databases only, like the whole command."""
    tables = [m._meta.db_table for m in _BULK_MODELS]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _name, definition in indexes]


def _skip_foreign_key_triggers() -> bool:
    """Per-row foreign-key triggers dominate COPY time (three checks per audit row). The rows are generated
    consistent, so the seed switches them off for its own transaction (`session_replication_role = replica`,
    needs a superuser; without one the checks simply run) and verifies the references afterwards."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


_BULK_MODELS: tuple[type[Model], ...] = (Person, ClientFile, StatusChange, Note, Household, HouseholdMember, AuditEvent)
_REFERENCES = (
    (ClientFile, "person_id", Person), (ClientFile, "assigned_to_id", User), (HouseholdMember, "person_id", Person),
    (HouseholdMember, "household_id", Household), (StatusChange, "client_file_id", ClientFile),
    (Note, "client_file_id", ClientFile), (AuditEvent, "client_file_id", ClientFile),
)  # fmt: skip


def _verify_references() -> None:
    """Fails the seed (and so rolls it back) if any generated row points at a row that does not exist."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, column, target in _REFERENCES:
            table, other = quote(model._meta.db_table), quote(target._meta.db_table)
            cursor.execute(
                f"SELECT count(*) FROM {table} t WHERE t.{quote(column)} IS NOT NULL AND NOT EXISTS "  # noqa: S608 -- names from model meta, not input
                f"(SELECT 1 FROM {other} o WHERE o.id = t.{quote(column)})"
            )
            missing = cursor.fetchone()[0]
            if missing:
                raise RuntimeError(f"seed produced {missing} rows in {table} with a dangling {column}")


def seed_volume(
    *, gemeente_code: str, clients: int, seed: int = 2026, as_of: date, caseworkers: int | None = None
) -> VolumeResult:
    """Adds `clients` synthetic client files (with persons, households, history, notes and audit rows) to the
    gemeente. See the module docstring for what is and is not checked."""
    import time as clock

    started = clock.perf_counter()
    result = VolumeResult()
    gemeente = Gemeente.objects.get(code=gemeente_code)
    if not gemeente.is_active:
        Gemeente.objects.filter(pk=gemeente.pk).update(is_active=True)
    worker_count = caseworkers or max(3, math.ceil(clients / CLIENTS_PER_CASEWORKER))
    writer = RowWriter()
    skipped_fk_checks = False
    dropped_indexes: list[str] = []
    with transaction.atomic():
        if writer.is_postgres:
            with connection.cursor() as cursor:
                # One volume seed at a time per database: the BSN range continues from the current maximum.
                cursor.execute("SELECT pg_advisory_xact_lock(4202026)")
                cursor.execute("SET LOCAL synchronous_commit = off")
            skipped_fk_checks = _skip_foreign_key_triggers()
            if clients >= BULK_INDEX_THRESHOLD:
                dropped_indexes = _drop_secondary_indexes()
        workers, team_of = ensure_caseworkers(gemeente, worker_count)
        result.caseworkers = len(workers)
        highest = Person.objects.filter(
            gemeente=gemeente, bsn__gte=f"{VOLUME_BSN_FIRST:09d}", bsn__lte=f"{VOLUME_BSN_LAST:09d}"
        ).aggregate(top=Max("bsn"))["top"]
        bsns = valid_bsns(int(highest) if highest else VOLUME_BSN_FIRST - 1)
        rng = random.Random(f"{seed}-{gemeente_code}-{highest or ''}")  # noqa: S311 -- synthetic data, not security
        result.timings["setup"] = clock.perf_counter() - started
        _generate(
            rng=rng, writer=writer, gemeente=gemeente, clients=clients, as_of=as_of, bsns=bsns, workers=workers,
            team_of=team_of, result=result,
        )  # fmt: skip
        if dropped_indexes:
            t0 = clock.perf_counter()
            with connection.cursor() as cursor:
                for definition in dropped_indexes:
                    cursor.execute(definition)
            result.timings["indexes"] = clock.perf_counter() - t0
        if writer.is_postgres and skipped_fk_checks:
            t0 = clock.perf_counter()
            # The replica role switched the audit chain's seal trigger off too: seal the new events here.
            seal_pending(now=timezone.now())
            _verify_references()
            result.timings["verify"] = clock.perf_counter() - t0
    if writer.is_postgres:
        t0 = clock.perf_counter()
        with connection.cursor() as cursor:
            # VACUUM sets the visibility map, so counts can use index-only scans as on a settled database;
            # inside an outer transaction (tests) only ANALYZE is possible.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            for model in _BULK_MODELS:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
        result.timings["analyze"] = clock.perf_counter() - t0
    result.timings["total"] = clock.perf_counter() - started
    return result


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
