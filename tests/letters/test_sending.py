"""Letters that are sent (#17 item 6): channel and send date recorded once, the bezwaar term from the send date
(rules.bezwaar_termijn), the e-mail for the portal through the outbox, print batches for the post, the worklist."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from django.core import mail

from openinburgering import rules
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import Person
from openinburgering.core.dates import today
from openinburgering.core.errors import ApplicationError, Conflict
from openinburgering.interop import outbox
from openinburgering.interop.models import OutboxMessage
from openinburgering.letters import services
from openinburgering.letters.models import LetterDispatch
from openinburgering.plans import services as plan_services

pytestmark = pytest.mark.django_db


def test_the_bezwaar_term_runs_from_the_recorded_send_date(pip_file, vastgesteld, actor):
    client_file = pip_file()
    version = vastgesteld(client_file)
    letter = version.beschikking_letter
    Person.objects.filter(pk=client_file.person_id).update(email="a.client@example.org")
    letter.client_file.refresh_from_db()
    kim = actor("kim")
    sent_on = today() + timedelta(days=3)

    dispatch = services.record_sent(actor=kim, letter=letter, channel="portaal", sent_on=sent_on)

    assert (dispatch.channel, dispatch.sent_on) == ("portaal", sent_on)
    bezwaar = plan_services.register_bezwaar(
        actor=kim, client_file=client_file, version=version, received_on=today(), grounds="Ik ben het niet eens"
    )
    from_sending = rules.bezwaar_termijn(bekendgemaakt_on=sent_on).term_ends_on
    assert bezwaar.term_ends_on == from_sending
    assert from_sending != rules.bezwaar_termijn(bekendgemaakt_on=version.dagtekening_on).term_ends_on
    event = AuditEvent.objects.get(event_type="letter_dispatch_recorded")
    assert event.client_file_id == client_file.pk
    assert event.changes["sent_on"]["new"] == sent_on.isoformat()
    with pytest.raises(Conflict):
        services.record_sent(actor=kim, letter=letter, channel="portaal", sent_on=sent_on)
    assert LetterDispatch.objects.filter(letter=letter).count() == 1

    # The e-mail that a letter waits in the portal goes through the outbox, without the name or the subject.
    message = OutboxMessage.objects.get(kind="letter.email")
    assert outbox.deliver(message.pk) == "sent"
    [email] = mail.outbox
    assert email.to == ["a.client@example.org"]
    assert client_file.person.surname not in email.body
    assert letter.title not in email.body


def test_sending_needs_a_usable_channel_and_date(pip_file, vastgesteld, actor):
    client_file = pip_file()
    letter = vastgesteld(client_file).beschikking_letter
    kim = actor("kim")
    with pytest.raises(ApplicationError, match="geen e-mailadres"):
        services.record_sent(actor=kim, letter=letter, channel="portaal", sent_on=today())
    with pytest.raises(ApplicationError, match="digitale post"):
        services.record_sent(actor=kim, letter=letter, channel="digitaal", sent_on=today())
    Person.objects.filter(pk=client_file.person_id).update(email="a.client@example.org")
    letter.client_file.refresh_from_db()
    with pytest.raises(ApplicationError) as excinfo:
        services.record_sent(actor=kim, letter=letter, channel="portaal", sent_on=today() - timedelta(days=30))
    assert excinfo.value.field_errors == {"sent_on": ["De verzenddatum kan niet voor de datum van de brief liggen."]}
    assert not LetterDispatch.objects.exists()


def test_the_worklist_shows_unsent_letters_and_a_print_batch_sends_them(pip_file, vastgesteld, login):
    client_file = pip_file()
    letter = vastgesteld(client_file).beschikking_letter
    kim = login("kim")

    page = kim.get("/brieven/")
    assert page.status_code == 200
    assert letter.title in page.content.decode()

    response = kim.post("/brieven/printbatch/", {"letters": [letter.pk], "sent_on": today().isoformat()})
    assert response.status_code == 302
    dispatch = LetterDispatch.objects.get(letter=letter)
    assert (dispatch.channel, dispatch.sent_on, dispatch.batch_id is not None) == ("post", today(), True)

    download = kim.get(f"/brieven/printbatch/{dispatch.batch_id}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert archive.read(letter.filename).startswith(b"%PDF")
    [row] = list(csv.DictReader(io.StringIO(archive.read("adressen.csv").decode()), delimiter=";"))
    assert row["bestand"] == letter.filename
    assert row["postcode"] == client_file.person.postcode
    assert AuditEvent.objects.filter(event_type="letter_print_batch_downloaded", subject_id=str(letter.pk)).exists()

    assert letter.title not in kim.get("/brieven/").content.decode()  # sent: off the worklist
    again = kim.post("/brieven/printbatch/", {"letters": [letter.pk], "sent_on": today().isoformat()})
    assert again.status_code in (302, 404)
    assert LetterDispatch.objects.filter(letter=letter).count() == 1


def test_another_gemeentes_batch_and_letters_are_404(pip_file, vastgesteld, login):
    letter = vastgesteld(pip_file()).beschikking_letter
    assert login("kim").get("/brieven/printbatch/999999/download/").status_code == 404
    response = login("kim").post(
        "/brieven/printbatch/", {"letters": [letter.pk + 1000], "sent_on": today().isoformat()}
    )
    assert response.status_code in (302, 404)
    assert not LetterDispatch.objects.exists()
