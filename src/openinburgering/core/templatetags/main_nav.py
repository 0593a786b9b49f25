"""``{% main_nav %}``: the main menu (partials/nav.html), rendered once per role and page instead of on every request
(#18: 26 URL reversals and as many capability checks were about 1 ms of every staff page's CPU).

The menu is a function of three things only: whether a user is logged in, the capabilities of the current role and
whether the current path is one of the menu's links (``aria-current``), plus the request's CSRF token in its logout
form. So the HTML is rendered with a placeholder for the token and kept per process under (capabilities, path) for a
path that is a menu link, and under (capabilities, no path) for every other path; each request puts its own token in
(tests/core/test_main_nav.py compares the result with rendering the menu for that request).
The menu's links are read from its own HTML, so a link added to nav.html needs nothing here. With DEBUG on (the
demo), it is rendered every time, so an edited nav.html shows at once.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_HREF = re.compile(r'href="([^"]*)"')
_rendered: dict[tuple[frozenset[str], str | None], SafeString] = {}
_links: dict[frozenset[str], frozenset[str]] = {}


_TOKEN = "oi-main-nav-csrf-token"  # stands in for the request's CSRF token in a kept menu


def _render(context: Any, **overrides: Any) -> SafeString:
    return mark_safe(render_to_string("partials/nav.html", {**context.flatten(), **overrides}))  # noqa: S308 -- the template's own output, escaped by it


@register.simple_tag(takes_context=True)
def main_nav(context: Any) -> SafeString:
    user = context.get("user")
    request = context.get("request")
    if settings.DEBUG or request is None or user is None or not user.is_authenticated:
        return _render(context)
    capabilities = frozenset(str(code) for code in context.get("capabilities") or ())
    path = request.path
    links = _links.get(capabilities)
    key = (capabilities, path if links is None or path in links else None)
    html = _rendered.get(key)
    if html is None:
        html = _render(context, csrf_token=_TOKEN)
        links = frozenset(_HREF.findall(html))
        _links[capabilities] = links
        key = (capabilities, path if path in links else None)
        _rendered[key] = html
    # The token is letters and digits (django.middleware.csrf), so it goes into the HTML as it is.
    return mark_safe(html.replace(_TOKEN, str(context.get("csrf_token", ""))))  # noqa: S308 -- kept template output with the request's token


def clear() -> None:
    """Forget every rendered menu (tests that change the URLs or the template)."""
    _rendered.clear()
    _links.clear()
