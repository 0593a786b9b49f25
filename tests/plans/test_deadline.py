"""The PIP deadline where the work happens (#11 item 6): "PIP uiterlijk <date>" on the intake pages, the PIP pages
and the PIP form, read from the file's stored deadline (clients.deadlines, from the rules) and never computed
again; the teamleider's queue and its API carry it and sort by it in the database, in a constant number of
queries. Overdue is said in words, not by colour alone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.intakes import services as intake_services
from openinburgering.plans import services
from openinburgering.plans.selectors import PIP_DEADLINE_KINDS

pytestmark = pytest.mark.django_db


def _pages(client_file, version, intake) -> dict[str, str]:
    file_kwargs = {"file_id": client_file.pk}
    intake_kwargs = {**file_kwargs, "intake_id": intake.pk}
    version_kwargs = {**file_kwargs, "version_id": version.pk}
    return {
        "intake overview": reverse("intakes:overview", kwargs=file_kwargs),
        "intake": reverse("intakes:intake-detail", kwargs=intake_kwargs),
        "leefgebied": reverse("intakes:leefgebied", kwargs={**intake_kwargs, "code": "werk_inkomen"}),
        "pip index": reverse("plans:index", kwargs=file_kwargs),
        "pip version": reverse("plans:version", kwargs=version_kwargs),
        "pip form": reverse("plans:edit", kwargs=version_kwargs),
    }


def _text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


@pytest.fixture
def concept(pip_file, actor):
    client_file = pip_file(registered_on=date(2025, 7, 15))
    kim = actor("kim")
    intake = intake_services.start_intake(actor=kim, client_file=client_file, person_id=client_file.person_id)
    version = services.create_draft(actor=kim, client_file=client_file)
    client_file = ClientFile.objects.get(pk=client_file.pk)
    return client_file, version, intake


def test_every_intake_and_pip_page_shows_the_stored_pip_deadline_and_says_it_is_late(concept, login):
    client_file, version, intake = concept
    # The stored step is the PIP deadline the rules gave (kennisgeving 1 July 2025, registered: long passed).
    assert client_file.next_deadline_kind in PIP_DEADLINE_KINDS
    due_on = client_file.next_deadline_on
    late = (today() - due_on).days
    assert late > 1
    client = login("kim")
    for name, url in _pages(client_file, version, intake).items():
        body = _text(client.get(url))
        assert f"PIP uiterlijk {due_on:%d-%m-%Y}" in body, name
        assert f"Te laat: {late} dagen" in body, name


def test_the_pages_read_the_stored_date_and_do_not_compute_it(concept, login):
    client_file, version, intake = concept
    stored = today() + timedelta(days=12)
    ClientFile.objects.filter(pk=client_file.pk).update(next_deadline_on=stored)
    client = login("kim")
    for name, url in _pages(client_file, version, intake).items():
        body = _text(client.get(url))
        assert f"PIP uiterlijk {stored:%d-%m-%Y} Nog 12 dagen" in body, name
        assert "Te laat" not in body, name


def test_an_earlier_step_is_named_instead_of_a_pip_date(concept, login):
    client_file, _version, _intake = concept
    call_on = today() + timedelta(days=3)
    ClientFile.objects.filter(pk=client_file.pk).update(next_deadline_kind="intake_call", next_deadline_on=call_on)
    body = _text(login("kim").get(reverse("plans:index", kwargs={"file_id": client_file.pk})))
    assert f"PIP uiterlijk: eerst komt Oproep brede intake op {call_on:%d-%m-%Y}." in body


def _queue_files(pip_file, draft_ready, actor, offsets):
    """One file per offset (days from today, stored as its PIP deadline; None: the next step is another one),
    each with a version ter goedkeuring; returns the versions in the order given."""
    versions = []
    for offset in offsets:
        client_file = pip_file()
        version = draft_ready(client_file)
        services.submit(actor=actor("kim"), client_file=client_file, version=version)
        if offset is None:
            ClientFile.objects.filter(pk=client_file.pk).update(
                next_deadline_kind="lbt_planned", next_deadline_on=today() + timedelta(days=1)
            )
        else:
            ClientFile.objects.filter(pk=client_file.pk).update(
                next_deadline_kind="pip_due", next_deadline_on=today() + timedelta(days=offset)
            )
        versions.append(version)
    return versions


def _rows(body: str, versions) -> list[int]:
    """The versions in the order their links appear on the page."""
    positions = []
    for version in versions:
        href = reverse("plans:version", kwargs={"file_id": version.client_file_id, "version_id": version.pk})
        positions.append((body.index(f'href="{href}"'), version.pk))
    return [pk for _, pk in sorted(positions)]


def test_approval_queue_has_a_deadline_column_and_sorts_by_it(pip_file, draft_ready, actor, login):
    later, late, none, soon = _queue_files(pip_file, draft_ready, actor, [30, -4, None, 2])
    client = login("tamara")
    url = reverse("plans-team:approvals")

    html = client.get(url).content.decode()
    body = " ".join(strip_tags(html).split())
    assert "PIP uiterlijk" in body
    assert _rows(html, [later, late, none, soon]) == [late.pk, soon.pk, later.pk, none.pk]  # default: deadline
    assert f"{today() - timedelta(days=4):%d-%m-%Y} Te laat: 4 dagen" in body
    assert f"{today() + timedelta(days=2):%d-%m-%Y} Nog 2 dagen" in body
    assert "Niet bekend: eerst een andere stap" in body
    assert 'aria-sort="ascending"' in html

    html = client.get(url, {"sort": "-deadline"}).content.decode()
    assert _rows(html, [later, late, none, soon]) == [later.pk, soon.pk, late.pk, none.pk]
    assert 'aria-sort="descending"' in html

    html = client.get(url, {"sort": "submitted"}).content.decode()
    assert _rows(html, [later, late, none, soon]) == [later.pk, late.pk, none.pk, soon.pk]

    response = client.get(url, {"sort": "nonsense"})
    assert response.status_code == 200  # an unknown sort falls back to the deadline
    assert _rows(response.content.decode(), [later, late, none, soon]) == [late.pk, soon.pk, later.pk, none.pk]


def test_approval_queue_uses_a_constant_number_of_queries(pip_file, draft_ready, actor, login):
    client = login("tamara")
    url = reverse("plans-team:approvals")
    _queue_files(pip_file, draft_ready, actor, [5])
    client.get(url)  # the first view after the login stamps the session's idle clock (a write, #18)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _queue_files(pip_file, draft_ready, actor, [1, -2, None, 9])
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    assert len(five.captured_queries) == len(one.captured_queries)


def test_approvals_api_carries_the_deadline_and_the_same_ordering(pip_file, draft_ready, actor, api):
    later, late, none = _queue_files(pip_file, draft_ready, actor, [30, -4, None])
    tamara = api("tamara")
    rows = tamara.get("/api/v1/pip-approvals").json()["results"]
    assert [(row["id"], row["pip_due_on"]) for row in rows] == [
        (late.pk, (today() - timedelta(days=4)).isoformat()),
        (later.pk, (today() + timedelta(days=30)).isoformat()),
        (none.pk, None),
    ]
    rows = tamara.get("/api/v1/pip-approvals", {"ordering": "-deadline"}).json()["results"]
    assert [row["id"] for row in rows] == [later.pk, late.pk, none.pk]
    rows = tamara.get("/api/v1/pip-approvals", {"ordering": "-submitted"}).json()["results"]
    assert [row["id"] for row in rows] == [none.pk, late.pk, later.pk]
    bad = tamara.get("/api/v1/pip-approvals", {"ordering": "name"})
    assert bad.status_code == 400
    assert [param["name"] for param in bad.json()["invalidParams"]] == ["ordering"]
