"""Shared parts of the synthetic volume (``demo.volume``): the reserved BSN range, the status paths that follow
``clients.workflow``, the status mix, the result, and the caseworkers the files are spread over."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password

from openinburgering.accounts.models import Gemeente, Membership, Role, Team, User
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.workflow import can_transition

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
