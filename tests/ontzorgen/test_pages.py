"""Ontzorgen pages: permission matrix (need to know: frank and tamara change money, kim reads the status, health
stays closed to frank), audited reads, forms with Dutch errors, the run with four eyes and the download, the
worklist, and constant query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import etree

from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.ontzorgen import sepa, services
from openinburgering.ontzorgen.models import Obligation, PaymentFile, PaymentRun
from openinburgering.ontzorgen.periods import month_start

from .conftest import LANDLORD_IBAN

pytestmark = pytest.mark.django_db

THIS_MONTH = month_start(today())


def index_url(client_file) -> str:
    return reverse("ontzorgen:index", kwargs={"file_id": client_file.pk})


def obligation_post(**changes) -> dict[str, object]:
    return {
        "kind": "huur", "creditor_name": "Woonstichting Elan", "iban": "NL18 RABO 0123 4598 76",
        "creditor_reference": "Huurcontract 4711", "amount_cents": "650,00", "day_of_month": "1",
        "start_on": THIS_MONTH.isoformat(), **changes,
    }  # fmt: skip


@pytest.mark.parametrize(("username", "gemeente", "status"), [
    ("frank", HAARLEM, 200), ("tamara", HAARLEM, 200), ("kim", HAARLEM, 200),
    ("zeynep", ZANDVOORT, 404), ("anouk", HAARLEM, 404), ("fenna", HAARLEM, 404), ("mira", HAARLEM, 404),
])  # fmt: skip
def test_file_page_permission_matrix(ontzorgen_file, obligation, login, username, gemeente, status):
    client_file = ontzorgen_file()
    obligation(client_file)
    before = AuditEvent.objects.filter(event_type="ontzorgen_viewed", client_file=client_file).count()
    response = login(username, gemeente).get(index_url(client_file))
    assert response.status_code == status
    after = AuditEvent.objects.filter(event_type="ontzorgen_viewed", client_file=client_file).count()
    assert after == before + (1 if status == 200 else 0)
    if status == 200:
        assert "Woonstichting Elan" in response.content.decode()


def test_the_klantregisseur_reads_without_forms_and_cannot_post(ontzorgen_file, login):
    client_file = ontzorgen_file()
    kim = login("kim")
    page = kim.get(index_url(client_file)).content.decode()
    assert "Vaste last toevoegen" not in page
    assert "Machtiging, toestemming of weigering vastleggen" not in page
    url = reverse("ontzorgen:obligation-new", kwargs={"file_id": client_file.pk})
    assert kim.post(url, obligation_post()).status_code == 404
    assert Obligation.objects.count() == 0


def test_frank_sees_ontzorgen_on_the_file_page_but_no_health(ontzorgen_file, login):
    client_file = ontzorgen_file()
    page = login("frank").get(reverse("clients:detail", kwargs={"file_id": client_file.pk})).content.decode()
    assert 'id="ontzorgen-title"' in page
    assert "Gezondheid" not in page
    kim_page = login("kim").get(reverse("clients:detail", kwargs={"file_id": client_file.pk})).content.decode()
    assert "Financieel ontzorgen" in kim_page


def test_recording_an_obligation_through_the_form(ontzorgen_file, login):
    client_file = ontzorgen_file()
    url = reverse("ontzorgen:obligation-new", kwargs={"file_id": client_file.pk})
    response = login("frank").post(url, obligation_post())
    assert response.status_code == 302
    item = Obligation.objects.get()
    assert (item.iban, item.amount_cents, item.bic) == (LANDLORD_IBAN, 65000, "RABONL2U")


@pytest.mark.parametrize(("changes", "message"), [
    ({"iban": "NL18 RABO 0123 4598 77"}, "Dit IBAN klopt niet"),
    ({"amount_cents": "0"}, "meer dan € 0,00"),
    ({"amount_cents": "-5,00"}, "meer dan € 0,00"),
    ({"end_on": "2020-01-01"}, "De einddatum ligt voor de begindatum"),
    ({"start_on": "gisteren"}, "Vul een geldige datum in"),
])  # fmt: skip
def test_bad_input_in_the_form_is_a_dutch_error_with_nothing_written(ontzorgen_file, login, changes, message):
    client_file = ontzorgen_file()
    url = reverse("ontzorgen:obligation-new", kwargs={"file_id": client_file.pk})
    response = login("frank").post(url, obligation_post(**changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "<title>Fout:" in page
    assert Obligation.objects.count() == 0


def test_run_pages_four_eyes_and_download(ontzorgen_file, obligation, login, account):
    obligation(ontzorgen_file())
    frank = login("frank")
    response = frank.post(reverse("ontzorgen-team:runs"), {"month": THIS_MONTH.strftime("%Y-%m")})
    assert response.status_code == 302
    run = PaymentRun.objects.get()
    run_url = reverse("ontzorgen-team:run", kwargs={"run_id": run.pk})
    assert "Betaalrun goedkeuren" not in frank.get(run_url).content.decode()
    # Frank cannot approve his own run, even by posting.
    refused = frank.post(reverse("ontzorgen-team:approve", kwargs={"run_id": run.pk}))
    assert refused.status_code == 400
    assert "zelf gemaakt" in refused.content.decode()
    assert not PaymentFile.objects.exists()
    # No file before approval.
    assert frank.get(reverse("ontzorgen-team:file", kwargs={"run_id": run.pk})).status_code == 404
    tamara = login("tamara")
    assert "Betaalrun goedkeuren" in tamara.get(run_url).content.decode()
    assert tamara.post(reverse("ontzorgen-team:approve", kwargs={"run_id": run.pk})).status_code == 302
    download = frank.get(reverse("ontzorgen-team:file", kwargs={"run_id": run.pk}))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="OI-GM0392-')
    assert sepa.schema().validate(etree.fromstring(download.content))
    assert AuditEvent.objects.filter(event_type="payment_file_downloaded").count() == 1
    assert AuditEvent.objects.filter(event_type="ontzorgen_payments_exported").count() == 1
    # Building the same month again through the page: a Dutch error, nothing new.
    again = frank.post(reverse("ontzorgen-team:runs"), {"month": THIS_MONTH.strftime("%Y-%m")})
    assert again.status_code == 400
    assert "al goedgekeurd" in again.content.decode()
    assert PaymentRun.objects.count() == 1


@pytest.mark.parametrize(("username", "gemeente", "status"), [
    ("frank", HAARLEM, 200), ("tamara", HAARLEM, 200), ("kim", HAARLEM, 404), ("zoe", ZANDVOORT, 404),
    ("fenna", HAARLEM, 404),
])  # fmt: skip
def test_run_page_permission_matrix(ontzorgen_file, obligation, login, actor, account, username, gemeente, status):
    obligation(ontzorgen_file())
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    response = login(username, gemeente).get(reverse("ontzorgen-team:run", kwargs={"run_id": run.pk}))
    assert response.status_code == status


def test_worklist_shows_missing_iban_and_machtiging(ontzorgen_file, obligation, login):
    no_iban = ontzorgen_file()
    obligation(no_iban, iban="", creditor_name="Energiebedrijf Zonder IBAN", kind="energie")
    no_machtiging = ontzorgen_file(machtiging=False)
    obligation(no_machtiging, creditor_name="Waterbedrijf Zonder Machtiging", kind="water")
    fine = ontzorgen_file()
    obligation(fine, creditor_name="Alles Goed BV")
    response = login("frank").get(reverse("ontzorgen-team:worklist"))
    page = response.content.decode()
    assert "Energiebedrijf Zonder IBAN" in page
    assert "Waterbedrijf Zonder Machtiging" in page
    assert "Alles Goed BV" not in page.split('id="ontbreekt-title"')[1]
    assert AuditEvent.objects.filter(event_type="ontzorgen_worklist_viewed").count() == 3
    assert login("kim").get(reverse("ontzorgen-team:worklist")).status_code == 404


def test_list_pages_use_a_constant_number_of_queries(
    ontzorgen_file, obligation, login, actor, account, django_assert_max_num_queries
):
    for _ in range(2):
        obligation(ontzorgen_file())
    run, _ = services.build_run(actor=actor("frank"), month=THIS_MONTH)
    frank = login("frank")
    urls = [
        reverse("ontzorgen-team:worklist"),
        reverse("ontzorgen-team:run", kwargs={"run_id": run.pk}),
        reverse("ontzorgen-team:runs"),
    ]
    for url in urls:  # warm the per-process caches (#18: memberships, thresholds) before counting
        frank.get(url)
    counts_small = [_count(frank, url) for url in urls]
    for _ in range(5):
        obligation(ontzorgen_file(machtiging=False), iban="")
    counts_large = [_count(frank, url) for url in urls]
    assert counts_small == counts_large


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_changing_the_amount_needs_the_date_it_applies_from(ontzorgen_file, obligation, login):
    client_file = ontzorgen_file()
    item = obligation(client_file)
    url = reverse("ontzorgen:obligation-edit", kwargs={"file_id": client_file.pk, "obligation_id": item.pk})
    frank = login("frank")
    assert "650,00" in frank.get(url).content.decode()
    refused = frank.post(url, obligation_post(amount_cents="700,00"))
    assert refused.status_code == 400
    assert "Vul in vanaf welke dag het nieuwe bedrag geldt." in refused.content.decode()
    assert Obligation.objects.get().amount_cents == 65000
    done = frank.post(url, obligation_post(amount_cents="700,00", changed_from=THIS_MONTH.isoformat()))
    assert done.status_code == 302
    changed = Obligation.objects.get()
    assert (changed.amount_cents, changed.corrections_from) == (70000, THIS_MONTH)
    assert AuditEvent.objects.filter(event_type="obligation_changed", client_file=client_file).count() == 1
