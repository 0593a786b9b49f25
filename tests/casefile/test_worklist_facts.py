"""The caseload worklists read each row's stage, attendance and portal work as SQL subqueries in the row query
(#18: clients.worklist, core.sql). They must say what the selectors they stand for say: casefile.summary's
summaries_for, progress.selectors.attendance_rates and mijn.selectors' portal work. These tests build files in
every state those selectors tell apart and compare the two readings file by file."""

# ruff: noqa: F811 -- the fixtures imported below by name are the parameters of these tests

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from openinburgering.casefile.summary import stage_annotations, stage_label_of, summaries_for, summary_of
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.intakes.models import IntakeCall, LeefgebiedAssessment
from openinburgering.mijn import selectors as mijn_selectors
from openinburgering.mijn.models import Direction, PortalMessage
from openinburgering.plans.models import PipVersion
from openinburgering.progress import selectors as progress_selectors
from tests.casefile.test_summary_pages import intake_with
from tests.mijn.helpers import portal_items
from tests.progress.conftest import (  # noqa: F401 -- fixtures: placed enrolments and their weekly reports
    anouk_provider,
    enrol,
    hours,
    regional_contract,
    report,
)

pytestmark = pytest.mark.django_db


def call(client_file: ClientFile, user, sequence: int, outcome: str) -> None:
    IntakeCall.objects.create(
        client_file=client_file, sequence=sequence, planned_at=timezone.now() - timedelta(days=10 - sequence),
        location="Stadhuis", outcome=outcome, created_at=timezone.now(), created_by=user,
    )  # fmt: skip


def version(client_file: ClientFile, staff, number: int, status: str) -> None:
    approval = {"approved_by": staff["tamara"], "dagtekening_on": today()} if status == "vervangen" else {}
    PipVersion.objects.create(
        client_file=client_file, number=number, status=status, leerroute="b1", drafted_at=timezone.now(),
        drafted_by=staff["kim"], **approval,
    )  # fmt: skip


def files_in_every_state(make_file, staff) -> list[ClientFile]:
    kim = staff["kim"]
    files = [make_file(assigned_to="kim", person={"surname": f"Stand{i}"}) for i in range(11)]
    _nothing, called, failed, busy, done, absent, health, later, concept, waiting, replaced = files
    call(called, kim, 1, "pending")
    call(failed, kim, 1, "no_show")
    call(failed, kim, 2, "appeared")
    intake_with(busy, busy.person, kim, done=2, completed=False)
    intake_with(done, done.person, kim, done=3, completed=True)
    absent_intake = intake_with(absent, absent.person, kim, done=1, completed=True)
    absent_intake.in_absence = True
    absent_intake.save()
    health_intake = intake_with(health, health.person, kim, done=1, completed=False)
    LeefgebiedAssessment.objects.create(
        intake=health_intake, leefgebied="gezondheid", details={"health_consent": "nee"},
        updated_at=timezone.now(), updated_by=kim,
    )  # fmt: skip
    LeefgebiedAssessment.objects.create(
        intake=health_intake,
        leefgebied="financien",
        details={"health_consent": "nee"},
        updated_at=timezone.now(),
        updated_by=kim,
    )  # fmt: skip (not gezondheid: not done)
    ClientFile.objects.filter(pk=later.pk).update(pip_dagtekening_on=today() - timedelta(days=30))
    version(concept, staff, 1, "concept")
    version(waiting, staff, 1, "ter_goedkeuring")
    version(replaced, staff, 1, "vervangen")
    version(replaced, staff, 2, "concept")
    return files


def rows_of(files: list[ClientFile]) -> dict[int, dict]:
    return {
        row["pk"]: row
        for row in ClientFile.objects.filter(pk__in=[f.pk for f in files])
        .values("pk", "status", "pip_dagtekening_on", "person_id")
        .annotate(
            **stage_annotations(),
            **progress_selectors.attendance_annotations(today()),
            **mijn_selectors.portal_work_annotations(),
        )
    }


def test_the_stage_of_a_worklist_row_is_the_stage_of_its_summary(make_file, staff):
    files = files_in_every_state(make_file, staff)
    rows = rows_of(files)
    summaries = summaries_for(list(ClientFile.objects.filter(pk__in=[f.pk for f in files]).order_by("pk")))

    stages = {pk: stage_label_of(row) for pk, row in rows.items()}

    assert stages == {pk: summary.stage_label for pk, summary in summaries.items()}
    assert sorted(stages.values()) == sorted(
        [
            "Nog geen oproep",
            "Oproep 1: gepland",
            "Oproep 2: verschenen",
            "Brede intake bezig (2 van 9)",
            "Brede intake afgerond, nog geen PIP",
            "Brede intake afgerond, nog geen PIP",
            "Brede intake bezig (2 van 9)",
            f"PIP vastgesteld op {today() - timedelta(days=30):%d-%m-%Y}",
            "PIP in voorbereiding",
            "PIP ter goedkeuring",
            "PIP vastgesteld",
        ]
    )


def test_the_summary_of_one_file_in_one_query_is_its_summary(make_file, staff, django_assert_num_queries):
    """#18: summary_of (the file page, the API) reads the facts in one query; the same summary, oproep step
    included, as summaries_for."""
    files = list(ClientFile.objects.filter(pk__in=[f.pk for f in files_in_every_state(make_file, staff)]))
    summaries = summaries_for(files)
    for client_file in files:
        with django_assert_num_queries(1):
            summary = summary_of(client_file)
        assert summary == summaries[client_file.pk]


def test_the_attendance_of_a_worklist_row_is_its_attendance_rate(make_file, hours):
    low, good, old, nothing, offered_none = (make_file(assigned_to="kim") for _ in range(5))
    hours(low, {1: ("8", "5"), 2: ("8", "4.5")})
    hours(good, {1: ("8", "8"), 4: ("6", "5.5"), 0: ("8", "0")})  # week 0 is not complete: not counted
    hours(old, {5: ("8", "1")})  # before the window
    hours(offered_none, {1: ("0", "0")})
    files = [low, good, old, nothing, offered_none]
    rates = progress_selectors.attendance_rates(
        gemeente_id=low.gemeente_id, file_ids=[f.pk for f in files], as_of=today(), threshold=80
    )

    from_rows = {pk: progress_selectors.rate_of(row, 80) for pk, row in rows_of(files).items()}

    assert from_rows == {f.pk: rates.get(f.pk) for f in files}
    assert [from_rows[f.pk] is None for f in files] == [False, False, True, True, False]
    assert (from_rows[low.pk].percent, from_rows[low.pk].is_low) == (59, True)


def test_the_portal_work_of_a_worklist_row_is_its_portal_work(make_file, staff):
    busy, quiet = make_file(assigned_to="kim"), make_file(assigned_to="kim")
    portal_items(busy, staff)
    for read_at in (None, None, timezone.now()):
        PortalMessage.objects.create(
            client_file=busy,
            direction=Direction.FROM_CLIENT,
            body="Hallo",
            sender=staff["kim"],
            sent_at=timezone.now(),
            read_at=read_at,
        )
    PortalMessage.objects.create(
        client_file=quiet, direction=Direction.TO_CLIENT, body="Hallo", sender=staff["kim"], sent_at=timezone.now()
    )

    from_rows = {pk: mijn_selectors.portal_work_of(row) for pk, row in rows_of([busy, quiet]).items()}

    assert from_rows == {busy.pk: mijn_selectors.portal_work_for_files([busy.pk])[busy.pk], quiet.pk: None}
    assert from_rows[busy.pk] == mijn_selectors.PortalWork(unread_messages=2, open_requests=1, unseen_uploads=1)
