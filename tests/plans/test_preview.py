"""The CONCEPT beschikking of a PIP version before approval (issue #11 item 6): a PDF marked CONCEPT on every
page, not stored as a letter, audited as a read of the plan; for the approver roles and the file's klantregisseur
only (404 for everyone else, and nothing read)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from openinburgering.audit.models import AuditEvent
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.letters.models import Letter
from openinburgering.plans import services
from openinburgering.plans.models import PipVersion
from tests.clients.pages import assert_login_redirect

pytestmark = pytest.mark.django_db


def page_url(version: PipVersion) -> str:
    return reverse("plans:preview", kwargs={"file_id": version.client_file_id, "version_id": version.pk})


def api_url(version: PipVersion) -> str:
    return f"/api/v1/clients/{version.client_file_id}/pip-versions/{version.pk}/preview"


def pages_of(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def waiting(pip_file, draft_ready, actor) -> PipVersion:
    """A PIP offered for approval by kim (the file's klantregisseur)."""
    client_file = pip_file()
    version = draft_ready(client_file)
    return services.submit(actor=actor("kim"), client_file=client_file, version=version)


def reads(version: PipVersion) -> int:
    return AuditEvent.objects.filter(
        event_type__in=("pip_viewed", "pip_read"), subject_id=str(version.pk), subject_type="pipversion"
    ).count()


def test_the_url_is_under_the_version():
    assert reverse("plans:preview", kwargs={"file_id": 3, "version_id": 5}) == "/dossiers/3/pip/5/concept-beschikking/"


@pytest.mark.parametrize("username", ["tamara", "kim"])
def test_the_approver_and_the_klantregisseur_get_a_concept_pdf_on_every_page(waiting, login, username, staff):
    letters_before = Letter.objects.count()
    response = login(username).get(page_url(waiting))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="concept-beschikking-pip-{waiting.pk}.pdf"'
    pages = pages_of(response.content)
    assert len(pages) >= 2
    for text in pages:
        assert "CONCEPT: dit is nog geen besluit. Deze brief is niet verstuurd." in text
    assert "Besluit: uw persoonlijk plan inburgering en participatie (PIP)" in pages[0]
    assert "Werk vinden" in " ".join(pages)
    metadata = PdfReader(io.BytesIO(response.content)).metadata
    assert metadata is not None
    assert metadata.title == "CONCEPT: Besluit: uw persoonlijk plan inburgering en participatie (PIP)"
    assert Letter.objects.count() == letters_before  # not stored, not sent
    event = AuditEvent.objects.get(event_type="pip_viewed", subject_id=str(waiting.pk))
    assert (event.actor, event.client_file_id) == (staff[username], waiting.client_file_id)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.dagtekening_on) == ("ter_goedkeuring", None)


@pytest.mark.parametrize(("username", "gemeente"), [
    ("youssef", None),  # a klantregisseur of the same gemeente, not of this file
    ("frank", None), ("fenna", None), ("mira", None), ("anouk", None),  # roles without a reason to see it
    ("zoe", ZANDVOORT),  # a teamleider of another gemeente
])  # fmt: skip
def test_everyone_else_gets_404_and_nothing_is_read(waiting, login, username, gemeente):
    client = login(username) if gemeente is None else login(username, gemeente)
    assert client.get(page_url(waiting)).status_code == 404
    assert reads(waiting) == 0


def test_anonymous_is_sent_to_the_login(waiting, client):
    assert_login_redirect(client.get(page_url(waiting)), page_url(waiting))
    assert reads(waiting) == 0


def test_a_missing_version_is_404(waiting, login):
    url = reverse("plans:preview", kwargs={"file_id": waiting.client_file_id, "version_id": waiting.pk + 999})
    assert login("tamara").get(url).status_code == 404


def test_a_concept_without_leerroute_goes_back_with_a_dutch_message(pip_file, actor, login):
    client_file = pip_file()
    version = services.create_draft(actor=actor("kim"), client_file=client_file)
    PipVersion.objects.filter(pk=version.pk).update(leerroute="")
    response = login("kim").get(page_url(version), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "plans:version", kwargs={"file_id": client_file.pk, "version_id": version.pk}
    )
    assert "Kies eerst een leerroute in het PIP. Daarna kunt u het concept van de beschikking bekijken." in (
        response.content.decode()
    )
    assert reads(version) == 1  # the version page itself, not the preview


def test_the_version_page_links_to_the_preview(waiting, login):
    assert (
        f'href="{page_url(waiting)}"'
        in login("tamara")
        .get(reverse("plans:version", kwargs={"file_id": waiting.client_file_id, "version_id": waiting.pk}))
        .content.decode()
    )


def test_api_preview_is_a_concept_pdf_for_the_approver(waiting, api, staff):
    response = api("tamara").get(api_url(waiting))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    for text in pages_of(response.content):
        assert "CONCEPT" in text
    event = AuditEvent.objects.get(event_type="pip_read", subject_id=str(waiting.pk))
    assert (event.actor, event.via) == (staff["tamara"], "api")


@pytest.mark.parametrize(("username", "gemeente", "status"), [
    ("kim", None, 200), ("youssef", None, 404), ("frank", None, 404), ("zoe", ZANDVOORT, 404), (None, None, 401),
])  # fmt: skip
def test_api_permission_matrix(waiting, api, username, gemeente, status):
    client = api(username) if gemeente is None else api(username, gemeente)
    assert client.get(api_url(waiting)).status_code == status
    assert reads(waiting) == (1 if status == 200 else 0)


def test_api_concept_without_leerroute_is_a_400_problem_in_dutch(pip_file, actor, api):
    client_file = pip_file()
    version = services.create_draft(actor=actor("kim"), client_file=client_file)
    PipVersion.objects.filter(pk=version.pk).update(leerroute="")
    response = api("kim").get(api_url(version))
    assert response.status_code == 400
    body = response.json()
    assert body["invalidParams"] == [
        {"name": "leerroute", "code": "invalid",
         "reason": "Kies eerst een leerroute in het PIP. Daarna kunt u het concept van de beschikking bekijken."}
    ]  # fmt: skip


def test_the_approvals_queue_links_to_each_preview(waiting, login):
    page = login("tamara").get(reverse("plans-team:approvals")).content.decode()
    assert f'href="{page_url(waiting)}"' in page
