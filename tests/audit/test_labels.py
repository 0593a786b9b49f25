"""Every audit event type has a Dutch label, and the pages that list events show labels, never raw codes
(#12 item 9: "wie heeft dit dossier ingezien" showed 33 of 38 read types as codes such as `pip_read`)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from openinburgering.audit.catalogue import EVENT_TYPES
from openinburgering.audit.labels import EVENT_LABELS, event_label
from openinburgering.audit.services import record_event
from openinburgering.clients.selectors import READ_EVENT_TYPES

CODES = [event.code for event in EVENT_TYPES]


@pytest.mark.parametrize("code", CODES)
def test_every_catalogue_entry_has_a_dutch_label(code):
    label = EVENT_LABELS[code]
    assert label == label.strip()
    assert label[0].isupper()
    assert "_" not in label


def test_no_two_event_types_share_a_label():
    labels = [EVENT_LABELS[code] for code in CODES]
    assert sorted(label for label in labels if labels.count(label) > 1) == []


def test_an_unknown_code_is_not_shown_as_a_code():
    assert event_label("pip_read") == "PIP gelezen via de API"
    assert event_label("no_such_event") == "Andere handeling"


@pytest.mark.django_db
def test_the_file_audit_page_shows_every_read_type_as_its_label(login, make_file, actor):
    client_file = make_file(assigned_to="kim")
    kim = actor("kim")
    for code in READ_EVENT_TYPES:
        record_event(actor=kim, event_type=code, purpose="regie", client_file=client_file)
    client = login("tamara")
    pages = []
    page = 1
    while True:
        response = client.get(reverse("clients:detail", args=[client_file.pk]), {"ingezien": page})
        pages.append(response.content.decode())
        if f"ingezien={page + 1}" not in pages[-1]:
            break
        page += 1
    cells = [
        " ".join(cell.split())
        for html in pages
        for section in re.findall(r'id="ingezien".*?</section>', html, re.S)
        for cell in re.findall(r"<tr class=\"utrecht-table__row\">.*?</tr>", section, re.S)
    ]
    shown = "\n".join(cells)
    for code in READ_EVENT_TYPES:
        assert code not in shown, code
        assert EVENT_LABELS[code] in shown, code
