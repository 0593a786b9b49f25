from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from openinburgering import rules
from openinburgering.clients.models import ClientFile
from openinburgering.clients.worklist import url_maker

from ..models import LetterKind
from ..selectors import letters_of

BESCHIKKINGEN = (LetterKind.PIP_BESCHIKKING, LetterKind.BOETE_W23)

register = template.Library()


@register.inclusion_tag("letters/_file_section.html")
def letters_section(client_file: ClientFile) -> dict[str, Any]:
    """The letters block of the file page (one query)."""
    letters = list(letters_of(client_file)[:50])
    download_url = url_maker("letters:download", "letter_id", file_id=client_file.pk)  # reversed once (#18)
    for letter in letters:
        sent = getattr(letter, "dispatch", None)
        # A beschikking's bezwaar term runs from its send date (Awb 6:8, 3:41); the rules compute it.
        until = None
        if sent is not None and letter.kind in BESCHIKKINGEN:
            until = rules.bezwaar_termijn(bekendgemaakt_on=sent.sent_on).term_ends_on
        setattr(letter, "sent", sent)  # noqa: B010 -- for the template; Letter has no such field
        setattr(letter, "bezwaar_until", until)  # noqa: B010 -- idem
        setattr(letter, "download_url", download_url(letter.pk))  # noqa: B010 -- idem
    return {"client_file": client_file, "letters": letters, "unsent_url": reverse("letter-sending:unsent")}
