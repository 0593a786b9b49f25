"""Begeleid loslaten, partial (#13 gap 5): doing the "zelf betalen" step ends that obligation from a date, so later
runs stop paying it; it shows on the page, in the API, the audit trail, the end letter and the client statement."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError
from openinburgering.letters.models import Letter
from openinburgering.ontzorgen import loslaten, services, statement
from openinburgering.ontzorgen.models import LedgerEntry, LoslatenStepDone, Obligation
from openinburgering.ontzorgen.periods import month_start, next_month
from openinburgering.ontzorgen.selectors import reclaims_of
from openinburgering.rules.dates import add_months

pytestmark = pytest.mark.django_db

THIS_MONTH = month_start(today())
NEXT_MONTH = next_month(THIS_MONTH)
START = add_months(THIS_MONTH, -4)  # ontzorgen runs until the end of next month


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _setup(ontzorgen_file: Any, obligation: Any, actor: Any) -> tuple[Any, Obligation, Obligation, Any]:
    client_file = ontzorgen_file(start=START)
    rent = obligation(client_file, start_on=START)
    water = obligation(
        client_file, kind="water", creditor_name="PWN Waterleidingbedrijf", amount_cents=2_550, start_on=START
    )
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    services.approve_run(actor=actor("tamara"), run=run)
    steps = loslaten.plan_loslaten(actor=actor("frank"), client_file=client_file, data={"obligation": water.pk})
    [self_pay] = [step for step in steps if step.kind == "zelf_betalen"]
    return client_file, rent, water, self_pay


def test_the_client_paying_an_obligation_ends_it_and_later_runs_stop_paying_it(
    account: Any, ontzorgen_file: Any, obligation: Any, actor: Any, login: Any, api: Any
) -> None:
    client_file, rent, water, self_pay = _setup(ontzorgen_file, obligation, actor)
    # Done today without a date: the client pays from the first day of next month.
    loslaten.complete_step(actor=actor("frank"), client_file=client_file, step=self_pay, data={}, today=today())
    water.refresh_from_db()
    assert water.end_on == NEXT_MONTH - timedelta(days=1)
    following, _ = services.build_run(actor=actor("frank"), month=NEXT_MONTH)
    assert list(following.payments.values_list("obligation_id", flat=True)) == [rent.pk]
    assert reclaims_of(client_file.pk) == []  # nothing was paid for a month the client pays
    event = AuditEvent.objects.get(event_type="loslaten_step_completed", client_file=client_file)
    assert event.changes["pays_from"] == NEXT_MONTH.isoformat()
    assert event.changes["obligation"] == water.pk
    changed = AuditEvent.objects.get(event_type="obligation_changed", client_file=client_file)
    assert changed.changes["changed_fields"] == ["end_on"]
    # The pages, the API, the statement and the end letter say it.
    frank = login("frank")
    page = frank.get(reverse("ontzorgen-nazorg:loslaten", kwargs={"file_id": client_file.pk})).content.decode()
    assert f"tot en met {water.end_on:%d-%m-%Y}. Daarna betaalt de klant dit zelf." in page
    index = frank.get(reverse("ontzorgen:index", kwargs={"file_id": client_file.pk})).content.decode()
    assert "Daarna betaalt de klant dit zelf (begeleid loslaten)." in index
    rows = api("frank").get(f"/api/v1/clients/{client_file.pk}/loslaten").json()
    [row] = [row for row in rows if row["id"] == self_pay.pk]
    assert row["client_pays_from"] == NEXT_MONTH.isoformat()
    assert "Dit betaalt u al zelf" in _text(statement.render_statement(actor=actor("frank"), client_file=client_file))
    end = next(step for step in loslaten.steps_of(client_file) if step.kind == "einde")
    done = loslaten.complete_step(actor=actor("frank"), client_file=client_file, step=end, data={}, today=today())
    letter = _text(bytes(Letter.objects.get(pk=done.letter_id).content))
    assert "PWN Waterleidingbedrijf" in letter
    assert "dit betaalt u al zelf sinds" in letter


def test_taking_over_a_month_already_paid_is_corrected_to_reclaim(
    account: Any, ontzorgen_file: Any, obligation: Any, actor: Any
) -> None:
    client_file, _rent, water, self_pay = _setup(ontzorgen_file, obligation, actor)
    loslaten.complete_step(
        actor=actor("frank"), client_file=client_file, step=self_pay, data={"pays_from": THIS_MONTH}, today=today()
    )
    correction = LedgerEntry.objects.get(obligation=water, kind="corrected")
    assert (correction.amount_cents, correction.period) == (-2_550, THIS_MONTH)
    assert f"de klant betaalt dit zelf vanaf {THIS_MONTH:%d-%m-%Y}" in correction.note
    [reclaim] = reclaims_of(client_file.pk)
    assert (reclaim.obligation.pk, reclaim.amount_cents) == (water.pk, 2_550)


def test_a_date_before_the_obligation_starts_is_a_dutch_error_and_nothing_changes(
    account: Any, ontzorgen_file: Any, obligation: Any, actor: Any, api: Any
) -> None:
    client_file, _rent, water, self_pay = _setup(ontzorgen_file, obligation, actor)
    with pytest.raises(ApplicationError) as excinfo:
        loslaten.complete_step(
            actor=actor("frank"), client_file=client_file, step=self_pay, data={"pays_from": START}, today=today()
        )
    assert "Kies een latere dag" in excinfo.value.field_errors["pays_from"][0]
    response = api("frank").post(
        f"/api/v1/clients/{client_file.pk}/loslaten/steps/{self_pay.pk}/done", {"pays_from": "2026-13-01"}
    )
    assert response.status_code == 400
    water.refresh_from_db()
    assert water.end_on is None
    assert not LoslatenStepDone.objects.exists()


def test_the_api_takes_the_date_the_client_pays_from(
    account: Any, ontzorgen_file: Any, obligation: Any, actor: Any, api: Any
) -> None:
    client_file, _rent, water, self_pay = _setup(ontzorgen_file, obligation, actor)
    response = api("frank").post(
        f"/api/v1/clients/{client_file.pk}/loslaten/steps/{self_pay.pk}/done", {"pays_from": NEXT_MONTH.isoformat()}
    )
    assert response.status_code == 201, response.content
    assert response.json()["client_pays_from"] == NEXT_MONTH.isoformat()
    water.refresh_from_db()
    assert water.end_on == NEXT_MONTH - timedelta(days=1)
