"""Letters that are sent, in the API (#17 item 6): the worklist of unsent letters (what /brieven/ shows), recording a
letter as sent and print batches, with the permission matrix and a constant number of queries for the list."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import Person
from openinburgering.core.dates import today
from openinburgering.letters.models import Letter, LetterDispatch

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 test letter"


def make_letter(client_file, staff, title="Oproep brede intake", kind="oproep"):
    """A stored letter (metadata and bytes; how its PDF is made is tested in test_letters)."""
    return Letter.objects.create(
        client_file=client_file, kind=kind, title=title, recipient_name="A. Client", content=PDF,
        sha256=hashlib.sha256(PDF).hexdigest(), size=len(PDF), created_at=timezone.now(), created_by=staff["kim"],
    )  # fmt: skip


def test_the_worklist_lists_the_gemeentes_unsent_letters_oldest_first(api, staff, make_file):
    first = make_letter(make_file(assigned_to="kim"), staff, title="Eerste")
    second = make_letter(make_file(assigned_to="kim"), staff, title="Tweede")
    make_letter(make_file("GM0473"), staff, title="Zandvoort")

    answer = api("kim").get("/api/v1/letters/unsent")

    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [first.pk, second.pk]
    assert body["results"][0] == {
        "id": first.pk, "client_file_id": first.client_file_id, "kind": "oproep", "title": "Eerste",
        "recipient_name": "A. Client", "created_at": body["results"][0]["created_at"],
        "pdf_url": f"/api/v1/clients/{first.client_file_id}/letters/{first.pk}",
    }  # fmt: skip
    assert AuditEvent.objects.filter(event_type="letters_unsent_listed", via="api").count() == 1
    # A role that does not read documents gets an empty list; another gemeente sees its own; anonymous 401.
    assert api("frank").get("/api/v1/letters/unsent").json()["count"] == 0
    assert [r["title"] for r in api("zeynep", "GM0473").get("/api/v1/letters/unsent").json()["results"]] == [
        "Zandvoort"
    ]
    assert api(None).get("/api/v1/letters/unsent").status_code == 401


def test_the_worklist_answers_in_a_constant_number_of_queries(api, staff, make_file):
    kim = api("kim")
    make_letter(make_file(assigned_to="kim"), staff)
    kim.get("/api/v1/letters/unsent")  # warm the session clock and the per-gemeente caches

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert kim.get("/api/v1/letters/unsent").status_code == 200
        return len(context.captured_queries)

    one = count()
    for _ in range(4):
        make_letter(make_file(assigned_to="kim"), staff)
    assert count() == one


def test_recording_a_letter_as_sent_through_the_api(api, staff, make_file):
    client_file = make_file(assigned_to="kim")
    letter = make_letter(client_file, staff)
    path = f"/api/v1/clients/{client_file.pk}/letters/{letter.pk}/dispatch"
    sent_on = today().isoformat()

    no_email = api("kim").post(path, {"channel": "portaal", "sent_on": sent_on})
    assert no_email.status_code == 400
    assert "geen e-mailadres" in no_email.json()["detail"]
    assert api("kim").post(path, {"channel": "post", "sent_on": sent_on}).status_code == 400
    # Another gemeente and a role that may not change files: 404, nothing written.
    assert api("zeynep", "GM0473").post(path, {"channel": "portaal", "sent_on": sent_on}).status_code == 404
    Person.objects.filter(pk=client_file.person_id).update(email="a.client@example.org")
    assert api("bram").post(path, {"channel": "portaal", "sent_on": sent_on}).status_code == 404
    assert not LetterDispatch.objects.exists()

    answer = api("kim").post(path, {"channel": "portaal", "sent_on": sent_on})

    assert answer.status_code == 201, answer.content
    assert answer.json() == {
        "letter_id": letter.pk, "channel": "portaal", "sent_on": sent_on, "batch_id": None,
        "recorded_at": answer.json()["recorded_at"],
    }  # fmt: skip
    assert (
        AuditEvent.objects.filter(event_type="letter_dispatch_recorded", via="api", subject_id=str(letter.pk)).count()
        == 1
    )
    assert api("kim").post(path, {"channel": "portaal", "sent_on": sent_on}).status_code == 409
    assert api("kim").get("/api/v1/letters/unsent").json()["count"] == 0
    listed = api("kim").get(f"/api/v1/clients/{client_file.pk}/letters").json()["results"]
    assert (listed[0]["sent_on"], listed[0]["channel"]) == (sent_on, "portaal")


def test_a_print_batch_through_the_api_records_the_letters_sent_by_post(api, staff, make_file):
    letters = [make_letter(make_file(assigned_to="kim"), staff, title=f"Brief {n}") for n in range(2)]
    other = make_letter(make_file("GM0473"), staff)
    sent_on = (today() + timedelta(days=1)).isoformat()

    mixed = api("kim").post("/api/v1/letters/print-batches", {"letters": [letters[0].pk, other.pk], "sent_on": sent_on})
    assert mixed.status_code == 404
    assert (
        api("bram").post("/api/v1/letters/print-batches", {"letters": [letters[0].pk], "sent_on": sent_on}).status_code
        == 404
    )
    assert api("kim").post("/api/v1/letters/print-batches", {"letters": [], "sent_on": sent_on}).status_code == 400
    assert not LetterDispatch.objects.exists()

    answer = api("kim").post(
        "/api/v1/letters/print-batches", {"letters": [letter.pk for letter in letters], "sent_on": sent_on}
    )

    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["sent_on"], body["letters"]) == (sent_on, sorted(letter.pk for letter in letters))
    assert set(LetterDispatch.objects.values_list("channel", "sent_on")) == {("post", today() + timedelta(days=1))}
    download = api("kim").get(body["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert sorted(names) == sorted([*(letter.filename for letter in letters), "adressen.csv"])
    assert api("zeynep", "GM0473").get(body["download_url"]).status_code == 404
    again = api("kim").post("/api/v1/letters/print-batches", {"letters": [letters[0].pk], "sent_on": sent_on})
    assert again.status_code == 409
