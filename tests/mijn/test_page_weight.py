"""For people on a slow phone (#15 item 9): every main portal page weighs at most 100 KB before fonts (the HTML plus
every stylesheet, script and image it loads, and what the stylesheets load), uses no JavaScript at all (every
form is a plain post), and the stylesheet gives buttons, fields and menu links a touch size of at least 44 px
(the browser test measures them: tests/e2e/test_mijn_portal.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from openinburgering.mijn.models import Direction, PortalMessage

BUDGET = 100 * 1024
FONTS = (".woff", ".woff2", ".ttf", ".otf", ".eot")
PAGES = ("/mijn/", "/mijn/plan/", "/mijn/voortgang/", "/mijn/afspraken/", "/mijn/documenten/", "/mijn/berichten/",
         "/mijn/inzage/")  # fmt: skip
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def static_bytes(url: str) -> tuple[int, str]:
    assert url.startswith("/static/"), f"an asset from elsewhere: {url}"
    path = finders.find(url.removeprefix("/static/").split("?")[0])
    assert path, f"missing static file {url}"
    data = Path(path).read_bytes()
    return len(data), data.decode("utf-8", "replace") if url.endswith(".css") else ""


def page_weight(html: str) -> tuple[int, list[str]]:
    total, loaded = len(html.encode()), []
    queue = ASSET.findall(html)
    while queue:
        url = queue.pop()
        if url.lower().endswith(FONTS) or url in loaded:
            continue
        loaded.append(url)
        size, css = static_bytes(url)
        total += size
        queue += [
            u if u.startswith("/") else url.rsplit("/", 1)[0] + "/" + u
            for u in CSS_URL.findall(css)
            if not u.startswith("data:")
        ]  # fmt: skip
    return total, loaded


@pytest.mark.parametrize("language", ["nl", "ar", "ti"])
def test_every_main_portal_page_is_at_most_100_kb_and_needs_no_javascript(portal, staff, language):
    client, client_file = portal()
    now = timezone.now()
    for n in range(30):  # a conversation of some length
        PortalMessage.objects.create(
            client_file=client_file, direction=Direction.FROM_CLIENT if n % 2 else Direction.TO_CLIENT,
            body="Goedemorgen, ik heb een vraag over mijn les van dinsdag en over de reiskosten. " * 3,
            sender=staff["kim"], sent_at=now - timedelta(hours=30 - n),
        )  # fmt: skip
    client.post("/mijn/taal/", {"language": language, "next": "/mijn/"})
    for path in (*PAGES, "/mijn/uitloggen/"):
        if path == "/mijn/uitloggen/":
            client.post(path)
            path = "/mijn/inloggen/"
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        weight, loaded = page_weight(html)
        assert weight <= BUDGET, f"{path} ({language}) weighs {weight} bytes with {loaded}"
        assert "<script" not in html.lower(), f"{path} uses JavaScript"
        assert not re.search(r"<[^>]+\son[a-z]+=", html), f"{path} has an inline event handler"
        assert "/static/mijn/portal.css" in loaded


def test_the_stylesheet_gives_controls_a_44_px_touch_size():
    css = Path(finders.find("mijn/portal.css")).read_text()
    assert re.search(r"\.mijn-button \{[^}]*min-block-size: (4[4-9]|[5-9]\d)px", css)
    assert re.search(r"\.mijn-nav__list a, \.mijn-nav__list button \{[^}]*min-block-size: (4[4-9]|[5-9]\d)px", css)
    assert re.search(r"\.mijn-field textarea[^{]*\{[^}]*min-block-size: (4[4-9]|[5-9]\d)px", css)


def test_the_weight_check_counts_what_a_page_loads():
    """The measure adds what the page loads, and a file it cannot find fails the check."""
    html = '<link rel="stylesheet" href="/static/mijn/portal.css">'
    weight, loaded = page_weight(html)
    assert loaded == ["/static/mijn/portal.css"]
    assert weight == len(html) + Path(finders.find("mijn/portal.css")).stat().st_size
    with pytest.raises(AssertionError, match="missing static file"):
        page_weight('<img src="/static/mijn/does-not-exist.png">')
