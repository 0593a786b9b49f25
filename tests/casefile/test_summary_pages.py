"""The file page, the caseload, Vroege start and the API say the same thing about a file, from
casefile.summary (issue #11 item 4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from openinburgering.clients.services import change_status, update_client_file
from openinburgering.households.services import add_household_member
from openinburgering.intakes.models import Intake, IntakeCall, LeefgebiedAssessment
from openinburgering.plans.models import PipVersion

pytestmark = pytest.mark.django_db

IN_AZC = {"coa_koppeling_on": date(2025, 6, 20), "housed_under_taakstelling": True}


def in_traject_without_oproepen(make_file, actor):
    """A file taken over from another system: in traject with a PIP, but no oproepen recorded here."""
    kim = actor("kim")
    client_file = make_file(assigned_to="kim", person={"surname": "Overgenomen"})
    for status in ("intake", "pip"):
        change_status(actor=kim, client_file=client_file, to_status=status, reason="Overgenomen")
    client_file.refresh_from_db()
    update_client_file(actor=kim, client_file=client_file, data={"pip_dagtekening_on": date(2025, 9, 1)})
    client_file.refresh_from_db()
    change_status(actor=kim, client_file=client_file, to_status="in_traject", reason="Overgenomen")
    client_file.refresh_from_db()
    return client_file


def test_a_file_in_traject_never_asks_for_a_first_oproep(login, make_file, actor):
    client_file = in_traject_without_oproepen(make_file, actor)

    content = login("kim").get(f"/dossiers/{client_file.pk}/").content.decode()

    assert "Eerste oproep plannen" not in content
    assert "<dd>Geen: het PIP is vastgesteld</dd>" in content
    assert "<dt>Stand van zaken</dt><dd>PIP vastgesteld op 01-09-2025</dd>" in content


def intake_with(client_file, person, user, *, done: int, completed: bool) -> Intake:
    intake = Intake.objects.create(
        client_file=client_file, person=person, started_at=timezone.now(), started_by=user,
        status="completed" if completed else "in_progress", completed_at=timezone.now() if completed else None,
    )  # fmt: skip
    codes = ["taal_inburgering", "werk_inkomen", "huisvesting"][:done]
    LeefgebiedAssessment.objects.bulk_create(
        LeefgebiedAssessment(intake=intake, leefgebied=code, score=3, updated_at=timezone.now(), updated_by=user)
        for code in codes
    )
    return intake


def test_vroege_start_shows_the_intake_of_the_person_as_the_file_page_does(login, make_file, staff, actor):
    kim = staff["kim"]
    not_started = make_file(assigned_to="kim", person={"surname": "Partnerintake"}, file=IN_AZC)
    partner = add_household_member(
        actor=actor("kim"), client_file=not_started, relation="partner", started_on=date(2025, 7, 1),
        person_data={"given_names": "Rasha", "surname": "Partnerintake", "birth_on": date(1992, 1, 1)},
    ).person  # fmt: skip
    intake_with(not_started, partner, kim, done=2, completed=False)  # only the partner's intake has started
    busy = make_file(assigned_to="kim", person={"surname": "Bezig"}, file=IN_AZC)
    intake_with(busy, busy.person, kim, done=2, completed=False)
    IntakeCall.objects.create(
        client_file=busy, sequence=1, planned_at=timezone.now() - timedelta(days=3), location="azc",
        outcome="appeared", created_at=timezone.now(), created_by=kim,
    )  # fmt: skip

    content = login("kim").get("/dossiers/vroege-start/").content.decode()
    file_page = login("kim").get(f"/dossiers/{busy.pk}/").content.decode()

    assert "Gestart" not in content
    assert content.count("Nog niet gestart") == 1
    assert content.count("Bezig: 2 van 9 leefgebieden klaar") == 1
    assert content.count("Oproep 1: verschenen") == 1
    assert content.count("Nog geen oproep") == 1
    assert content.count("Nog geen PIP") == 2
    assert "<dt>Stand van zaken</dt><dd>Brede intake bezig (2 van 9)</dd>" in file_page


def test_the_caseload_row_shows_where_the_file_stands(login, make_file, staff):
    client_file = make_file(assigned_to="kim", person={"surname": "Rij"})
    intake_with(client_file, client_file.person, staff["kim"], done=3, completed=True)
    PipVersion.objects.create(
        client_file=client_file, number=1, status="ter_goedkeuring", leerroute="b1", drafted_at=timezone.now(),
        drafted_by=staff["kim"],
    )  # fmt: skip

    content = login("kim").get("/dossiers/caseload/").content.decode()

    assert 'Aangemeld<br><span class="app-muted">PIP ter goedkeuring</span>' in content
