"""Every demo file agrees with itself (issue #11 item 4): its status, oproepen, brede intake, PIP and next step.

The rules, stated once:
- aangemeld: no brede intake and no PIP yet;
- intake: at least one oproep, and no PIP yet;
- pip: the intake of the file's person is completed;
- in_traject and voldaan: the intake is completed and a PIP is vastgesteld, with the file's dagtekening;
- a completed intake has every leefgebied done (or was completed in absence);
- a PIP (open or vastgesteld) only after a completed intake;
- the next oproep step "Eerste oproep plannen" only for a file without oproepen that is aangemeld or in intake;
  after the intake phase (pip, in_traject, voldaan, ...) there is no oproep step at all;
- in_traject: the next deadline is one of the termijn, not one from before the PIP.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from openinburgering.accounts.models import User
from openinburgering.casefile.summary import CallState, FileSummary, IntakeState, PipState, summaries_for
from openinburgering.casefile.timeline import UNKNOWN_ACTOR, timeline_for
from openinburgering.clients.choices import FileStatus
from openinburgering.clients.models import ClientFile
from openinburgering.demo.households import HOUSEHOLDS
from openinburgering.demo.loader import TEAMLEADER
from openinburgering.plans.models import PipVersion
from openinburgering.rules import IntakeStep
from tests.conftest import actor_for

pytestmark = pytest.mark.django_db

BEFORE_PIP_KINDS = {
    "intake_call", "intake_next_step", "lbt_planned", "pip_due", "pip_due_registration", "pip_due_third_party",
    "pip_due_move", "pip_waiting",
}  # fmt: skip


def contradictions(client_file: ClientFile, summary: FileSummary) -> list[str]:
    found: list[str] = []
    status = client_file.status

    def check(condition: bool, rule: str) -> None:
        if not condition:
            found.append(f"{client_file.person.full_name} ({status}): {rule}")

    if status == FileStatus.AANGEMELD:
        check(summary.intake_state == IntakeState.NOT_STARTED, "aangemeld ⇒ no brede intake")
        check(summary.pip_state == PipState.NONE, "aangemeld ⇒ no PIP")
    if status == FileStatus.INTAKE:
        check(summary.call_state != CallState.NONE, "intake ⇒ at least one oproep")
        check(summary.pip_state == PipState.NONE, "intake ⇒ no PIP yet")
    if status == FileStatus.PIP:
        check(summary.intake_state == IntakeState.COMPLETED, "pip ⇒ intake completed")
    if status in (FileStatus.IN_TRAJECT, FileStatus.VOLDAAN):
        check(summary.intake_state == IntakeState.COMPLETED, "in traject/voldaan ⇒ intake completed")
        check(summary.pip_state == PipState.VASTGESTELD, "in traject/voldaan ⇒ PIP vastgesteld")
        version = PipVersion.objects.filter(client_file=client_file, status="vastgesteld").first()
        check(version is not None, "in traject/voldaan ⇒ a vastgestelde PIP version")
        if version is not None:
            check(version.dagtekening_on == client_file.pip_dagtekening_on, "dagtekening of file = of the version")
    if summary.intake_state == IntakeState.COMPLETED:
        check(
            summary.intake_done == summary.intake_total or summary.intake_in_absence,
            f"intake completed ⇒ every leefgebied done (was {summary.intake_done} of {summary.intake_total})",
        )
    if summary.pip_state != PipState.NONE:
        check(summary.intake_state == IntakeState.COMPLETED, "a PIP ⇒ intake completed")
    if summary.oproep_step == IntakeStep.FIRST_CALL:
        check(status in (FileStatus.AANGEMELD, FileStatus.INTAKE), "first oproep ⇒ aangemeld or intake")
        check(summary.call_count == 0, "first oproep ⇒ no oproepen yet")
    if status not in (FileStatus.AANGEMELD, FileStatus.INTAKE):
        check(summary.oproep_step == "", f"after the intake phase ⇒ no oproep step (was {summary.oproep_step!r})")
    if status == FileStatus.IN_TRAJECT:
        check(
            client_file.next_deadline_kind not in BEFORE_PIP_KINDS,
            f"in traject ⇒ a next step of the termijn (was {client_file.next_deadline_kind!r})",
        )
    return found


def test_every_demo_file_agrees_with_itself() -> None:
    call_command("seed_demo", stdout=StringIO())
    files = list(ClientFile.objects.select_related("person").order_by("pk"))
    summaries = summaries_for(files)

    problems = [problem for f in files for problem in contradictions(f, summaries[f.pk])]

    assert len(files) == len(HOUSEHOLDS)
    assert problems == []


def test_every_step_of_every_demo_file_says_who_did_it() -> None:
    call_command("seed_demo", stdout=StringIO())
    leaders = {code: actor_for(User.objects.get(username=name), code) for code, name in TEAMLEADER.items()}
    unknown = [
        f"{f.person.full_name}: {entry.title}"
        for f in ClientFile.objects.select_related("person", "gemeente").order_by("pk")
        for entry in timeline_for(actor=leaders[f.gemeente.code], client_file=f)
        if entry.actor == UNKNOWN_ACTOR
    ]
    assert unknown == []
