"""The klantregisseur's side of the portal (#15 item 10): portal messages, reschedule requests and uploads show on
her caseload with a link to the file's portal page, in one query per page; they leave the caseload once
read, handled and opened."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openinburgering.mijn.models import Direction, PortalMessage
from openinburgering.mijn.selectors import portal_work_for_files

from .helpers import portal_items


def message(client_file, staff):
    return PortalMessage.objects.create(
        client_file=client_file, direction=Direction.FROM_CLIENT, body="Vraag", sender=staff["kim"],
        sent_at=timezone.now(),
    )  # fmt: skip


def test_the_caseload_shows_portal_work_until_it_is_done(make_file, staff, login):
    client_file = make_file(assigned_to="kim")
    quiet = make_file(assigned_to="kim")
    request, upload = portal_items(client_file, staff)
    message(client_file, staff)
    kim = login("kim")
    page = kim.get(reverse("clients:caseload")).content.decode()
    assert f'data-portal-work="{client_file.pk}"' in page
    assert f'data-portal-work="{quiet.pk}"' not in page
    assert "Portaal: 1 bericht, 1 verzoek, 1 upload" in " ".join(page.split())
    assert f"/dossiers/{client_file.pk}/portaal/" in page

    kim.get(f"/dossiers/{client_file.pk}/portaal/")  # reading the messages sets the read receipt
    kim.post(f"/dossiers/{client_file.pk}/portaal/verzoeken/{request.pk}/afgehandeld/")
    kim.get(f"/dossiers/{client_file.pk}/portaal/uploads/{upload.pk}/")
    page = kim.get(reverse("clients:caseload")).content.decode()
    assert f'data-portal-work="{client_file.pk}"' not in page


def test_portal_work_of_a_page_takes_one_query_whatever_its_size(make_file, staff):
    files = [make_file(assigned_to="kim") for _ in range(3)]
    for client_file in files:
        portal_items(client_file, staff)
        message(client_file, staff)
    with CaptureQueriesContext(connection) as one:
        work = portal_work_for_files([files[0].pk])
    with CaptureQueriesContext(connection) as three:
        work = portal_work_for_files([f.pk for f in files])
    assert len(one) == len(three) == 1
    assert {pk: (w.unread_messages, w.open_requests, w.unseen_uploads) for pk, w in work.items()} == {
        f.pk: (1, 1, 1) for f in files
    }
    assert portal_work_for_files([]) == {}


def test_the_file_page_links_to_the_portal_page(make_file, login):
    client_file = make_file(assigned_to="kim")
    page = login("kim").get(f"/dossiers/{client_file.pk}/").content.decode()
    assert f'href="/dossiers/{client_file.pk}/portaal/"' in page
