"""The part-B ontzorgen API: statement import (XML body), lines, worklist, toeslagen, loslaten, client statement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from openinburgering.accounts.models import Membership
from openinburgering.accounts.tokens import create_api_token
from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.ontzorgen import banksim, services
from openinburgering.ontzorgen.models import BankStatement, Payment, StatementLine
from openinburgering.ontzorgen.periods import month_start
from tests.api.conftest import ApiClient

from .conftest import GEMEENTE_IBAN

pytestmark = pytest.mark.django_db
STATEMENTS = "/api/v1/ontzorgen/bank-statements"


@pytest.fixture
def api(staff: dict[str, Any]) -> Any:
    """`api("frank")`: a JSON client with a real API token of the persona's membership; `api(None)`: anonymous."""

    def make(username: str | None, gemeente_code: str = "GM0392") -> ApiClient:
        if username is None:
            return ApiClient()
        membership = Membership.objects.get(user=staff[username], gemeente__code=gemeente_code)
        return ApiClient(create_api_token(membership=membership, name="test")[1])

    return make


@pytest.fixture
def statement_xml(account: Any, ontzorgen_file: Any, obligation: Any, actor: Any) -> tuple[Any, bytes]:
    client_file = ontzorgen_file()
    obligation(client_file)
    run, _ = services.build_run(actor=actor("frank"), month=month_start(today()))
    services.approve_run(actor=actor("tamara"), run=run)
    payment = Payment.objects.get(run=run)
    data = banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id="API-1", booked_on=today(),
        payments=[banksim.BookedPayment(payment.end_to_end_id, Decimal(payment.amount_cents) / 100,
                                        payment.creditor_name, payment.iban, return_reason="MD07")],
    )  # fmt: skip
    return client_file, data


def test_import_through_the_api_then_the_same_file_again(api: Any, statement_xml: Any) -> None:
    client_file, data = statement_xml
    frank = api("frank")

    first = frank.post(STATEMENTS, raw=data, content_type="application/xml")
    again = frank.post(STATEMENTS, raw=data, content_type="application/xml")

    assert first.status_code == 201
    assert first.json()["created"] is True
    (statement,) = first.json()["statements"]
    assert (statement["paid_count"], statement["returned_count"], statement["unmatched_count"]) == (1, 1, 0)
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert BankStatement.objects.count() == 1

    lines = frank.get(f"{STATEMENTS}/{statement['id']}/lines").json()["results"]
    assert [(line["outcome"], line["return_reason"], line["client_id"]) for line in lines] == [
        ("paid", "", client_file.pk),
        ("returned", "MD07", client_file.pk),
    ]
    worklist = frank.get("/api/v1/ontzorgen/bank-worklist").json()
    assert [(line["outcome"], line["description"]) for line in worklist["lines"]] == [
        ("returned", "De rekeninghouder is overleden.")
    ]
    returned = worklist["lines"][0]["id"]
    resolved = frank.post(f"/api/v1/ontzorgen/statement-lines/{returned}/resolve", {"note": "Schuldeiser gebeld."})
    assert resolved.status_code == 201
    assert resolved.json()["resolved"] is True
    assert frank.get("/api/v1/ontzorgen/bank-worklist").json()["lines"] == []
    assert AuditEvent.objects.filter(event_type="statement_line_resolved", via="api").count() == 1


def test_bad_xml_and_wrong_media_type_are_problems_not_500s(api: Any, statement_xml: Any) -> None:
    frank = api("frank")
    broken = frank.post(STATEMENTS, raw=b"<Document", content_type="application/xml")
    assert broken.status_code == 400
    assert "Dit is geen geldig XML-bestand" in broken.json()["detail"]
    as_json = frank.post(STATEMENTS, {"file": "x"})
    assert as_json.status_code == 415
    assert BankStatement.objects.count() == 0


@pytest.mark.parametrize(("username", "gemeente"), [("kim", "GM0392"), ("zeynep", "GM0473"), ("fenna", "GM0392")])
def test_the_bank_endpoints_are_404_for_who_does_not_manage_ontzorgen(
    api: Any, statement_xml: Any, username: str, gemeente: str
) -> None:
    _, data = statement_xml
    client = api(username, gemeente)
    assert client.get(STATEMENTS).status_code == 404
    assert client.post(STATEMENTS, raw=data, content_type="application/xml").status_code == 404
    assert client.get("/api/v1/ontzorgen/bank-worklist").status_code == 404
    assert BankStatement.objects.count() == 0
    assert api(None).get(STATEMENTS).status_code == 401


def test_toeslagen_loslaten_and_the_statement_pdf_through_the_api(
    api: Any, ontzorgen_file: Any, obligation: Any
) -> None:
    client_file = ontzorgen_file()
    huur = obligation(client_file)
    base = f"/api/v1/clients/{client_file.pk}"
    frank = api("frank")

    created = frank.post(f"{base}/toeslagen", {"kind": "zorgtoeslag", "status": "aangevraagd",
                                               "applied_on": today().isoformat()})  # fmt: skip
    assert created.status_code == 201
    assert created.json()["status"] == "aangevraagd"
    missing = frank.post(f"{base}/toeslagen", {"kind": "zorgtoeslag", "status": "toegekend"})
    assert missing.status_code == 400
    assert api("kim").get(f"{base}/toeslagen").status_code == 200
    assert api("kim").post(f"{base}/toeslagen", {"kind": "zorgtoeslag", "status": "niet_nodig"}).status_code == 404

    plan = frank.post(f"{base}/loslaten", {"obligation": huur.pk})
    assert plan.status_code == 201
    assert [step["kind"] for step in plan.json()] == ["budgetcoaching", "toeslagen", "zelf_betalen", "einde"]
    assert frank.post(f"{base}/loslaten", {"obligation": huur.pk}).status_code == 409
    end = plan.json()[-1]["id"]
    done = frank.post(f"{base}/loslaten/steps/{end}/done", {"note": "Brief besproken."})
    assert done.status_code == 201
    assert isinstance(done.json()["letter_id"], int)

    pdf = frank.get(f"{base}/ontzorgen/statement")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert api("mira").get(f"{base}/ontzorgen/statement").status_code == 404
    assert StatementLine.objects.count() == 0
