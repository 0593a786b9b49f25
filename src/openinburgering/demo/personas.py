"""The named personas shared by the demo seed and the tests, so a demo and a test speak of the same people.

Every persona logs in with DEMO_PASSWORD in the demo. Tests create them with `ensure_staff()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from openinburgering.accounts.models import Gemeente, Membership, Role, Team, User

HAARLEM = "GM0392"
ZANDVOORT = "GM0473"
DEMO_PASSWORD = "Inburgering-2026!"


@dataclass(frozen=True)
class StaffPersona:
    username: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[str, str, str], ...]  # (gemeente code, role code, team name or "")


STAFF: tuple[StaffPersona, ...] = (
    StaffPersona("kim", "Kim", "de Vries", ((HAARLEM, "klantregisseur", "Team Noord"),)),
    StaffPersona(
        "youssef",
        "Youssef",
        "El Amrani",
        ((HAARLEM, "klantregisseur", "Team Zuid"), (ZANDVOORT, "klantregisseur", "Team Zandvoort")),
    ),
    StaffPersona("tamara", "Tamara", "Bakker", ((HAARLEM, "teamleider", "Team Noord"),)),
    StaffPersona("frank", "Frank", "Jansen", ((HAARLEM, "financieel_consulent", ""),)),
    StaffPersona("carla", "Carla", "Smit", ((HAARLEM, "contractmanager", ""),)),
    # bram also compares the gemeenten of the arbeidsmarktregio (#16): the regional role is a second membership,
    # under Zandvoort so that his Haarlem membership stays the only one there (he switches gemeente to use it).
    StaffPersona("bram", "Bram", "Visser", ((HAARLEM, "beleidsmedewerker", ""), (ZANDVOORT, "regiocoordinator", ""))),
    StaffPersona("anouk", "Anouk", "Taalhuis", ((HAARLEM, "aanbieder", ""),)),
    StaffPersona("mira", "Mira", "Haddad", ((HAARLEM, "maatschappelijk_begeleider", ""),)),
    StaffPersona("fenna", "Fenna", "Mulder", ((HAARLEM, "functioneel_beheerder", ""),)),
    StaffPersona("zeynep", "Zeynep", "Kaya", ((ZANDVOORT, "klantregisseur", "Team Zandvoort"),)),
    StaffPersona("zoe", "Zoë", "Pieters", ((ZANDVOORT, "teamleider", "Team Zandvoort"),)),
    StaffPersona("ruben", "Ruben", "de Boer", ((ZANDVOORT, "functioneel_beheerder", ""),)),
    # The regiocoördinator of Zuid-Kennemerland en IJmond sees regional aggregates only (#16).
    StaffPersona("rik", "Rik", "Hendriks", ((HAARLEM, "regiocoordinator", ""),)),
)


@transaction.atomic
def ensure_staff(password: str = DEMO_PASSWORD) -> dict[str, User]:
    """Creates (or completes) every staff persona, their teams and memberships, and activates both gemeenten.
    Idempotent: a second call changes nothing."""
    Gemeente.objects.filter(code__in=(HAARLEM, ZANDVOORT)).update(is_active=True)
    gemeenten = {g.code: g for g in Gemeente.objects.filter(code__in=(HAARLEM, ZANDVOORT))}
    roles = {r.code: r for r in Role.objects.all()}
    users: dict[str, User] = {}
    for persona in STAFF:
        user, created = User.objects.get_or_create(
            username=persona.username,
            defaults={"first_name": persona.first_name, "last_name": persona.last_name,
                      "email": f"{persona.username}@example.org"},
        )  # fmt: skip
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        for gemeente_code, role_code, team_name in persona.memberships:
            gemeente = gemeenten[gemeente_code]
            team = Team.objects.get_or_create(gemeente=gemeente, name=team_name)[0] if team_name else None
            Membership.objects.get_or_create(
                user=user, gemeente=gemeente, role=roles[role_code], defaults={"team": team}
            )
        users[persona.username] = user
    return users
