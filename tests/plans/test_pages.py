"""The PIP pages: permission matrix, the four-eyes flow through the browser, Dutch errors, audit, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openinburgering.accounts.section_limits import set_section_access
from openinburgering.accounts.sections import Access
from openinburgering.audit.models import AuditEvent
from openinburgering.letters.models import Letter, LetterKind
from openinburgering.plans import services
from openinburgering.plans.models import PipVersion
from tests.clients.pages import anonymous, assert_login_redirect, file_state
from tests.conftest import HAARLEM, ZANDVOORT

from .conftest import AGREEMENT, GOOD

pytestmark = pytest.mark.django_db


def reads(client_file) -> int:
    return AuditEvent.objects.filter(client_file=client_file, event_type="pip_viewed").count()


@pytest.fixture
def setup(pip_file, draft_ready, actor):
    client_file = pip_file()
    version = draft_ready(client_file)
    services.submit(actor=actor("kim"), client_file=client_file, version=version)
    return client_file, version


def page_urls(client_file, version) -> dict[str, str]:
    kwargs = {"file_id": client_file.pk}
    return {
        "index": reverse("plans:index", kwargs=kwargs),
        "version": reverse("plans:version", kwargs={**kwargs, "version_id": version.pk}),
    }


@pytest.mark.parametrize(("username", "gemeente", "status"), [
    ("kim", HAARLEM, 200), ("tamara", HAARLEM, 200), ("frank", HAARLEM, 404),  # frank: no PIP section (#12 item 1)
    ("zeynep", ZANDVOORT, 404), ("anouk", HAARLEM, 404), ("fenna", HAARLEM, 404),
])  # fmt: skip
def test_read_pages_permission_matrix(setup, login, username, gemeente, status):
    client_file, version = setup
    for url in page_urls(client_file, version).values():
        before = reads(client_file)
        response = login(username, gemeente).get(url)
        assert response.status_code == status, (username, url)
        assert reads(client_file) == before + (1 if status == 200 else 0)


def test_who_may_only_read_the_pip_gets_no_forms(setup, login, actor):
    """The gemeente narrows the teamleider to reading the PIP (#12 item 1): she reads both pages, without the create,
    approve and reject forms whose posts would answer 404."""
    client_file, version = setup
    set_section_access(actor=actor("fenna"), role_code="teamleider", section="pip", access=Access.READ)
    kwargs = {"file_id": client_file.pk, "version_id": version.pk}
    actions = [reverse("plans:create", kwargs={"file_id": client_file.pk})] + [
        reverse(f"plans:{name}", kwargs=kwargs) for name in ("edit", "submit", "approve", "reject")
    ]
    tamara = login("tamara")
    for url in page_urls(client_file, version).values():
        response = tamara.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert [action for action in actions if f'"{action}"' in html] == [], url
    assert tamara.post(reverse("plans:approve", kwargs=kwargs)).status_code == 404
    version.refresh_from_db()
    assert version.status == "ter_goedkeuring"


def test_anonymous_is_sent_to_login_everywhere(setup):
    client_file, version = setup
    urls = [*page_urls(client_file, version).values(), reverse("plans-team:approvals")]
    for url in urls:
        assert_login_redirect(anonymous().get(url), url)
    create = reverse("plans:create", kwargs={"file_id": client_file.pk})
    assert_login_redirect(anonymous().post(create), create)


@pytest.mark.parametrize(("username", "gemeente"), [("frank", HAARLEM), ("zeynep", ZANDVOORT), ("anouk", HAARLEM),
                                                    ("fenna", HAARLEM), ("zoe", ZANDVOORT)])  # fmt: skip
def test_changes_are_404_without_the_right_and_change_nothing(setup, login, username, gemeente):
    client_file, version = setup
    before = file_state(client_file)
    kwargs = {"file_id": client_file.pk, "version_id": version.pk}
    client = login(username, gemeente)
    for name in ("edit", "submit", "approve", "reject", "client-response", "bezwaar-create"):
        assert client.post(reverse(f"plans:{name}", kwargs=kwargs), {"reject-comment": "x"}).status_code == 404, name
    assert client.post(reverse("plans:create", kwargs={"file_id": client_file.pk})).status_code == 404
    assert client.get(reverse("plans:edit", kwargs=kwargs)).status_code == 404
    assert file_state(client_file) == before
    version.refresh_from_db()
    assert version.status == "ter_goedkeuring"


def test_approvals_worklist_is_for_teamleiders_only(setup, login):
    client_file, _version = setup
    url = reverse("plans-team:approvals")
    for username in ("kim", "frank", "fenna", "anouk"):
        assert login(username).get(url).status_code == 404
    response = login("tamara").get(url)
    assert response.status_code == 200
    assert client_file.person.full_name in response.content.decode()
    assert "PIP's ter goedkeuring</a>" in response.content.decode()  # the nav link is there for her
    assert AuditEvent.objects.filter(event_type="pip_approvals_viewed").count() == 1
    assert "ter goedkeuring</a>" not in login("kim").get("/").content.decode()


def test_four_eyes_through_the_pages(pip_file, login):
    client_file = pip_file()
    kim, tamara = login("kim"), login("tamara")
    response = kim.post(reverse("plans:create", kwargs={"file_id": client_file.pk}))
    version = PipVersion.objects.get(client_file=client_file)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{version.pk}/wijzigen/")
    kwargs = {"file_id": client_file.pk, "version_id": version.pk}
    assert kim.get(reverse("plans:edit", kwargs=kwargs)).status_code == 200
    form = {
        "leerroute": "b1", "level": "", "pvt_intensity": "12 uur", "map_intensity": "40 uur",
        "talks-TOTAL_FORMS": "2", "talks-INITIAL_FORMS": "0", "talks-0-on": "2027-01-04",
        "summary": "Uw plan in gewone taal.",
        "agreements-TOTAL_FORMS": "2", "agreements-INITIAL_FORMS": "0", "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "60", "agreements-0-leefgebied": "werk_inkomen", "agreements-0-goal": "Werk",
        "agreements-0-action": "Solliciteren", "agreements-0-responsible": "klant",
    }  # fmt: skip
    response = kim.post(reverse("plans:edit", kwargs=kwargs), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert version.agreements.count() == 1
    assert kim.post(reverse("plans:submit", kwargs=kwargs)).status_code == 302
    response = tamara.post(reverse("plans:approve", kwargs=kwargs))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "vastgesteld"
    beschikking = Letter.objects.get(client_file=client_file, kind=LetterKind.PIP_BESCHIKKING)
    assert version.beschikking_letter_id == beschikking.pk
    page = kim.get(reverse("clients:detail", kwargs={"file_id": client_file.pk})).content.decode()
    assert 'id="pip"' in page
    assert "Versie 1</a>, vastgesteld op" in page


def test_tamara_sees_a_dutch_error_when_approving_her_own(pip_file, actor, login):
    client_file = pip_file()
    tamara = actor("tamara")
    version = services.create_draft(actor=tamara, client_file=client_file)
    services.update_draft(actor=tamara, client_file=client_file, version=version, data=GOOD, agreements=[AGREEMENT])
    services.submit(actor=tamara, client_file=client_file, version=version)
    kwargs = {"file_id": client_file.pk, "version_id": version.pk}
    response = login("tamara").post(reverse("plans:approve", kwargs=kwargs))
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Fout: " in body
    assert "vier ogen" in body
    version.refresh_from_db()
    assert version.status == "ter_goedkeuring"


def test_edit_errors_are_shown_in_dutch_and_nothing_is_saved(pip_file, actor, login):
    client_file = pip_file()
    version = services.create_draft(actor=actor("kim"), client_file=client_file)
    kwargs = {"file_id": client_file.pk, "version_id": version.pk}
    form = {
        "leerroute": "onderwijs", "level": "A2", "map_intensity": "40 uur", "talks-TOTAL_FORMS": "2",
        "talks-INITIAL_FORMS": "0", "talks-0-on": "2027-01-04", "talks-1-on": "04-01-2027",
        "agreements-TOTAL_FORMS": "0", "agreements-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = login("kim").post(reverse("plans:edit", kwargs=kwargs), form)
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Fout: " in body
    for snippet in (
        "onderwijsroute kan het taalniveau niet A2",
        "artikel 8 lid 3",
        "Elke datum mag maar één keer voorkomen",
    ):
        assert snippet in body, snippet
    version.refresh_from_db()
    assert version.leerroute == ""
    assert version.map_intensity == ""
    assert not AuditEvent.objects.filter(client_file=client_file, event_type="pip_updated").exists()


def test_add_rows_without_javascript(pip_file, actor, login):
    client_file = pip_file()
    version = services.create_draft(actor=actor("kim"), client_file=client_file)
    kwargs = {"file_id": client_file.pk, "version_id": version.pk}
    response = login("kim").post(
        reverse("plans:edit", kwargs=kwargs),
        {
            "add_rows": "1",
            "talks-TOTAL_FORMS": "2",
            "talks-INITIAL_FORMS": "0",
            "agreements-TOTAL_FORMS": "2",
            "agreements-INITIAL_FORMS": "0",
        },
    )
    assert 'name="agreements-3-goal"' in response.content.decode()


def test_pages_use_a_constant_number_of_queries(pip_file, vastgesteld, login):
    small, big = pip_file(), pip_file()
    v_small = vastgesteld(small)
    v_big = vastgesteld(big, progress_talks_count=6, progress_talk_dates=[f"2027-0{m}-01" for m in range(1, 7)])
    client = login("kim")

    def count(url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.get(reverse("plans:index", kwargs={"file_id": small.pk}))  # the first view stamps the session's clock
    assert count(reverse("plans:index", kwargs={"file_id": big.pk})) == PIP_INDEX_QUERIES
    for name, extra in (("plans:version", True), ("plans:index", False)):
        urls = []
        for client_file, version in ((small, v_small), (big, v_big)):
            kwargs = {"file_id": client_file.pk, **({"version_id": version.pk} if extra else {})}
            urls.append(reverse(name, kwargs=kwargs))
        assert count(urls[0]) == count(urls[1]), name
    # The whole file page with a vastgesteld PIP, as the klantregisseur sees it (what it is made of: FILE_QUERIES in
    # tests/clients/test_file_page.py; kim gets no reader list), the same for a short and a long PIP history. It
    # includes need to know (#12 item 1): the health consent check of visible_sections for the page and again in the
    # timeline (the gemeente's SectionLimit rows come from the per-gemeente cache, #18).
    detail = [reverse("clients:detail", kwargs={"file_id": client_file.pk}) for client_file in (small, big)]
    client.get(detail[0])  # the first file page view warms the per-gemeente caches (#18)
    assert [count(url) for url in detail] == [PLANS_FILE_QUERIES, PLANS_FILE_QUERIES]


PLANS_FILE_QUERIES = 19
# The PIP page (#18), warmed: session, user, membership, then in one transaction the file (need to know: the
# gemeente's section limits come from the per-gemeente cache), the pip_viewed audit insert and the versions with the
# voortgangsgesprekken in one query.
PIP_INDEX_QUERIES = 8
