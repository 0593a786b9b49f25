"""Stateless app servers (#18 item 5): two gunicorn processes on different ports, one database (which is also the
job queue, django-tasks-db). A klantregisseur logs in on the first and goes on on the second: the session, the CSRF
token and the audit trail live in the database, nothing in a process. Logging out on the second ends the session
on the first too. Real processes, not two live servers in one process, which would share memory and prove nothing."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from django.db import connection
from django.urls import reverse

from openinburgering.audit.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="two processes need one server database, not SQLite in memory"
    ),
]

GUNICORN = Path(sys.executable).with_name("gunicorn")
PASSWORD = "test-Password-123!"


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """A transactional test starts from a flushed database when another one ran before it: put the
    migration-loaded reference data back first."""
    from openinburgering.clients.reference_data import ensure_reference_data

    ensure_reference_data()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    settings = connection.settings_dict
    credentials = quote(settings["USER"] or "") + (f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else "")
    return f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.fixture
def two_servers(reference_data: None, staff: Any) -> Iterator[tuple[str, str]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "openinburgering.conf.test",
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
    }
    processes: list[subprocess.Popen[bytes]] = []
    bases: list[str] = []
    try:
        for _ in range(2):
            port = free_port()
            processes.append(
                subprocess.Popen(
                    [
                        str(GUNICORN),
                        "openinburgering.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--timeout",
                        "60",
                        "--log-level",
                        "warning",
                    ],
                    env=env,
                    start_new_session=True,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes, strict=True):
            deadline = time.monotonic() + 120
            while True:
                assert process.poll() is None, "gunicorn exited at start"
                try:
                    requests.get(base + "/", timeout=30, allow_redirects=False)
                    break
                except requests.RequestException:  # not listening yet, or still loading the app
                    assert time.monotonic() < deadline, f"{base} did not answer within 120 s"
                    time.sleep(0.2)
        yield bases[0], bases[1]
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, 15)
                process.wait(timeout=20)


def test_log_in_on_one_server_and_go_on_on_the_other(two_servers: tuple[str, str]) -> None:
    first, second = two_servers
    login, caseload, search = reverse("accounts:login"), reverse("clients:caseload"), reverse("clients:search")
    browser = requests.Session()
    form = browser.get(first + login, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, "the login form has a CSRF token"
    answer = browser.post(
        first + login,
        data={"username": "kim", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, "logged in on the first server"

    # The second server knows the session: the caseload page, then a search POST with the CSRF token from the first.
    page = browser.get(second + caseload, allow_redirects=False, timeout=30)
    assert page.status_code == 200
    assert "Mijn caseload" in page.text
    csrf = browser.cookies["csrftoken"]
    found = browser.post(second + search, data={"q": "Haddad", "csrfmiddlewaretoken": csrf}, timeout=30)
    assert found.status_code == 200
    assert "Zoeken" in found.text
    # Both views are in the one audit trail, written by the second server.
    assert set(AuditEvent.objects.filter(actor__username="kim").values_list("event_type", flat=True)) >= {
        "caseload_viewed",
        "person_search_performed",
    }

    # Logging out on the second server ends the session on the first as well, also for a copy of the old cookie.
    old_session = browser.cookies["sessionid"]
    logout = browser.post(
        second + reverse("accounts:logout"), data={"csrfmiddlewaretoken": csrf}, allow_redirects=False, timeout=30
    )
    assert logout.status_code == 302
    again = requests.get(first + caseload, cookies={"sessionid": old_session}, allow_redirects=False, timeout=30)
    assert again.status_code == 302
    assert again.headers["Location"].startswith(login)
