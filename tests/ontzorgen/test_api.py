"""Ontzorgen API: permission matrix, Dutch errors with nothing written, the run through the API with four eyes,
idempotency, the file as validated XML, and audit of reads."""

from __future__ import annotations

import pytest
from lxml import etree

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.ontzorgen import sepa
from openinburgering.ontzorgen.models import Obligation, PaymentRun
from openinburgering.ontzorgen.periods import month_start
from tests.api.conftest import invalid_params

from .conftest import LANDLORD_IBAN

pytestmark = pytest.mark.django_db

MONTH = month_start(today()).strftime("%Y-%m")


def obligation_body(**changes):
    return {
        "kind": "huur", "creditor_name": "Woonstichting Elan", "iban": LANDLORD_IBAN, "amount_cents": 65000,
        "day_of_month": 1, "start_on": month_start(today()).isoformat(), **changes,
    }  # fmt: skip


@pytest.mark.parametrize(("username", "gemeente", "status"), [
    ("frank", HAARLEM, 200), ("tamara", HAARLEM, 200), ("kim", HAARLEM, 200),
    ("zeynep", ZANDVOORT, 404), ("fenna", HAARLEM, 404), ("anouk", HAARLEM, 404),
])  # fmt: skip
def test_read_permission_matrix(ontzorgen_file, obligation, api, username, gemeente, status):
    client_file = ontzorgen_file()
    obligation(client_file)
    base = f"/api/v1/clients/{client_file.pk}/ontzorgen"
    for path in (base, f"{base}/obligations", f"{base}/ledger", f"{base}/machtigingen"):
        before = AuditEvent.objects.filter(event_type="ontzorgen_read", client_file=client_file).count()
        response = api(username, gemeente).get(path)
        assert response.status_code == status, path
        after = AuditEvent.objects.filter(event_type="ontzorgen_read", client_file=client_file).count()
        assert after == before + (1 if status == 200 else 0)


def test_the_klantregisseur_cannot_write_money(ontzorgen_file, api):
    client_file = ontzorgen_file()
    response = api("kim").post(f"/api/v1/clients/{client_file.pk}/ontzorgen/obligations", obligation_body())
    assert response.status_code == 404
    assert Obligation.objects.count() == 0


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"iban": "NL91ABNA0417164301"}, "iban", "Dit IBAN klopt niet"),
    ({"amount_cents": 0}, "amount_cents", "meer dan € 0,00"),
    ({"amount_cents": -1}, "amount_cents", "meer dan € 0,00"),
    ({"end_on": "2020-01-01"}, "end_on", "De einddatum ligt voor de begindatum"),
])  # fmt: skip
def test_bad_input_is_a_dutch_400_and_nothing_is_written(ontzorgen_file, api, changes, field, message):
    client_file = ontzorgen_file()
    response = api("frank").post(f"/api/v1/clients/{client_file.pk}/ontzorgen/obligations", obligation_body(**changes))
    assert message in " ".join(invalid_params(response)[field])
    assert Obligation.objects.count() == 0


def test_malformed_json_is_a_400(ontzorgen_file, api):
    client_file = ontzorgen_file()
    response = api("frank").post(f"/api/v1/clients/{client_file.pk}/ontzorgen/obligations", raw="{nope")
    assert response.status_code == 400
    assert Obligation.objects.count() == 0


def test_a_run_through_the_api(ontzorgen_file, api):
    client_file = ontzorgen_file()
    frank, tamara = api("frank"), api("tamara")
    assert frank.send("PUT", "/api/v1/ontzorgen/account", {
        "debtor_name": "Gemeente Haarlem", "debtor_iban": "NL91ABNA0417164300",
    }).status_code == 200  # fmt: skip
    assert frank.post(f"/api/v1/clients/{client_file.pk}/ontzorgen/obligations", obligation_body()).status_code == 201
    built = frank.post("/api/v1/payment-runs", {"month": MONTH})
    assert built.status_code == 201
    run_id = built.json()["id"]
    assert (built.json()["payment_count"], built.json()["total_cents"]) == (1, 65000)
    again = frank.post("/api/v1/payment-runs", {"month": MONTH})
    assert (again.status_code, again.json()["id"]) == (200, run_id)
    assert frank.get(f"/api/v1/payment-runs/{run_id}/file").status_code == 404
    assert frank.post(f"/api/v1/payment-runs/{run_id}/approve").status_code == 400
    assert api("kim").post(f"/api/v1/payment-runs/{run_id}/approve").status_code == 404
    approved = tamara.post(f"/api/v1/payment-runs/{run_id}/approve")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    download = frank.get(f"/api/v1/payment-runs/{run_id}/file")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/xml"
    document = etree.fromstring(download.content)
    assert sepa.schema().validate(document)
    detail = frank.get(f"/api/v1/payment-runs/{run_id}").json()
    assert detail["payments"][0]["end_to_end_id"].encode() in download.content
    sent = frank.post("/api/v1/payment-runs", {"month": MONTH})
    assert sent.status_code == 409
    assert "al goedgekeurd" in sent.json()["detail"]
    assert PaymentRun.objects.count() == 1
    ledger = frank.get(f"/api/v1/clients/{client_file.pk}/ontzorgen/ledger").json()["results"]
    assert sorted(entry["kind"] for entry in ledger) == ["due", "sent", "withheld"]
    balances = frank.get(f"/api/v1/clients/{client_file.pk}/ontzorgen").json()["balances"]
    assert (balances["sent_cents"], balances["outstanding_cents"]) == (65000, 0)


def test_runs_are_not_visible_to_another_gemeente(ontzorgen_file, obligation, api, actor, account):
    from openinburgering.ontzorgen import services

    obligation(ontzorgen_file())
    run, _ = services.build_run(actor=actor("frank"), month=MONTH)
    assert api("zoe", ZANDVOORT).get(f"/api/v1/payment-runs/{run.pk}").status_code == 404
    assert api("kim").get("/api/v1/payment-runs").status_code == 404
    assert api("frank").get("/api/v1/ontzorgen/worklist").status_code == 200


def test_patch_an_obligation(ontzorgen_file, obligation, api):
    client_file = ontzorgen_file()
    item = obligation(client_file)
    path = f"/api/v1/clients/{client_file.pk}/ontzorgen/obligations/{item.pk}"
    assert "changed_from" in invalid_params(api("frank").patch(path, {"amount_cents": 70000}))
    response = api("frank").patch(path, {"amount_cents": 70000, "changed_from": month_start(today()).isoformat()})
    assert response.status_code == 200
    assert response.json()["amount_cents"] == 70000
    assert api("kim").patch(path, {"creditor_name": "X"}).status_code == 404
    assert api("kim").get(path).json()["creditor_name"] == "Woonstichting Elan"
