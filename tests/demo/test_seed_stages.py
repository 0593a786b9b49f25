"""seed_demo: households in every stage after the aanmelding, with the next step the daily job computes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from openinburgering import rules
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.demo.households import (
    HOUSEHOLDS,
    JOURNEY_GEMEENTE,
    JOURNEY_HEAD_GIVEN_NAMES,
    JOURNEY_HOUSEHOLD_SURNAME,
)
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.demo.stages import ALL_STAGES
from openinburgering.households.models import HouseholdMember
from openinburgering.intakes.models import Intake, IntakeCall, LearnabilityTest, RouteAdvice
from openinburgering.plans.models import PipVersion, ProgressTalk

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def file_of(surname: str) -> ClientFile:
    return ClientFile.objects.select_related("person", "gemeente").get(person__surname=surname)


def stage_rows() -> dict[str, int]:
    return {
        "calls": IntakeCall.objects.count(), "intakes": Intake.objects.count(), "lbt": LearnabilityTest.objects.count(),
        "advice": RouteAdvice.objects.count(), "versions": PipVersion.objects.count(),
        "talks": ProgressTalk.objects.count(),
    }  # fmt: skip


def test_every_stage_is_seeded_once_and_a_second_run_adds_nothing() -> None:
    seed()
    first = stage_rows()
    assert seed().startswith(f"Demo households: 0 created, {len(HOUSEHOLDS)} already there; 0 deadlines refreshed")
    assert stage_rows() == first
    assert {spec.stage for spec in HOUSEHOLDS if spec.stage} == set(ALL_STAGES)
    assert {spec.gemeente for spec in HOUSEHOLDS if spec.stage} == {JOURNEY_GEMEENTE, ZANDVOORT}


def test_the_journey_household_is_a_fresh_coa_family_in_the_azc_with_nothing_planned() -> None:
    seed()
    client_file = ClientFile.objects.get(
        gemeente__code=JOURNEY_GEMEENTE, person__surname=JOURNEY_HOUSEHOLD_SURNAME,
        person__given_names=JOURNEY_HEAD_GIVEN_NAMES,
    )  # fmt: skip
    household = HouseholdMember.objects.get(person=client_file.person).household
    relations = sorted(household.members.values_list("relation", flat=True))
    assert len(relations) == 3
    assert "partner" in relations
    assert "kind" in relations
    assert client_file.coa_koppeling_on is not None
    assert client_file.housed_on is None
    assert client_file.doelgroep == "asielstatushouder"
    assert client_file.status == "aangemeld"
    assert not IntakeCall.objects.filter(client_file=client_file).exists()
    assert ClientFile.objects.filter(person__surname=JOURNEY_HOUSEHOLD_SURNAME).count() == 1


def test_each_stage_gives_the_next_step_from_the_rules() -> None:
    seed()
    as_of = today()
    pending = file_of("Tekle")
    call = IntakeCall.objects.get(client_file=pending)
    assert (pending.next_deadline_kind, pending.next_deadline_on) == ("intake_call", call.planned_at.date())

    no_show = file_of("Noori")
    failed = IntakeCall.objects.get(client_file=no_show)
    assert failed.next_step == rules.intake_next_step(calls=[rules.CallStatus.NO_SHOW]).next_step
    assert no_show.next_deadline_kind == "intake_next_step"
    assert no_show.next_deadline_on is not None
    assert no_show.next_deadline_on < as_of

    assert Intake.objects.get(client_file=file_of("Farah")).status == "in_progress"
    lbt = LearnabilityTest.objects.get(client_file=file_of("Moradi"))
    assert (lbt.outcome, lbt.threshold) == ("haalbaar", 28)
    assert RouteAdvice.objects.get(client_file=file_of("Moradi")).lbt_id == lbt.pk

    concept = PipVersion.objects.get(client_file=file_of("Darwish"))
    assert concept.status == "ter_goedkeuring"
    assert (concept.drafted_by.username, concept.submitted_by.username) == ("kim", "kim")
    assert file_of("Darwish").next_deadline_kind == "pip_due"

    for surname in ("Ghebre", "Nasser"):
        client_file = file_of(surname)
        version = PipVersion.objects.get(client_file=client_file)
        assert version.status == "vastgesteld"
        assert version.approved_by.username == "tamara"
        assert version.dagtekening_on == client_file.pip_dagtekening_on
        termijn = rules.termijn(pip_dagtekening_on=version.dagtekening_on)
        assert version.termijn_end_on == termijn.termijn_end_on
        next_talk = ProgressTalk.objects.filter(client_file=client_file, held_on__isnull=True).earliest("planned_on")
        assert (client_file.next_deadline_kind, client_file.next_deadline_on) == ("progress_talk", next_talk.planned_on)

    vroege_start = file_of("Nasser")
    assert vroege_start.coa_koppeling_on is not None
    assert vroege_start.housed_on is None
    zandvoort = file_of("Kidane")
    assert zandvoort.gemeente.code == ZANDVOORT
    assert zandvoort.next_deadline_kind == "intake_call"


def test_the_seed_leaves_nothing_for_the_daily_job_to_change() -> None:
    seed()
    out = StringIO()
    call_command("refresh_deadlines", stdout=out, stderr=StringIO())
    assert out.getvalue().startswith("0 client files got a new next deadline")
