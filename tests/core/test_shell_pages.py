"""The site shell: start page, menu by capability, gemeente/role switch, error pages."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from openinburgering.accounts.actor import SESSION_MEMBERSHIP_KEY
from openinburgering.accounts.models import Membership, Role, User
from openinburgering.audit.models import AuditEvent
from openinburgering.core.views import server_error
from openinburgering.demo.personas import HAARLEM, ZANDVOORT

pytestmark = pytest.mark.django_db


def link_texts(html: str) -> list[str]:
    return [chunk.split(">", 1)[1].split("<", 1)[0] for chunk in html.split('class="utrecht-nav-list__link')[1:]]


def test_home_sends_anonymous_visitors_to_the_login_page():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/account/inloggen/?next=/"


def test_home_lists_the_tasks_of_a_klantregisseur(login):
    response = login("kim").get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="nl"' in html
    assert "Naar de inhoud" in html
    assert "U werkt voor <strong>Haarlem</strong> als <strong>klantregisseur</strong>, Team Noord." in html
    assert link_texts(html) == [
        "Start", "Zoeken", "Mijn caseload", "Mijn cijfers", "Vroege start", "Aanmelden", "Signalen", "Sociale kaart",
    ]  # fmt: skip
    assert reverse("accounts:staff-list") not in html


def test_home_lists_the_tasks_of_a_functioneel_beheerder(login):
    html = login("fenna").get("/").content.decode()
    assert link_texts(html) == [
        "Start", "Medewerkers", "Instellingen", "Auditlog", "Koppelingen", "Legal holds", "Achtergrondtaken",
        "Sociale kaart",
    ]  # fmt: skip
    assert f'href="{reverse("accounts:staff-list")}"' in html
    assert f'href="{reverse("accounts:audit-log")}"' in html
    assert reverse("clients:search") not in html


def test_home_of_a_teamleider_offers_the_team_caseload(login):
    html = login("tamara").get("/").content.decode()
    assert link_texts(html) == [
        "Start", "Zoeken", "Mijn caseload", "Teamcaseload", "Werkverdeling", "Vroege start", "PIP's ter goedkeuring",
        "Boetes beslissen", "Ontzorgen", "Betaalruns", "Bank en loslaten", "Cijfers", "CBS-bestand", "Aanmelden",
        "Signalen", "Achtergrondtaken", "Sociale kaart",
    ]  # fmt: skip


def test_home_of_the_financieel_consulent_offers_ontzorgen_and_the_runs(login):
    assert link_texts(login("frank").get("/").content.decode()) == [
        "Start",
        "Zoeken",
        "Ontzorgen",
        "Betaalruns",
        "Bank en loslaten",
    ]


def test_home_tells_a_user_without_an_active_membership_what_to_do(staff):
    user = User.objects.create_user(username="zonder", password="x-Password-123!")
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert "u werkt nu voor geen enkele gemeente" in response.content.decode()


def test_role_without_screens_gets_a_clear_message(login):
    # Every demo role has a screen now; a role stripped of its capabilities stands in for a future one.
    Role.objects.filter(code="regiocoordinator").update(capabilities=[])
    html = login("rik").get("/").content.decode()
    assert "Voor uw rol zijn hier nog geen taken." in html
    assert link_texts(html) == ["Start"]


def test_the_maatschappelijk_begeleider_and_the_ketenpartner_have_their_own_screens(login):
    """#14: mira's caseload and the sociale kaart; a chain partner's inbox and nothing else."""
    from openinburgering.demo.netwerk import ensure_partner_personas

    assert link_texts(login("mira").get("/").content.decode()) == ["Start", "Mijn begeleiding", "Sociale kaart"]
    ensure_partner_personas()
    client = Client()
    client.force_login(User.objects.get(username="gijs"))
    assert link_texts(client.get("/").content.decode()) == ["Start", "Verwijzingen"]


def test_switcher_is_shown_only_to_users_with_several_memberships(login):
    assert 'id="switch-membership"' in login("youssef").get("/").content.decode()
    assert 'id="switch-membership"' not in login("kim").get("/").content.decode()


def test_switching_to_an_own_membership_changes_gemeente_and_is_audited(login, staff):
    client = login("youssef", HAARLEM)
    zandvoort = Membership.objects.get(user=staff["youssef"], gemeente__code=ZANDVOORT)
    response = client.post(reverse("switch-membership"), {"membership": zandvoort.pk})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_MEMBERSHIP_KEY] == zandvoort.pk
    assert "U werkt voor <strong>Zandvoort</strong>" in client.get("/").content.decode()
    event = AuditEvent.objects.get(event_type="gemeente_switched")
    assert (event.actor, event.gemeente.code, event.subject_id) == (staff["youssef"], ZANDVOORT, str(zandvoort.pk))


def test_switching_to_someone_elses_membership_is_not_found_and_changes_nothing(login, staff):
    client = login("youssef", HAARLEM)
    before = client.session[SESSION_MEMBERSHIP_KEY]
    kims = Membership.objects.get(user=staff["kim"])
    response = client.post(reverse("switch-membership"), {"membership": kims.pk})
    assert response.status_code == 404
    assert client.session[SESSION_MEMBERSHIP_KEY] == before
    assert AuditEvent.objects.filter(event_type="gemeente_switched").count() == 0


def test_switching_to_a_revoked_membership_is_not_found(login, staff):
    client = login("youssef", HAARLEM)
    zandvoort = Membership.objects.get(user=staff["youssef"], gemeente__code=ZANDVOORT)
    Membership.objects.filter(pk=zandvoort.pk).update(is_active=False)
    assert client.post(reverse("switch-membership"), {"membership": zandvoort.pk}).status_code == 404
    assert client.post(reverse("switch-membership"), {"membership": "abc"}).status_code == 404


def test_switching_needs_post_and_a_login(login):
    assert login("youssef").get(reverse("switch-membership")).status_code == 405
    response = Client().post(reverse("switch-membership"), {"membership": 1})
    assert response.status_code == 302
    assert response["Location"].startswith("/account/inloggen/")


def test_unknown_page_answers_404_in_the_site_look(login):
    response = login("kim").get("/bestaat-niet/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Pagina niet gevonden" in html
    assert "utrecht-page-header" in html


def test_server_error_page_renders_without_the_database():
    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


@pytest.mark.parametrize(
    ("username", "expected"),
    [("carla", ["Start", "Aanbieders en contracten", "Resultaten"]),
     ("bram", ["Start", "Aanbieders en contracten", "Resultaten", "Cijfers", "CBS-bestand"]),
     ("anouk", ["Start", "Mijn cursisten"])],
)  # fmt: skip
def test_contract_and_provider_roles_see_only_their_own_screens(login, username, expected):
    assert link_texts(login(username).get("/").content.decode()) == expected
