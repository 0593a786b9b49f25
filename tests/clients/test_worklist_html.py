"""The worklist rows are escaped with html.escape directly (#18); the HTML must be what Django's escape gives."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from openinburgering.clients import worklist

TRICKY: list[Any] = ["<b>'Amal' & \"Omar\"</b>", gettext_lazy("Aangemeld"), mark_safe("<i>&amp;</i>"), 12, "", "é ✓"]


@pytest.mark.parametrize("value", TRICKY)
def test_escape_writes_what_djangos_escape_writes(value: Any) -> None:
    assert worklist._escape(value) == escape(value)


def test_rows_html_is_the_same_with_djangos_escape(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "<b>'x' & \"y\"</b>"
    row = {
        "pk": 7, "name": text, "url": "/dossiers/7/?a=1&b=2", "status": text, "stage": text, "doelgroep": text,
        "assigned": text, "team": text, "deadline_label": text, "due_on": "01-02-2027", "is_overdue": True,
        "badge_class": "utrecht-badge-status--danger", "badge_text": text, "low_percent": 40,
        "progress_url": "/dossiers/7/voortgang/", "portal_text": text, "portal_url": "/dossiers/7/portaal/",
        "opened_on": "01-01-2026",
    }  # fmt: skip
    rows = [row, {**row, "due_on": "", "low_percent": None, "portal_text": "", "team": "", "assigned": ""}]
    ours = [worklist.rows_html(rows, selectable=s, show_assigned=a, threshold=80) for s in (0, 1) for a in (0, 1)]
    monkeypatch.setattr(worklist, "_escape", escape)
    django = [worklist.rows_html(rows, selectable=s, show_assigned=a, threshold=80) for s in (0, 1) for a in (0, 1)]
    assert ours == django
    assert "&lt;b&gt;&#x27;x&#x27; &amp; &quot;y&quot;&lt;/b&gt;" in ours[0]
