"""Shared fixtures: the named personas (same as the demo), actors, and client files built through services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from openinburgering.accounts.actor import SESSION_MEMBERSHIP_KEY, Actor
from openinburgering.accounts.models import Membership, User
from openinburgering.clients.models import ClientFile
from openinburgering.clients.services import register_client
from openinburgering.demo.personas import HAARLEM, ZANDVOORT, ensure_staff

from .e2e.plugin import register_async_unsafe_plugin
from .factories.bsn import bsn_sequence


def pytest_configure(config: pytest.Config) -> None:
    # Browser tests anywhere under tests/ (e.g. tests/signals/test_browser.py) need Django's ORM next to
    # Playwright's event loop, also in runs without tests/e2e: allowed only while a test marked e2e runs.
    register_async_unsafe_plugin(config)


_db_blocker: Any = None


@pytest.fixture(scope="session", autouse=True)
def _remember_db_blocker(django_db_blocker: Any) -> None:
    global _db_blocker  # the teardown hook below has no fixtures; it needs pytest-django's blocker
    _db_blocker = django_db_blocker


def _flushes_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    return bool(marker and marker.kwargs.get("transaction")) or bool(names & {"transactional_db", "live_server"})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """A transactional test (browser tests, the real job worker) ends with a flush of every table, which also
    empties what the migrations loaded (gemeenten, roles, BRP tables). Put it back right after that flush, so a
    test that runs next on the same process finds it, whatever order pytest-xdist hands the files out in."""
    yield
    if nextitem is not None and _db_blocker is not None and _flushes_database(item):
        from openinburgering.clients.reference_data import ensure_reference_data

        with _db_blocker.unblock():
            ensure_reference_data()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Every test starts with an empty cache: a per-gemeente value cached by an earlier test (e.g. the attendance
    threshold, progress.selectors) must not outlive that test's rolled-back database."""
    cache.clear()


@pytest.fixture(autouse=True)
def _dutch_to_start_with() -> None:
    """Every test starts in the default language. A request keeps its language active in the thread afterwards (the
    portal's middleware activates the client's language), so a later test that calls a selector or renders outside a
    request read its Dutch labels in that language (a monitoring table came out in Farsi after a portal test)."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def staff(db: Any) -> dict[str, User]:
    return ensure_staff(password="test-Password-123!")


def actor_for(user: User, gemeente_code: str = HAARLEM, role_code: str | None = None) -> Actor:
    memberships = Membership.objects.select_related("gemeente", "role", "team").filter(
        user=user, gemeente__code=gemeente_code
    )
    if role_code:
        memberships = memberships.filter(role__code=role_code)
    return Actor(user=user, membership=memberships.get())


@pytest.fixture
def actor(staff: dict[str, User]) -> Callable[..., Actor]:
    def make(username: str, gemeente_code: str = HAARLEM, role_code: str | None = None) -> Actor:
        return actor_for(staff[username], gemeente_code, role_code)

    return make


@pytest.fixture
def login(staff: dict[str, User]) -> Callable[..., Client]:
    """A logged-in Django test client acting as a persona in a gemeente."""

    def make(username: str, gemeente_code: str = HAARLEM) -> Client:
        client = Client()
        user = staff[username]
        client.force_login(user)
        membership = Membership.objects.filter(user=user, gemeente__code=gemeente_code).first()
        if membership is not None:
            session = client.session
            session[SESSION_MEMBERSHIP_KEY] = membership.pk
            session.save()
        return client

    return make


@pytest.fixture
def make_file(staff: dict[str, User]) -> Callable[..., ClientFile]:
    """Registers a client file through the service, as a klantregisseur of the gemeente would."""
    bsns = bsn_sequence()

    def make(
        gemeente_code: str = HAARLEM,
        *,
        assigned_to: str | None = None,
        registered_by: str | None = None,
        person: dict[str, Any] | None = None,
        file: dict[str, Any] | None = None,
    ) -> ClientFile:
        default_worker = "kim" if gemeente_code == HAARLEM else "zeynep"
        actor = actor_for(staff[registered_by or default_worker], gemeente_code)
        person_data = {
            "bsn": next(bsns),
            "given_names": "Amal",
            "surname": "Haddad",
            "birth_on": date(1990, 5, 1),
            **(person or {}),
        }
        file_data = {
            "doelgroep": "asielstatushouder",
            "residence": "asiel",
            "residence_from_on": date(2025, 6, 2),
            "kennisgeving_on": date(2025, 7, 1),
            **(file or {}),
        }
        worker = staff[assigned_to] if assigned_to else None
        return register_client(actor=actor, person_data=person_data, file_data=file_data, assigned_to=worker)

    return make


__all__ = ["HAARLEM", "ZANDVOORT", "actor_for"]
