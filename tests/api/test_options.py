"""OPTIONS answers on every API endpoint (issue #12, item 9): the endpoints' metadata without a 500, generated
over every URL of the API urlconfs so a new endpoint is covered the day it is added."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

API_PREFIX = "api/v1/"


def _patterns(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _patterns(pattern.url_patterns, route)
        else:
            found.append((route, pattern))
    return found


def _api_paths() -> list[tuple[str, str]]:
    """(example path, its allowed methods) for every endpoint under /api/v1/, path parameters filled with 1."""
    paths = []
    for route, pattern in _patterns(get_resolver().url_patterns):
        if not route.startswith(API_PREFIX) or pattern.name == "unknown":
            continue
        if route.startswith(API_PREFIX + "mijn/"):
            continue  # the portal's API needs a client's DigiD session, not a staff token: tests/mijn/test_api.py
        if route.startswith(API_PREFIX + "notificaties/"):
            continue  # the ZGW webhook has its own subscription key, not a staff token: tests/interop/test_zgw.py
        view_class = pattern.callback.view_class
        path = "/" + re.sub(r"<(?:int|str):[a-z_]+>", "1", route)
        methods = {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
        if "GET" in methods:
            methods.add("HEAD")  # Django answers HEAD wherever GET is allowed
        methods = sorted(methods)
        paths.append((path, ", ".join(methods)))
    return paths


API_PATHS = _api_paths()


def test_the_api_urlconf_is_found():
    assert ("/api/v1/me", "GET, HEAD, OPTIONS") in API_PATHS
    assert ("/api/v1/signals/duo-events", "OPTIONS, POST") in API_PATHS
    assert len(API_PATHS) == len({path for path, _ in API_PATHS})


@pytest.mark.parametrize(("path", "methods"), API_PATHS, ids=[path for path, _ in API_PATHS])
def test_options_answers_every_endpoint_with_its_metadata(path, methods, api):
    response = api("kim").send("OPTIONS", path)
    assert response.status_code == 200, response.content
    body = response.json()
    assert sorted(body) == ["description", "name", "parses", "renders"]
    assert body["renders"] == ["application/json"]
    assert sorted(m.strip() for m in response["Allow"].split(",")) == sorted(methods.split(", "))


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/clients/1"])
def test_options_needs_a_token_like_every_other_method(path, api):
    response = api(None).send("OPTIONS", path)
    assert response.status_code == 401


def test_options_on_an_unknown_path_gets_404(api):
    response = api("kim").send("OPTIONS", "/api/v1/nothing")
    assert response.status_code == 404
    assert response.json()["status"] == 404
