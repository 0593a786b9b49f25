"""The ontzorgen demo: households in every stage, last month's run approved with its file, this month's run waiting
for a second person; a second run adds nothing."""

from __future__ import annotations

import pytest

from openinburgering.core.dates import today
from openinburgering.demo.ontzorgen import ensure_demo_ontzorgen
from openinburgering.ontzorgen.models import LedgerEntry, Obligation, OntzorgenRecord, PaymentFile, PaymentRun
from openinburgering.ontzorgen.selectors import Stage, obligations_missing_iban_or_machtiging, stage_of

pytestmark = pytest.mark.django_db


def test_demo_has_every_stage_and_a_run_waiting_for_approval(make_file, staff):
    for _ in range(4):
        make_file()
    assert ensure_demo_ontzorgen(today=today()) == 4
    stages = sorted(stage_of(record, as_of=today()) for record in OntzorgenRecord.objects.all())
    assert stages == sorted([Stage.STARTING, Stage.RUNNING, Stage.ENDING, Stage.ENDED])
    runs = list(PaymentRun.objects.order_by("month").values_list("status", "built_by__username"))
    assert runs == [("approved", "frank"), ("built", "frank")]
    assert PaymentFile.objects.count() == 1
    gemeente_id = OntzorgenRecord.objects.first().gemeente_id
    assert [o.creditor_name for o in obligations_missing_iban_or_machtiging(gemeente_id, as_of=today())] == [
        "Energie Zuid-Kennemerland (fictief)"
    ]
    counts = (Obligation.objects.count(), LedgerEntry.objects.count(), PaymentRun.objects.count())
    assert ensure_demo_ontzorgen(today=today()) == 0
    assert (Obligation.objects.count(), LedgerEntry.objects.count(), PaymentRun.objects.count()) == counts
