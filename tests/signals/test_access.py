"""Permission matrix for every signal page and endpoint (own gemeente, other gemeente, wrong role, anonymous),
query counts on the lists, and the API's answers to bad bodies."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.signals.choices import MessageStatus
from openinburgering.signals.models import FileSignal, SignalMessage
from openinburgering.signals.services import import_duo_events

from .builders import new_bsn, plicht_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def haarlem_messages(actor, make_file):
    """One applied message (file opened), one quarantined, one file with an open mismatch signal."""
    kim = actor("kim")
    mismatch_file = make_file(file={"residence": "regulier", "residence_purpose": "studie", "doelgroep": "overig"})
    import_duo_events(actor=kim, events=[
        plicht_event(bericht_id="a", bsn=new_bsn()),
        plicht_event(bericht_id="q", bsn=new_bsn(), gemeentecode="0473"),
        plicht_event(bericht_id="m", bsn=mismatch_file.person.bsn, detail="Overig",
                     indeling="Gezinsmigrant en overige migrant"),
    ], via="api")  # fmt: skip
    return {m.external_id: m for m in SignalMessage.objects.all()}


def _reads() -> int:
    return AuditEvent.objects.filter(event_type__in=("signal_viewed", "signals_listed")).count()


# --- Pages -----------------------------------------------------------------------------------------------------


def test_inbox_shows_the_own_gemeentes_messages_to_a_klantregisseur(login, haarlem_messages):
    response = login("kim").get(reverse("signals:inbox"))
    assert response.status_code == 200
    assert [m.external_id for m in response.context["page_obj"]] == ["m", "q", "a"]
    assert response.context["open_mismatches"] == 1
    assert AuditEvent.objects.filter(event_type="signals_listed").count() == 1


def test_inbox_of_another_gemeente_does_not_show_these_messages(login, haarlem_messages):
    response = login("zeynep", "GM0473").get(reverse("signals:inbox"))
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []


def test_inbox_filters_by_status_and_source(login, haarlem_messages):
    response = login("kim").get(reverse("signals:inbox"), {"status": "quarantined", "source": "duo"})
    assert [m.external_id for m in response.context["page_obj"]] == ["q"]


@pytest.mark.parametrize("username", ["frank", "bram", "fenna", "anouk"])
def test_inbox_and_detail_are_404_for_roles_without_view_signals(login, haarlem_messages, username):
    client = login(username)
    before = _reads()
    assert client.get(reverse("signals:inbox")).status_code == 404
    assert client.get(reverse("signals:detail", args=[haarlem_messages["a"].pk])).status_code == 404
    assert client.get(reverse("signals:upload")).status_code == 404
    assert client.get(reverse("signals:file-signals")).status_code == 404
    assert _reads() == before


def test_anonymous_is_sent_to_login_for_every_page(haarlem_messages):
    client = Client()
    message = haarlem_messages["q"]
    urls = [
        reverse("signals:inbox"), reverse("signals:detail", args=[message.pk]), reverse("signals:upload"),
        reverse("signals:quarantine"), reverse("signals:file-signals"),
    ]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(reverse("signals:purge", args=[message.pk])).status_code == 302
    assert SignalMessage.objects.get(pk=message.pk).status == MessageStatus.QUARANTINED
    assert AuditEvent.objects.filter(actor__isnull=True).count() == 0


def test_detail_shows_the_payload_and_logs_the_read_against_the_file(login, haarlem_messages):
    message = haarlem_messages["a"]
    response = login("kim").get(reverse("signals:detail", args=[message.pk]))
    assert response.status_code == 200
    assert message.payload["bsn"] in response.content.decode()
    event = AuditEvent.objects.get(event_type="signal_viewed")
    assert event.client_file_id == message.client_file_id
    assert event.subject_id == str(message.pk)


def test_detail_of_another_gemeentes_message_is_404_and_logs_nothing(login, haarlem_messages):
    before = _reads()
    response = login("youssef", "GM0473").get(reverse("signals:detail", args=[haarlem_messages["a"].pk]))
    assert response.status_code == 404
    assert _reads() == before


def test_upload_of_a_duo_file_shows_the_result_per_message(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = json.dumps([plicht_event(bericht_id="u1", bsn=new_bsn()), {"berichtId": "u2"}]).encode()
    response = login("kim").post(
        reverse("signals:upload"), {"kind": "duo", "file": SimpleUploadedFile("duo.json", body, "application/json")}
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert report.counts == {"applied": 1, "duplicate": 0, "quarantined": 0, "rejected": 1}
    assert "Klaar: 2 berichten verwerkt" in response.content.decode()


def test_upload_of_a_file_that_is_not_json_shows_an_error_at_the_field(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login("kim").post(
        reverse("signals:upload"), {"kind": "duo", "file": SimpleUploadedFile("x.json", b"{nope", "application/json")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["Het bestand is geen geldige JSON."]}
    assert SignalMessage.objects.count() == 0


def test_teamleider_purges_one_quarantined_message(login, haarlem_messages):
    message = haarlem_messages["q"]
    response = login("tamara").post(reverse("signals:purge", args=[message.pk]))
    assert response.status_code == 302
    message = SignalMessage.objects.get(pk=message.pk)
    assert message.status == MessageStatus.PURGED
    assert message.payload == {}
    assert AuditEvent.objects.filter(event_type="signal_purged", subject_id=str(message.pk)).count() == 1


def test_functioneel_beheerder_sees_quarantine_and_purges_all(login, haarlem_messages):
    client = login("fenna")
    page = client.get(reverse("signals:quarantine"))
    assert page.status_code == 200
    assert [m.external_id for m in page.context["page_obj"]] == ["q"]
    response = client.post(reverse("signals:purge-all"), {"days": "0"})
    assert response.status_code == 302
    assert SignalMessage.objects.filter(status=MessageStatus.PURGED).count() == 1


@pytest.mark.parametrize(("username", "gemeente"), [("kim", "GM0392"), ("zoe", "GM0473"), ("frank", "GM0392")])
def test_purge_is_404_for_klantregisseur_other_gemeente_and_wrong_role(login, haarlem_messages, username, gemeente):
    message = haarlem_messages["q"]
    client = login(username, gemeente)
    assert client.post(reverse("signals:purge", args=[message.pk])).status_code == 404
    purge_all = client.post(reverse("signals:purge-all"), {"days": "0"})
    # A teamleider of another gemeente may purge her own quarantine (empty here); the others get a 404.
    assert purge_all.status_code == (302 if username == "zoe" else 404)
    assert SignalMessage.objects.get(pk=message.pk).status == MessageStatus.QUARANTINED
    assert AuditEvent.objects.filter(event_type="signal_purged").count() == 0


def test_an_applied_message_cannot_be_purged(login, haarlem_messages):
    message = haarlem_messages["a"]
    assert login("tamara").post(reverse("signals:purge", args=[message.pk])).status_code == 404
    assert SignalMessage.objects.get(pk=message.pk).status == MessageStatus.APPLIED


def test_open_mismatch_is_listed_and_can_be_resolved_with_audit(login, haarlem_messages):
    client = login("kim")
    listing = client.get(reverse("signals:file-signals"))
    signal = FileSignal.objects.get(kind="plicht_mismatch")
    assert [s.pk for s in listing.context["page_obj"]] == [signal.pk]
    response = client.post(reverse("signals:resolve", args=[signal.pk]), {"resolution": "IND gebeld, klopt."})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.resolved_at is not None
    assert AuditEvent.objects.filter(event_type="file_signal_resolved", client_file=signal.client_file).count() == 1


def test_resolving_a_file_signal_of_another_gemeente_is_404(login, haarlem_messages):
    signal = FileSignal.objects.get(kind="plicht_mismatch")
    response = login("zoe", "GM0473").post(reverse("signals:resolve", args=[signal.pk]), {"resolution": "x"})
    assert response.status_code == 404
    signal.refresh_from_db()
    assert signal.resolved_at is None


def test_inbox_and_file_signals_use_a_constant_number_of_queries(login, actor, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kim = actor("kim")
    client = login("kim")
    client.get(reverse("signals:inbox"))  # warm the session
    import_duo_events(
        actor=kim,
        events=[plicht_event(bericht_id=f"n{i}", bsn=new_bsn(), birth="2012-01-01") for i in range(3)],
        via="api",
    )
    with CaptureQueriesContext(connection) as inbox_small:
        inbox = client.get(reverse("signals:inbox"))
    with CaptureQueriesContext(connection) as signals_small:
        signals = client.get(reverse("signals:file-signals"))
    # The counts below mean something only when the pages answer with the rows (a denied page is cheap too).
    first = ["n0", "n1", "n2"]
    assert (inbox.status_code, signals.status_code) == (200, 200)
    assert sorted(m.external_id for m in inbox.context["page_obj"]) == first
    assert len(_open_signal_ids()) == 3
    assert _open_signal_ids(signals) == _open_signal_ids()
    bsns = [new_bsn() for _ in range(20)]
    import_duo_events(
        actor=kim,
        events=[plicht_event(bericht_id=f"k{i}", bsn=bsn, birth="2012-01-01") for i, bsn in enumerate(bsns)],
        via="api",
    )  # too young per the rules: 20 open plicht mismatches
    assert FileSignal.objects.filter(resolved_at__isnull=True).count() == 23
    with django_assert_num_queries(len(inbox_small.captured_queries)):
        inbox = client.get(reverse("signals:inbox"))
    with django_assert_num_queries(len(signals_small.captured_queries)):
        signals = client.get(reverse("signals:file-signals"))
    all_ids = sorted([*first, *(f"k{i}" for i in range(20))])
    assert (inbox.status_code, signals.status_code) == (200, 200)
    assert sorted(m.external_id for m in inbox.context["page_obj"]) == all_ids
    assert _open_signal_ids(signals) == _open_signal_ids()


def _open_signal_ids(response=None) -> list[int]:
    """The open file signals on the page, or (without a response) in the database."""
    if response is None:
        return sorted(FileSignal.objects.filter(resolved_at__isnull=True).values_list("pk", flat=True))
    return sorted(signal.pk for signal in response.context["page_obj"])


# --- API -------------------------------------------------------------------------------------------------------


def test_api_post_duo_events_returns_a_result_per_message(api_client, post_json):
    bsn = new_bsn()
    response = post_json(api_client("kim"), "/api/v1/signals/duo-events", [
        plicht_event(bericht_id="api-1", bsn=bsn), plicht_event(bericht_id="api-2", bsn="111111111"),
    ])  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {"applied": 1, "duplicate": 0, "quarantined": 0, "rejected": 1}
    assert body["results"][1]["reason"] == (
        "Het BSN is ongeldig. Een BSN heeft 9 cijfers en moet voldoen aan de elfproef."
    )
    assert body["results"][0]["client_file_id"] == ClientFile.objects.get(person__bsn=bsn).pk
    again = post_json(api_client("kim"), "/api/v1/signals/duo-events", plicht_event(bericht_id="api-1", bsn=bsn))
    assert again.json()["counts"]["duplicate"] == 1


@pytest.mark.parametrize("body", ['"tekst"', "[]", "{nope", "42"])
def test_api_malformed_body_is_a_problem_details_400(api_client, body):
    response = api_client("kim").post("/api/v1/signals/duo-events", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400
    assert SignalMessage.objects.count() == 0


def test_api_post_coa_koppeling(api_client, post_json):
    from .builders import coa_koppeling

    response = post_json(api_client("tamara"), "/api/v1/signals/coa-koppelingen", coa_koppeling(
        bericht_id="coa-1", bsn=new_bsn()))  # fmt: skip
    assert response.status_code == 200
    assert response.json()["results"][0]["result"] == "applied"


@pytest.mark.parametrize("username", ["frank", "bram", "fenna"])
def test_api_posts_are_404_for_roles_that_may_not_receive_signals(api_client, post_json, username):
    from .builders import coa_koppeling

    client = api_client(username)
    assert (
        post_json(client, "/api/v1/signals/duo-events", plicht_event(bericht_id="z", bsn=new_bsn())).status_code == 404
    )
    assert post_json(client, "/api/v1/signals/coa-koppelingen",
                     coa_koppeling(bericht_id="z", bsn=new_bsn())).status_code == 404  # fmt: skip
    assert SignalMessage.objects.count() == 0
    assert ClientFile.objects.count() == 0


def test_api_anonymous_is_401_and_writes_nothing(post_json):
    response = post_json(Client(), "/api/v1/signals/duo-events", plicht_event(bericht_id="z", bsn=new_bsn()))
    assert response.status_code == 401
    assert Client().get("/api/v1/signals/").status_code == 401
    assert SignalMessage.objects.count() == 0


def test_api_list_is_scoped_filtered_paged_and_audited(api_client, haarlem_messages):
    response = api_client("kim").get("/api/v1/signals/", {"status": "applied"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {r["external_id"] for r in body["results"]} == {"a", "m"}
    assert "payload" not in body["results"][0]
    assert AuditEvent.objects.filter(event_type="signals_listed", via="api").count() == 1
    other = api_client("zeynep", "GM0473").get("/api/v1/signals/")
    assert other.json()["count"] == 0
    assert api_client("kim").get("/api/v1/signals/", {"status": "weg"}).status_code == 400


def test_api_list_is_404_for_a_wrong_role(api_client, haarlem_messages):
    assert api_client("frank").get("/api/v1/signals/").status_code == 404
    assert AuditEvent.objects.filter(event_type="signals_listed").count() == 0


def test_api_detail_matrix(api_client, haarlem_messages):
    message = haarlem_messages["a"]
    url = f"/api/v1/signals/{message.pk}"
    own = api_client("kim").get(url)
    assert own.status_code == 200
    assert own.json()["payload"]["berichtId"] == "a"
    assert AuditEvent.objects.filter(event_type="signal_viewed", via="api").count() == 1
    assert api_client("youssef", "GM0473").get(url).status_code == 404
    assert api_client("frank").get(url).status_code == 404
    assert Client().get(url).status_code == 401
    assert AuditEvent.objects.filter(event_type="signal_viewed").count() == 1


def test_api_list_uses_a_constant_number_of_queries(api_client, actor, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client("kim")
    kim = actor("kim")
    import_duo_events(actor=kim, events=[plicht_event(bericht_id=f"s{i}", bsn=new_bsn()) for i in range(2)], via="api")
    client.get("/api/v1/signals/")  # warm the session clock and the per-gemeente caches before counting
    with CaptureQueriesContext(connection) as small:
        response = client.get("/api/v1/signals/")
    # The count below means something only when the list answers with the rows (a denied call is cheap too).
    assert response.status_code == 200
    assert sorted(row["external_id"] for row in response.json()["results"]) == ["s0", "s1"]
    import_duo_events(actor=kim, events=[plicht_event(bericht_id=f"t{i}", bsn=new_bsn()) for i in range(15)], via="api")
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/api/v1/signals/")
    assert response.status_code == 200
    body = response.json()
    expected = sorted(["s0", "s1", *(f"t{i}" for i in range(15))])
    assert (body["count"], sorted(row["external_id"] for row in body["results"])) == (17, expected)
