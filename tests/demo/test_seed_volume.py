"""seed --clients N: valid synthetic files that obey the same invariants as the services (no timings here)."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from django.core.management import call_command

from openinburgering.accounts.models import Membership
from openinburgering.audit.catalogue import EVENT_CODES
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.choices import CLOSED_STATUSES
from openinburgering.clients.deadlines import next_deadline
from openinburgering.clients.models import ClientFile, Person, StatusChange
from openinburgering.clients.workflow import can_transition
from openinburgering.core.bsn import is_valid_bsn
from openinburgering.core.dates import today
from openinburgering.demo.volume import VOLUME_BSN_FIRST, VOLUME_BSN_LAST, status_paths_follow_workflow, valid_bsns
from openinburgering.households.models import HouseholdMember

pytestmark = pytest.mark.django_db


def seed(clients: int) -> str:
    out = StringIO()
    call_command("seed", "--clients", str(clients), "--gemeente", "GM0392", stdout=out)
    return out.getvalue()


def test_seed_creates_fifty_valid_files_with_bsns_that_pass_the_elfproef() -> None:
    output = seed(50)

    files = list(ClientFile.objects.select_related("person"))
    persons = list(Person.objects.all())
    assert output.startswith("Added 50 clients to GM0392")
    assert len(files) == 50
    assert all(is_valid_bsn(p.bsn) for p in persons)
    assert all(VOLUME_BSN_FIRST <= int(p.bsn) <= VOLUME_BSN_LAST for p in persons)
    assert len({p.bsn for p in persons}) == len(persons)
    assert all(f.gemeente.code == "GM0392" and f.person.gemeente_id == f.gemeente_id for f in files)


def test_seed_deadlines_come_from_the_rules_and_histories_follow_the_workflow() -> None:
    seed(50)
    as_of = today()

    for client_file in ClientFile.objects.all():
        expected = next_deadline(client_file, as_of=as_of)
        assert (client_file.next_deadline_on, client_file.next_deadline_kind) == (expected.due_on, expected.kind)
        history = list(StatusChange.objects.filter(client_file=client_file).order_by("changed_at", "id"))
        assert history[0].from_status == ""
        assert history[0].to_status == "aangemeld"
        assert history[-1].to_status == client_file.status
        assert all(can_transition(a.to_status, b.to_status) and b.from_status == a.to_status
                   for a, b in itertools.pairwise(history))  # fmt: skip
    assert status_paths_follow_workflow()


def test_seed_audit_rows_use_catalogue_event_types_and_every_file_has_its_registration() -> None:
    seed(50)

    event_types = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert event_types <= EVENT_CODES
    assert AuditEvent.objects.filter(event_type="client_file_registered").count() == 50
    assert (
        AuditEvent.objects.filter(event_type="client_status_changed").count()
        == StatusChange.objects.exclude(from_status="").count()
    )
    assert (
        AuditEvent.objects.filter(event_type="household_member_added").count()
        == HouseholdMember.objects.exclude(relation="aanvrager").count()
    )


def test_seed_is_additive_a_second_run_adds_new_clients_without_bsn_collisions() -> None:
    seed(50)
    seed(30)

    bsns = list(Person.objects.values_list("bsn", flat=True))
    assert ClientFile.objects.count() == 80
    assert len(bsns) == len(set(bsns))
    assert Membership.objects.filter(user__username__startswith="seed-gm0392-kr-").count() == 3
    assert ClientFile.objects.exclude(status__in=CLOSED_STATUSES).values("person").distinct().count() == (
        ClientFile.objects.exclude(status__in=CLOSED_STATUSES).count()
    )


def test_valid_bsns_yields_every_elfproef_number_in_order() -> None:
    first = list(zip(range(5), valid_bsns(990_000_000 - 1), strict=False))
    numbers = [bsn for _, bsn in first]

    expected = [f"{n:09d}" for n in range(990_000_000, 990_000_100) if is_valid_bsn(f"{n:09d}")][:5]
    assert numbers == expected
