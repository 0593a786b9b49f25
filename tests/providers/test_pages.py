"""Pages: the contractmanager's providers and contracts, enrolment from the client file, the provider portal;
isolation matrix (anouk, a second provider user piet, zeynep, kim, carla, anonymous) and audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from openinburgering.accounts.section_limits import set_section_access
from openinburgering.accounts.sections import Access
from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.demo.personas import ZANDVOORT
from openinburgering.providers.models import Contract, Enrolment, Provider, WeeklyReport

from .conftest import last_week


def login_as(login, username: str):
    return login(username, ZANDVOORT if username == "zeynep" else "GM0392")


@pytest.fixture
def enrolled(make_file, enrol, regional_contract, other_provider):
    mine = enrol(make_file(person={"phone": "0612345678", "email": "amal@example.org"}), regional_contract)
    theirs = enrol(make_file(person={"surname": "Ander"}), other_provider.contracts.get())
    return mine, theirs


@pytest.mark.django_db
class TestProviderPages:
    def test_contractmanager_creates_provider_and_contract(self, login, staff) -> None:
        client = login("carla")
        response = client.post(
            "/aanbieders/nieuw/", {"name": "MAP Kennemerland", "kinds": ["map"], "scope": "regio", "keurmerk": "on"}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "<title>Fout: " in html
        assert "Vul in tot wanneer het keurmerk geldig is" in html
        assert not Provider.objects.exists()
        expires = (today() + timedelta(days=300)).isoformat()
        response = client.post(
            "/aanbieders/nieuw/",
            {
                "name": "MAP Kennemerland",
                "kinds": ["map"],
                "scope": "regio",
                "keurmerk": "on",
                "keurmerk_expires_on": expires,
            },
        )
        provider = Provider.objects.get()
        assert response.status_code == 302
        assert provider.region_id is not None
        data = {
            "name": "MAP 2026",
            "scope": "regio",
            "starts_on": "2026-12-01",
            "ends_on": "2026-01-01",
            "price_model": "per_hour",
            "price_per_hour": "-3",
            "capacity": "10",
            "components": ["map"],
            "reporting_frequency": "weekly",
        }
        response = client.post(f"/aanbieders/{provider.pk}/contracten/nieuw/", data)
        html = response.content.decode()
        assert response.status_code == 400
        assert "De einddatum moet na de begindatum liggen" in html
        assert "Een bedrag kan niet negatief zijn" in html
        data |= {"starts_on": "2026-01-01", "ends_on": "2026-12-31", "price_per_hour": "15,75"}
        assert client.post(f"/aanbieders/{provider.pk}/contracten/nieuw/", data).status_code == 302
        contract = Contract.objects.get()
        assert str(contract.price_per_hour) == "15.75"
        detail = client.get(f"/aanbieders/{provider.pk}/").content.decode()
        assert "MAP 2026" in detail
        assert "0 van 10" in detail
        edit = client.post(f"/aanbieders/{provider.pk}/contracten/{contract.pk}/wijzigen/", {**data, "capacity": "12"})
        assert edit.status_code == 302
        contract.refresh_from_db()
        assert contract.capacity == 12

    @pytest.mark.parametrize(
        ("username", "list_status", "edit_status"),
        [("carla", 200, 200), ("bram", 200, 404), ("kim", 404, 404), ("anouk", 404, 404), ("zeynep", 404, 404)],
    )
    def test_provider_pages_matrix(self, login, anouk_provider, username, list_status, edit_status) -> None:
        client = login_as(login, username)
        assert client.get("/aanbieders/").status_code == list_status
        assert client.get(f"/aanbieders/{anouk_provider.pk}/wijzigen/").status_code == edit_status

    def test_other_gemeente_provider_is_hidden(self, login, anouk_provider) -> None:
        from openinburgering.accounts.models import Gemeente

        elsewhere = Gemeente.objects.exclude(region_id=anouk_provider.region_id).first()
        assert elsewhere is not None
        hidden = Provider.objects.create(name="Ver weg", kinds=["map"], gemeente=elsewhere)
        assert login("carla").get(f"/aanbieders/{hidden.pk}/").status_code == 404
        assert "Ver weg" not in login("carla").get("/aanbieders/").content.decode()

    def test_other_gemeentes_contract_with_a_shared_provider_is_hidden(self, login, anouk_provider) -> None:
        from openinburgering.accounts.models import Gemeente

        zandvoort = Gemeente.objects.get(code=ZANDVOORT)
        hidden = Contract.objects.create(
            provider=anouk_provider,
            name="Alleen Zandvoort",
            gemeente=zandvoort,
            starts_on=today(),
            ends_on=today() + timedelta(days=30),
            price_model="per_route",
            price_per_route=1,
            capacity=1,
            components=["map"],
            reporting_frequency="weekly",
        )
        html = login("carla").get(f"/aanbieders/{anouk_provider.pk}/").content.decode()
        assert "Taal en participatie Zuid-Kennemerland" in html
        assert "Alleen Zandvoort" not in html
        path = f"/aanbieders/{anouk_provider.pk}/contracten/{hidden.pk}/wijzigen/"
        assert login("carla").get(path).status_code == 404

    def test_anonymous_goes_to_login(self, client, anouk_provider) -> None:
        for path in ("/aanbieders/", "/portaal-aanbieder/", "/portaal-aanbieder/uploaden/"):
            response = client.get(path)
            assert response.status_code == 302
            assert "inloggen" in response["Location"]


@pytest.mark.django_db
class TestEnrolmentFromFile:
    def test_kim_places_a_person(self, login, make_file, regional_contract) -> None:
        client_file = make_file()
        client = login("kim")
        page = client.get(f"/aanbieders/dossiers/{client_file.pk}/plaatsen/")
        assert page.status_code == 200
        assert "Taalhuis Kennemerland" in page.content.decode()
        bad = client.post(
            f"/aanbieders/dossiers/{client_file.pk}/plaatsen/",
            {
                "component": "onderwijsroute",
                "contract": regional_contract.pk,
                "starts_on": "2026-02-01",
                "ends_on": "2026-01-01",
                "hours_per_week": "8",
            },
        )
        html = bad.content.decode()
        assert bad.status_code == 400
        assert "dekt dit onderdeel niet" in html
        assert "na de startdatum" in html
        assert not Enrolment.objects.exists()
        good = client.post(
            f"/aanbieders/dossiers/{client_file.pk}/plaatsen/",
            {
                "component": "b1_lessen",
                "contract": regional_contract.pk,
                "starts_on": "2026-02-01",
                "ends_on": "2026-12-31",
                "hours_per_week": "8",
            },
        )
        assert good.status_code == 302
        assert good["Location"].endswith("#plaatsingen")
        enrolment = Enrolment.objects.get()
        file_page = client.get(f"/dossiers/{client_file.pk}/").content.decode()
        assert 'id="plaatsingen"' in file_page
        assert "Taallessen B1-route" in file_page
        detail = client.get(f"/aanbieders/dossiers/{client_file.pk}/plaatsingen/{enrolment.pk}/")
        assert detail.status_code == 200
        assert "Voorgesteld" in detail.content.decode()
        stop = client.post(detail.request["PATH_INFO"], {"to_status": "gestopt", "reason": ""})
        assert stop.status_code == 400
        assert "Vul een reden in" in stop.content.decode()
        stop = client.post(detail.request["PATH_INFO"], {"to_status": "gestopt", "reason": "Verhuisd"})
        assert stop.status_code == 302
        enrolment.refresh_from_db()
        assert enrolment.status == "gestopt"

    @pytest.mark.parametrize("username", ["zeynep", "anouk", "carla", "fenna", "frank"])
    def test_others_cannot_place_or_see(self, login, enrolled, username) -> None:
        mine, _ = enrolled
        client = login_as(login, username)
        assert client.get(f"/aanbieders/dossiers/{mine.client_file_id}/plaatsen/").status_code == 404
        # frank too: plaatsingen are part of the voortgang, which is no part of his work (need to know, #12 item 1)
        path = f"/aanbieders/dossiers/{mine.client_file_id}/plaatsingen/{mine.pk}/"
        assert client.get(path).status_code == 404
        assert client.post(f"/aanbieders/dossiers/{mine.client_file_id}/plaatsen/", {}).status_code == 404
        assert Enrolment.objects.count() == 2

    def test_who_may_only_read_the_voortgang_gets_no_placing(self, login, enrolled, actor) -> None:
        """The gemeente narrows the klantregisseur to reading the voortgang (#12 item 1): the file page and the
        enrolment read, without the link to place someone or the status form, and a status post is refused."""
        mine, _ = enrolled
        set_section_access(actor=actor("fenna"), role_code="klantregisseur", section="voortgang", access=Access.READ)
        client = login("kim")
        place = f"/aanbieders/dossiers/{mine.client_file_id}/plaatsen/"
        path = f"/aanbieders/dossiers/{mine.client_file_id}/plaatsingen/{mine.pk}/"
        file_page = client.get(f"/dossiers/{mine.client_file_id}/")
        assert file_page.status_code == 200
        assert path in file_page.content.decode()  # the plaatsing is shown ...
        assert place not in file_page.content.decode()  # ... and no way to place someone
        detail = client.get(path)
        assert detail.status_code == 200
        assert 'name="to_status"' not in detail.content.decode()
        assert client.post(path, {"to_status": "gestopt", "reason": "Verhuisd"}).status_code == 404
        mine.refresh_from_db()
        assert mine.status == "voorgesteld"


@pytest.mark.django_db
class TestPortal:
    def test_portal_shows_only_own_clients_with_minimum_data(self, login, enrolled) -> None:
        mine, _theirs = enrolled
        response = login("anouk").get("/portaal-aanbieder/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Amal Haddad" in html
        assert "0612345678" in html
        assert "amal@example.org" in html
        assert "Ander" not in html
        assert mine.client_file.person.bsn not in html
        assert "Nog geen vastgesteld PIP" in html
        events = AuditEvent.objects.filter(event_type="provider_enrolments_viewed")
        assert list(events.values_list("client_file_id", flat=True)) == [mine.client_file_id]

    def test_isolation_matrix(self, login, enrolled) -> None:
        mine, theirs = enrolled
        paths = lambda e: [f"/portaal-aanbieder/plaatsingen/{e.pk}/"]  # noqa: E731 -- a one-line path builder for the parametrised loop below
        assert login("anouk").get(paths(mine)[0]).status_code == 200
        assert login("anouk").get(paths(theirs)[0]).status_code == 404
        assert login("piet").get(paths(theirs)[0]).status_code == 200
        assert login("piet").get(paths(mine)[0]).status_code == 404
        for username in ("kim", "carla", "zeynep"):
            assert login_as(login, username).get("/portaal-aanbieder/").status_code == 404
            assert login_as(login, username).get(paths(mine)[0]).status_code == 404
        # A provider never reaches client files (no VIEW_CLIENT_FILES).
        assert login("anouk").get(f"/dossiers/{mine.client_file_id}/").status_code == 404
        before = AuditEvent.objects.filter(event_type__startswith="provider_enrolment").count()
        assert login("anouk").post(f"/portaal-aanbieder/plaatsingen/{theirs.pk}/accepteren/").status_code == 404
        theirs.refresh_from_db()
        assert theirs.status == "voorgesteld"
        assert AuditEvent.objects.filter(event_type__startswith="provider_enrolment").count() == before

    def test_aanbieder_without_link_sees_404(self, login, enrolled) -> None:
        from openinburgering.providers.models import ProviderMembership

        ProviderMembership.objects.filter(membership__user__username="anouk").delete()
        assert login("anouk").get("/portaal-aanbieder/").status_code == 404

    def test_accept_report_and_exam_in_portal(self, login, enrolled) -> None:
        mine, _ = enrolled
        client = login("anouk")
        base = f"/portaal-aanbieder/plaatsingen/{mine.pk}/"
        decline = client.post(base + "weigeren/", {"decline-reason": ""})
        assert decline.status_code == 400
        assert "<title>Fout: " in decline.content.decode()
        assert client.post(base + "accepteren/").status_code == 302
        report = {
            "report-week": last_week(),
            "report-hours_offered": "8",
            "report-hours_attended": "9",
            "report-hours_absent_authorised": "0",
            "report-hours_absent_unauthorised": "0",
        }
        bad = client.post(base + "weekrapport/", report)
        assert bad.status_code == 400
        assert "meer dan de aangeboden uren" in bad.content.decode()
        assert client.post(base + "weekrapport/", {**report, "report-hours_attended": "7,5"}).status_code == 302
        assert WeeklyReport.objects.get().hours_attended == 7.5
        exam = {"exam-part": "spreken", "exam-level": "A2", "exam-exam_on": today().isoformat(), "exam-passed": "ja"}
        assert client.post(base + "examen/", exam).status_code == 302
        page = client.get(base).content.decode()
        assert "Spreken A2" in page
        assert "gehaald" in page
        assert client.post(base + "onbekend/").status_code == 404

    def test_portal_list_query_count_is_constant(
        self, login, make_file, enrol, regional_contract, django_assert_max_num_queries
    ) -> None:
        client = login("anouk")
        enrol(make_file(), regional_contract)
        client.get("/portaal-aanbieder/")
        with django_assert_max_num_queries(12) as few:
            client.get("/portaal-aanbieder/")
        for n in range(4):
            enrol(make_file(person={"surname": f"Extra{n}"}), regional_contract)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get("/portaal-aanbieder/")
        assert response.content.decode().count("/portaal-aanbieder/plaatsingen/") == 5
