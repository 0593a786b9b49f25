"""The portal journey without a browser (#15 'Done when'): plan, appointment as .ics, upload, message, kim's answer
and read, 'wie heeft mijn dossier bekeken'; every object of another client's file is 404 (the browser test in
tests/e2e/test_mijn_portal.py walks the same journey in Arabic)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import Consent
from openinburgering.intakes.models import IntakeCall
from openinburgering.letters.models import Letter
from openinburgering.mijn.models import ClientTask, PortalMessage, PortalUpload, TaskStatus

from .helpers import PDF


def upload(client, kind="diploma", content=PDF, name="diploma.pdf"):
    return client.post("/mijn/documenten/", {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_the_main_journey_ends_with_the_klantregisseur_of_haarlem_in_the_access_log(portal, login):
    client, client_file = portal()
    plan = client.get("/mijn/plan/").content.decode()
    assert "B1-route" in plan
    call = IntakeCall.objects.get(client_file=client_file)
    ics = client.get(f"/mijn/afspraken/oproep/{call.pk}.ics")
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "BEGIN:VEVENT" in body
    assert "LOCATION:Stadhuis Haarlem\\, Grote Markt 2" in body

    assert upload(client).status_code == 302
    stored = PortalUpload.objects.get(client_file=client_file)
    assert stored.content_type == "application/pdf"
    assert stored.seen_at is None
    assert ClientTask.objects.get(client_file=client_file).status == TaskStatus.DONE
    assert client.post("/mijn/berichten/", {"body": "Ik heb mijn diploma gestuurd."}).status_code == 302

    kim = login("kim")
    inbox = kim.get(f"/dossiers/{client_file.pk}/portaal/")
    assert "Ik heb mijn diploma gestuurd." in inbox.content.decode()
    assert (
        kim.post(f"/dossiers/{client_file.pk}/portaal/antwoord/", {"body": "Dank u, ik kijk ernaar."}).status_code
        == 302
    )
    opened = kim.get(f"/dossiers/{client_file.pk}/portaal/uploads/{stored.pk}/")
    assert opened.status_code == 200
    assert opened.content == PDF

    messages = client.get("/mijn/berichten/").content.decode()
    assert "Dank u, ik kijk ernaar." in messages
    assert "Gelezen op" in messages  # the read receipt of the client's own message
    assert PortalMessage.objects.filter(client_file=client_file, read_at__isnull=True).count() == 0

    log = client.get("/mijn/inzage/").content.decode()
    assert "Klantregisseur van gemeente Haarlem" in log
    assert "Documenten en brieven" in log
    assert "Kim" not in log  # no staff names unless the gemeente turns them on
    events = AuditEvent.objects.filter(client_file=client_file)
    assert events.filter(event_type="portal_upload_read", actor_role="klantregisseur").count() == 1
    for event_type in ("portal_plan_viewed", "portal_appointment_downloaded", "portal_upload_received",
                       "portal_message_submitted", "portal_message_answered", "portal_access_log_viewed"):  # fmt: skip
        assert events.filter(event_type=event_type).exists(), event_type


def test_the_access_log_in_arabic_names_the_role_and_the_gemeente(portal, login):
    client, client_file = portal()
    upload(client)
    kim = login("kim")
    kim.get(f"/dossiers/{client_file.pk}/portaal/uploads/{PortalUpload.objects.get().pk}/")
    client.post("/mijn/taal/", {"language": "ar", "next": "/mijn/inzage/"})
    page = client.get("/mijn/inzage/")
    text = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in text
    assert page["Content-Language"] == "ar"
    assert "Haarlem" in text
    assert "Klantregisseur" not in text


def test_another_client_s_file_is_404_everywhere_in_the_portal(portal, portal_file, login):
    client, own = portal()
    other = portal_file()
    upload(digid_client := portal_login(other))
    other_upload = PortalUpload.objects.get(client_file=other)
    other_letter = Letter.objects.filter(client_file=other).first()
    assert other_letter is not None
    other_call = IntakeCall.objects.get(client_file=other)
    other_consent = Consent.objects.create(
        client_file=other, purpose="gezondheid", how="schriftelijk", given_on=other.opened_on,
        recorded_by=other_upload.uploaded_by, recorded_at=timezone.now(),
    )  # fmt: skip
    paths = [
        f"/mijn/documenten/brieven/{other_letter.pk}/",
        f"/mijn/documenten/uploads/{other_upload.pk}/",
        f"/mijn/afspraken/oproep/{other_call.pk}.ics",
        f"/mijn/afspraken/oproep/{other_call.pk}/verzetten/",
        "/mijn/documenten/uploads/999999/",
    ]
    for path in paths:
        assert client.get(path).status_code == 404, path
    assert client.post(f"/mijn/inzage/toestemming/{other_consent.pk}/intrekken/").status_code == 404
    assert client.post(f"/mijn/afspraken/oproep/{other_call.pk}/verzetten/", {"reason": "x"}).status_code == 404
    assert not Consent.objects.filter(pk=other_consent.pk, withdrawal__isnull=False).exists()
    # The owner reaches the same objects.
    assert digid_client.get(f"/mijn/documenten/uploads/{other_upload.pk}/").status_code == 200
    assert own.pk != other.pk


def portal_login(client_file):
    from .conftest import digid_login

    return digid_login(client_file.person.bsn)


def test_an_upload_is_judged_by_its_content_not_its_name(portal):
    client, _client_file = portal()
    response = upload(client, content=b"MZ\x90\x00 not a pdf at all", name="diploma.pdf")
    assert response.status_code == 400
    assert "Dit soort bestand kunnen wij niet aannemen" in response.content.decode()
    assert PortalUpload.objects.count() == 0
    assert upload(client, content=b"", name="leeg.pdf").status_code == 400
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert upload(client, kind="medical", content=png, name="scan.exe").status_code == 302
    stored = PortalUpload.objects.get()
    assert stored.content_type == "image/png"
    assert stored.file.name.endswith(".png")
    assert "scan" not in stored.file.name


def test_a_staff_answer_without_text_changes_nothing(portal, login):
    _client, client_file = portal()
    kim = login("kim")
    response = kim.post(f"/dossiers/{client_file.pk}/portaal/antwoord/", {"body": "   "})
    assert response.status_code == 400
    assert "Schrijf eerst het antwoord." in response.content.decode()
    assert PortalMessage.objects.count() == 0


def test_the_client_withdraws_a_consent_at_once(portal, staff):
    client, client_file = portal()
    consent = Consent.objects.create(
        client_file=client_file, purpose="gezondheid", how="schriftelijk", given_on=client_file.opened_on,
        recorded_by=staff["kim"], recorded_at=timezone.now(),
    )  # fmt: skip
    page = client.get("/mijn/inzage/").content.decode()
    assert f'data-consent="{consent.pk}"' in page
    assert "Toestemming intrekken" in page
    response = client.post(f"/mijn/inzage/toestemming/{consent.pk}/intrekken/")
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawal.recorded_by.portal_account.bsn == client_file.person.bsn
    assert AuditEvent.objects.filter(event_type="portal_consent_revoked", client_file=client_file).count() == 1
    assert client.post(f"/mijn/inzage/toestemming/{consent.pk}/intrekken/").status_code == 404  # once only
