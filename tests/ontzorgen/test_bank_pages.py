"""The bank, toeslagen and loslaten pages end to end through HTTP, with their permission matrix."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.ontzorgen import banksim, services
from openinburgering.ontzorgen.models import BankStatement, LoslatenStep, Payment, StatementLine, ToeslagRecord
from openinburgering.ontzorgen.periods import month_start

from .conftest import GEMEENTE_IBAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_with_statement(account: Any, ontzorgen_file: Any, obligation: Any, actor: Any) -> tuple[Any, bytes]:
    client_file = ontzorgen_file()
    obligation(client_file)
    obligation(client_file, kind="water", creditor_name="PWN", amount_cents=2_550)
    run, _ = services.build_run(actor=actor("frank"), month=month_start(today()))
    services.approve_run(actor=actor("tamara"), run=run)
    payments = Payment.objects.filter(run=run).order_by("id")
    data = banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id="STMT-PAGE", booked_on=today(),
        payments=[
            banksim.BookedPayment(p.end_to_end_id, Decimal(p.amount_cents) / 100, p.creditor_name, p.iban,
                                  return_reason="AC04" if p.creditor_name == "PWN" else "")
            for p in payments
        ],
    )  # fmt: skip
    return client_file, data


def _upload(client: Any, data: bytes, name: str = "afschrift.xml") -> Any:
    return client.post(
        reverse("ontzorgen-bank:statements"), {"statement": SimpleUploadedFile(name, data, "application/xml")}
    )


def test_frank_imports_a_statement_and_the_return_is_on_the_worklist(login: Any, run_with_statement: Any) -> None:
    client_file, data = run_with_statement
    frank = login("frank")

    response = _upload(frank, data)

    statement = BankStatement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ontzorgen-bank:statement", kwargs={"statement_id": statement.pk})
    page = frank.get(response["Location"])
    assert page.status_code == 200
    assert "Het afschrift is ingelezen: 2 betaald, 1 teruggekomen, 0 niet herkend." in page.content.decode()
    worklist = frank.get(reverse("ontzorgen-bank:worklist")).content.decode()
    assert "Teruggekomen en niet herkende betalingen (1)" in worklist
    assert "De rekening is opgeheven." in worklist
    assert client_file.person.full_name in worklist
    assert AuditEvent.objects.filter(event_type="bank_worklist_viewed", client_file=client_file).count() == 1

    again = _upload(frank, data)
    assert again.status_code == 302
    assert "Dit afschrift was al ingelezen. Er is niets veranderd." in frank.get(again["Location"]).content.decode()
    assert BankStatement.objects.count() == 1

    line = StatementLine.objects.get(outcome="returned")
    resolved = frank.post(
        reverse("ontzorgen-bank:resolve", kwargs={"line_id": line.pk}), {f"line-{line.pk}-note": "Nieuw IBAN gevraagd."}
    )
    assert resolved.status_code == 302
    assert (
        "Teruggekomen en niet herkende betalingen (0)" in frank.get(reverse("ontzorgen-bank:worklist")).content.decode()
    )


def test_a_malformed_upload_shows_a_dutch_error_and_writes_nothing(login: Any, run_with_statement: Any) -> None:
    response = _upload(login("frank"), b"<Document><kapot")
    assert response.status_code == 400
    assert "Dit is geen geldig XML-bestand" in response.content.decode()
    assert BankStatement.objects.count() == 0


@pytest.mark.parametrize("username", ["kim", "mira", "fenna", "zeynep"])
def test_the_bank_pages_are_only_for_who_manages_ontzorgen(login: Any, run_with_statement: Any, username: str) -> None:
    _, data = run_with_statement
    gemeente = "GM0473" if username == "zeynep" else "GM0392"
    client = login(username, gemeente)
    assert client.get(reverse("ontzorgen-bank:statements")).status_code == 404
    assert client.get(reverse("ontzorgen-bank:worklist")).status_code == 404
    assert _upload(client, data).status_code == 404
    assert BankStatement.objects.count() == 0


def test_anonymous_goes_to_the_login_page(client: Any) -> None:
    response = client.get(reverse("ontzorgen-bank:worklist"))
    assert response.status_code == 302
    assert "/account/" in response["Location"]


def test_the_statement_page_has_a_constant_number_of_queries(login: Any, run_with_statement: Any) -> None:
    _, data = run_with_statement
    frank = login("frank")
    _upload(frank, data)
    url = reverse("ontzorgen-bank:statement", kwargs={"statement_id": BankStatement.objects.get().pk})
    with CaptureQueriesContext(connection) as small:
        frank.get(url)
    extra = banksim.build_statement(
        account_iban=GEMEENTE_IBAN, statement_id="MANY", booked_on=today(), payments=[],
        extra_credits=[(Decimal("1.00"), f"storting {n}") for n in range(30)],
    )  # fmt: skip
    _upload(frank, extra)
    many = BankStatement.objects.get(statement_id="MANY")
    with CaptureQueriesContext(connection) as large:
        frank.get(reverse("ontzorgen-bank:statement", kwargs={"statement_id": many.pk}))
    assert len(large) <= len(small)


def test_toeslagen_page_reads_for_the_klantregisseur_and_changes_for_frank(login: Any, ontzorgen_file: Any) -> None:
    client_file = ontzorgen_file()
    url = reverse("ontzorgen-nazorg:toeslagen", kwargs={"file_id": client_file.pk})
    kim = login("kim")
    page = kim.get(url)
    assert page.status_code == 200
    assert "Nieuwe stand vastleggen" not in page.content.decode()
    assert kim.post(url, {"kind": "huurtoeslag", "status": "aangevraagd", "applied_on": today()}).status_code == 404
    assert login("zeynep", "GM0473").get(url).status_code == 404
    assert login("mira").get(url).status_code == 404

    frank = login("frank")
    bad = frank.post(url, {"kind": "huurtoeslag", "status": "aangevraagd"})
    assert bad.status_code == 400
    assert "Vul in wanneer de toeslag is aangevraagd." in bad.content.decode()
    good = frank.post(url, {"kind": "huurtoeslag", "status": "aangevraagd", "applied_on": today().isoformat()})
    assert good.status_code == 302
    assert ToeslagRecord.objects.filter(client_file=client_file).count() == 1
    assert AuditEvent.objects.filter(event_type="toeslagen_viewed", client_file=client_file).count() == 2


def test_loslaten_plan_and_end_letter_through_the_pages(login: Any, ontzorgen_file: Any, obligation: Any) -> None:
    client_file = ontzorgen_file()
    huur = obligation(client_file)
    frank = login("frank")
    page = frank.get(reverse("ontzorgen-nazorg:loslaten", kwargs={"file_id": client_file.pk}))
    assert page.status_code == 200
    assert "Plan maken" in page.content.decode()
    made = frank.post(
        reverse("ontzorgen-nazorg:plan", kwargs={"file_id": client_file.pk}), {"plan-obligation": huur.pk}
    )
    assert made.status_code == 302
    end = LoslatenStep.objects.get(client_file=client_file, kind="einde")
    done = frank.post(reverse("ontzorgen-nazorg:step-done", kwargs={"file_id": client_file.pk, "step_id": end.pk}), {})
    assert done.status_code == 302
    after = frank.get(done["Location"]).content.decode()
    assert "De brief aan de klant is gemaakt." in after
    assert "Brief aan de klant (PDF)" in after


def test_the_statement_pdf_is_a_pdf_for_who_reads_financien(login: Any, ontzorgen_file: Any) -> None:
    client_file = ontzorgen_file()
    url = reverse("ontzorgen-nazorg:statement", kwargs={"file_id": client_file.pk})
    response = login("frank").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert login("mira").get(url).status_code == 404
    assert login("zeynep", "GM0473").get(url).status_code == 404
