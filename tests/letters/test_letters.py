"""Letters: real PDFs stored once with their hash, opened only through the file's door, every read audited."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader

from openinburgering.audit.models import AuditEvent
from openinburgering.letters.models import Letter, LetterKind
from openinburgering.letters.services import create_letter, language_note
from tests.clients.pages import assert_login_redirect

pytestmark = pytest.mark.django_db

TEMPLATE = "letters/test_letter.html"


@pytest.fixture(autouse=True)
def _test_template(settings, tmp_path):
    """A letter body used only here, so these tests do not depend on the intake or PIP letters."""
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "test_letter.html").write_text(
        '{% extends "letters/base_letter.html" %}{% block body %}<p>Kom op {{ when }} naar het stadhuis.</p>'
        "{% endblock %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(bytes(content)))
    return "\n".join(page.extract_text() for page in reader.pages)


def make_letter(actor, client_file) -> Letter:
    return create_letter(
        actor=actor, client_file=client_file, kind=LetterKind.OPROEP, template_name=TEMPLATE,
        context={"title": "Uitnodiging gesprek", "when": "3 december 2026"},
    )  # fmt: skip


@pytest.fixture
def letter(actor, make_file) -> Letter:
    client_file = make_file(
        assigned_to="kim",
        person={"languages": "Arabisch", "interpreter_needed": True, "interpreter_language": "Arabisch",
                "street": "Grote Markt", "house_number": "2", "postcode": "2011RD", "city": "Haarlem"},
    )  # fmt: skip
    return make_letter(actor("kim"), client_file)


def test_a_letter_is_a_real_pdf_with_the_person_the_gemeente_and_the_body(letter):
    assert bytes(letter.content).startswith(b"%PDF-")
    assert letter.sha256 == hashlib.sha256(bytes(letter.content)).hexdigest()
    assert letter.size == len(bytes(letter.content))
    text = pdf_text(letter.content)
    for expected in ("Gemeente Haarlem", "Amal Haddad", "Grote Markt 2", "Uitnodiging gesprek",
                     "Kom op 3 december 2026 naar het stadhuis.", "tolk", "Kim de Vries"):  # fmt: skip
        assert expected in text, expected
    assert letter.language_note == "Talen: Arabisch; tolk nodig in het Arabisch"
    assert AuditEvent.objects.filter(event_type="letter_created", client_file=letter.client_file).count() == 1


def test_language_note_is_empty_without_languages(make_file):
    assert language_note(make_file().person) == ""


def test_a_letter_cannot_be_changed_or_deleted(letter):
    letter.title = "Anders"
    with pytest.raises(TypeError):
        letter.save()
    with pytest.raises(TypeError):
        letter.delete()


def test_postgres_refuses_updates_of_a_letter(letter):
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    if connection.vendor != "postgresql":
        pytest.skip("the insert-only trigger exists on PostgreSQL only")  # the SQLite fallback run is told loudly
    with pytest.raises(DatabaseError), transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(title="Anders")


def url(letter: Letter) -> str:
    return f"/dossiers/{letter.client_file_id}/brieven/{letter.pk}/"


def test_the_klantregisseur_opens_the_pdf_and_the_read_is_audited(letter, login):
    response = login("kim").get(url(letter))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == bytes(letter.content)
    assert AuditEvent.objects.filter(event_type="letter_read", client_file=letter.client_file, via="ui").count() == 1


@pytest.mark.parametrize(("username", "gemeente"), [("zeynep", "GM0473"), ("fenna", "GM0392"), ("anouk", "GM0392")])
def test_others_get_404_and_no_read_is_audited(letter, login, username, gemeente):
    assert login(username, gemeente).get(url(letter)).status_code == 404
    assert not AuditEvent.objects.filter(event_type="letter_read").exists()


def test_a_letter_of_another_file_is_not_found_through_this_file(letter, login, make_file):
    other = make_file()
    assert login("kim").get(f"/dossiers/{other.pk}/brieven/{letter.pk}/").status_code == 404


def test_anonymous_is_sent_to_login(letter, client):
    assert_login_redirect(client.get(url(letter)), url(letter))


def test_the_file_page_lists_the_letters(letter, login):
    content = login("kim").get(f"/dossiers/{letter.client_file_id}/").content.decode()
    assert url(letter) in content
    assert "Uitnodiging gesprek (pdf)" in content


def test_api_lists_letters_without_content_and_serves_the_pdf(letter, api):
    kim = api("kim")
    listing = kim.get(f"/api/v1/clients/{letter.client_file_id}/letters")
    assert listing.status_code == 200
    [row] = listing.json()["results"]
    assert (row["id"], row["sha256"]) == (letter.pk, letter.sha256)
    assert "content" not in row
    pdf = kim.get(row["pdf_url"])
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert pdf.content == bytes(letter.content)
    events = AuditEvent.objects.filter(client_file=letter.client_file, via="api").order_by("id")
    assert list(events.values_list("event_type", flat=True)) == ["letters_listed", "letter_read"]


@pytest.mark.parametrize(("username", "gemeente"), [("zeynep", "GM0473"), ("fenna", "GM0392")])
def test_api_others_get_404(letter, api, username, gemeente):
    other = api(username, gemeente)
    assert other.get(f"/api/v1/clients/{letter.client_file_id}/letters").status_code == 404
    assert other.get(f"/api/v1/clients/{letter.client_file_id}/letters/{letter.pk}").status_code == 404
    assert not AuditEvent.objects.filter(via="api", event_type__in=["letters_listed", "letter_read"]).exists()


def test_api_anonymous_is_401(letter, api):
    assert api(None).get(f"/api/v1/clients/{letter.client_file_id}/letters/{letter.pk}").status_code == 401


def test_a_letter_is_a_tagged_pdf_ua_with_language_and_title(letter):
    """PDF/UA-1 (issue #11 item 7): marked content with a structure tree, the language and the title."""
    reader = PdfReader(io.BytesIO(bytes(letter.content)))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nl"
    assert reader.metadata is not None
    assert reader.metadata.title == "Uitnodiging gesprek"
    assert reader.xmp_metadata is not None
    assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()
