"""seed_demo: loads every status, doelgroep and role through the services, and a second run changes nothing."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from openinburgering.accounts.models import Membership
from openinburgering.accounts.roles import RoleCode
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.choices import Doelgroep, FileStatus
from openinburgering.clients.models import ClientFile, Note, Person, StatusChange
from openinburgering.core.bsn import is_valid_bsn
from openinburgering.demo.households import HOUSEHOLDS, brp_persons
from openinburgering.demo.personas import STAFF
from openinburgering.households.models import HouseholdMember

pytestmark = pytest.mark.django_db


def counts() -> dict[str, Any]:
    return {
        "persons": Person.objects.count(),
        "files": ClientFile.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "notes": Note.objects.count(),
        "members": HouseholdMember.objects.count(),
        "audit": AuditEvent.objects.count(),
        "memberships": Membership.objects.count(),
        "deadlines": sorted(ClientFile.objects.values_list("pk", "next_deadline_on", "next_deadline_kind")),
    }


def run_seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_loads_every_household_and_a_second_run_changes_nothing() -> None:
    first = run_seed_demo()
    after_first = counts()
    second = run_seed_demo()

    assert first.startswith(f"Demo households: {len(HOUSEHOLDS)} created, 0 already there")
    assert second.startswith(f"Demo households: 0 created, {len(HOUSEHOLDS)} already there; 0 deadlines refreshed")
    assert counts() == after_first
    assert after_first["files"] == len(HOUSEHOLDS) == 39  # 30 + 9 in the stages after the aanmelding


def test_seed_demo_covers_every_status_doelgroep_role_and_both_gemeenten() -> None:
    run_seed_demo()

    assert set(ClientFile.objects.values_list("status", flat=True)) == set(FileStatus.values)
    assert set(ClientFile.objects.values_list("doelgroep", flat=True)) == set(Doelgroep.values)
    assert set(Membership.objects.values_list("role__code", flat=True)) == set(RoleCode.values)
    assert set(ClientFile.objects.values_list("gemeente__code", flat=True)) == {"GM0392", "GM0473"}
    assert ClientFile.objects.filter(assigned_to__isnull=True).count() == 3
    assert sorted(set(ClientFile.objects.values_list("assigned_to__username", flat=True)) - {None}) == [
        "kim", "youssef", "zeynep",
    ]  # fmt: skip
    assert {p.username for p in STAFF} <= set(Membership.objects.values_list("user__username", flat=True))


def test_seed_demo_persons_are_public_brp_test_persons_or_from_the_demo_range() -> None:
    run_seed_demo()

    bsns = list(Person.objects.values_list("bsn", flat=True))
    brp = set(brp_persons())
    assert len(bsns) == 66
    assert all(is_valid_bsn(bsn) for bsn in bsns)
    assert all(bsn in brp or 999_100_000 <= int(bsn) < 999_200_000 for bsn in bsns)
    assert len([bsn for bsn in bsns if bsn in brp]) == 21


def test_seed_demo_writes_history_through_the_services_with_matching_audit_events() -> None:
    run_seed_demo()

    status_changes = StatusChange.objects.exclude(from_status="").count()
    assert AuditEvent.objects.filter(event_type="client_status_changed").count() == status_changes
    assert AuditEvent.objects.filter(event_type="client_file_registered").count() == len(HOUSEHOLDS)
    assert (
        AuditEvent.objects.filter(event_type="note_added").count()
        + AuditEvent.objects.filter(event_type="note_corrected").count()
        == Note.objects.count()
    )
    assert Note.objects.filter(corrects__isnull=False).count() == 1
    assert AuditEvent.objects.filter(event_type="client_file_reassigned").count() == 1
    assert AuditEvent.objects.filter(event_type="client_file_viewed").count() == len(HOUSEHOLDS)
    # Back-dated: the first status change of a file is its aanmelding, days to years ago.
    oldest = StatusChange.objects.order_by("changed_at").first()
    assert oldest is not None
    assert oldest.to_status == FileStatus.AANGEMELD


def test_seed_demo_worklists_show_overdue_due_this_week_and_later_deadlines() -> None:
    from openinburgering.core.dates import today

    run_seed_demo()
    as_of = today()
    open_files = ClientFile.objects.exclude(next_deadline_on__isnull=True)
    days = [(f.next_deadline_on - as_of).days for f in open_files]

    # Three PIP deadlines, the no-show's next step and Zahra Karimi's vervolg (voldaan, nothing recorded yet).
    assert len([d for d in days if d < 0]) == 5
    assert len([d for d in days if 0 <= d <= 7]) >= 3
    assert len([d for d in days if d > 30]) >= 5
    assert ClientFile.objects.filter(next_deadline_kind="pip_waiting").count() == 2  # Ahmadi and the journey
