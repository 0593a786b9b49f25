"""The demo of ontzorgen part B: a simulated bank statement with one return on the worklist, a toeslagen gap for
the ended household, a loslaten plan for the one ending soon; a second seed adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from openinburgering.core.dates import today
from openinburgering.ontzorgen import toeslagen
from openinburgering.ontzorgen.models import BankStatement, LoslatenStep, StatementLine, ToeslagRecord

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_return_on_the_worklist_a_toeslagen_gap_and_a_plan_and_is_idempotent() -> None:
    call_command("seed_demo", stdout=StringIO())

    statement = BankStatement.objects.get()
    assert (statement.returned_count, statement.unmatched_count) == (1, 1)
    assert StatementLine.objects.filter(outcome="returned", return_reason="AC04").count() == 1
    gap = toeslagen.toeslagen_gap(gemeente_id=statement.gemeente_id, as_of=today())
    assert len(gap) == 2  # the ended household (nothing recorded) and the one ending soon (huurtoeslag applied)
    assert LoslatenStep.objects.filter(kind="einde").count() == 1
    counts = (BankStatement.objects.count(), StatementLine.objects.count(), ToeslagRecord.objects.count(),
              LoslatenStep.objects.count())  # fmt: skip

    call_command("seed_demo", stdout=StringIO())

    assert (BankStatement.objects.count(), StatementLine.objects.count(), ToeslagRecord.objects.count(),
            LoslatenStep.objects.count()) == counts  # fmt: skip
