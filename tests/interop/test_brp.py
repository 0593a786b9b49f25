"""BRP lookup by BSN against the loopback Haal Centraal server (official spec and test persons)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from openinburgering.audit.models import AuditEvent
from openinburgering.core.errors import ApplicationError
from openinburgering.interop import brp

pytestmark = pytest.mark.django_db

DEEPAK = "999970872"  # personen-mock: Deepak Sankrityayan, Indian nationality, partner and one child
URL = "/koppelingen/brp/aanmelden/"


def test_lookup_asks_only_the_needed_fields_with_the_purpose_and_fills_the_person(
    brp_server: Any, brp_connection: Any, actor: Callable[..., Any]
) -> None:
    person = brp.lookup_person(actor=actor("kim"), bsn=DEEPAK)

    assert person == brp.BrpPerson(
        bsn=DEEPAK, given_names="Deepak", surname="Sankrityayan", birth_on=date(1982, 6, 21), sex="M",
        nationality="0312", birth_country="7046", street="Waldorpstraat", house_number="6",
        postcode="2521DA", city="'s-Gravenhage", gemeente_code="0518", partner_bsns=("999970884",),
        child_bsns=("999970896",),
    )  # fmt: skip
    sent = brp_server.requests[-1]
    assert sent["json"] == {
        "type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": [DEEPAK],
        "fields": list(brp.LOOKUP_FIELDS),
    }
    assert sent["headers"]["X-Doelbinding"] == "BRPACT-Inburgering-Haarlem"
    assert sent["headers"]["X-Verwerking"] == "Aanmelden"
    assert sent["path"] == "/haalcentraal/api/brp/personen"
    assert brp_server.spec_errors == []
    event = AuditEvent.objects.get(event_type="brp_person_looked_up")
    assert event.purpose == "BRPACT-Inburgering-Haarlem"
    assert DEEPAK not in str(event.changes)


def test_a_bsn_the_brp_does_not_know_gives_none(brp_server: Any, brp_connection: Any, actor: Any) -> None:
    assert brp.lookup_person(actor=actor("kim"), bsn="111222333") is None
    assert brp_server.spec_errors == []


def test_an_invalid_bsn_is_refused_before_any_call(brp_server: Any, brp_connection: Any, actor: Any) -> None:
    with pytest.raises(ApplicationError, match="geldig BSN"):
        brp.lookup_person(actor=actor("kim"), bsn="123456789")
    assert brp_server.requests == []


@pytest.mark.parametrize(("status", "message"), [(503, brp.UNAVAILABLE), (403, brp.REFUSED)])
def test_error_responses_of_the_spec_become_dutch_messages(
    status: int, message: str, brp_server: Any, brp_connection: Any, actor: Any
) -> None:
    brp_server.fail_with = status
    with pytest.raises(ApplicationError) as raised:
        brp.lookup_person(actor=actor("kim"), bsn=DEEPAK)
    assert raised.value.message == message
    assert brp_server.spec_errors == []


def test_a_request_outside_the_spec_gets_the_apis_400(brp_server: Any, brp_connection: Any) -> None:
    with pytest.raises(ApplicationError) as raised:
        brp.fetch_persons(gemeente_id=brp_connection.gemeente_id, bsns=[DEEPAK], fields=("geen geldig veld!",))
    assert raised.value.message == brp.UNAVAILABLE
    assert brp_server.requests[-1]["path"] == "/haalcentraal/api/brp/personen"
    assert brp_server.spec_errors == []


def test_a_server_that_is_down_gives_a_dutch_message(brp_server: Any, brp_connection: Any, actor: Any) -> None:
    brp_server.stop()
    with pytest.raises(ApplicationError) as raised:
        brp.lookup_person(actor=actor("kim"), bsn=DEEPAK)
    assert raised.value.message == brp.UNAVAILABLE


def test_without_a_connection_the_lookup_says_so(actor: Any) -> None:
    with pytest.raises(ApplicationError) as raised:
        brp.lookup_person(actor=actor("kim"), bsn=DEEPAK)
    assert raised.value.message == brp.NOT_CONFIGURED


def test_the_register_page_offers_the_lookup_only_with_a_connection(
    login: Callable[..., Client], brp_server: Any, haarlem: Any
) -> None:
    assert "Ophalen uit de BRP" not in login("kim").get("/dossiers/aanmelden/").content.decode()
    from .conftest import connect

    connect(haarlem, "brp", brp_server.api_root)
    assert "Ophalen uit de BRP" in login("kim").get("/dossiers/aanmelden/").content.decode()


def test_lookup_fills_the_register_form_and_shows_the_source(
    login: Callable[..., Client], brp_server: Any, brp_connection: Any
) -> None:
    response = login("kim").post(URL, {"brp_bsn": DEEPAK})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["bsn"] == DEEPAK
    assert form.initial["surname"] == "Sankrityayan"
    assert form.initial["birth_on"] == date(1982, 6, 21)
    assert form.initial["nationality"] == "0312"
    assert form.initial["postcode"] == "2521DA"
    html = response.content.decode()
    assert "Ingevuld uit de BRP" in html
    assert "partner met BSN 999970884" in html
    assert "kinderen met BSN 999970896" in html
    assert 'action="/dossiers/aanmelden/"' in html


def test_lookup_of_an_unknown_bsn_says_so_on_the_page(
    login: Callable[..., Client], brp_server: Any, brp_connection: Any
) -> None:
    response = login("kim").post(URL, {"brp_bsn": "111222333"})

    assert response.status_code == 400
    assert "De BRP kent geen persoon met dit BSN" in response.content.decode()


@pytest.mark.parametrize("username", ["fenna", "bram"])
def test_roles_that_cannot_register_get_404(username: str, login: Callable[..., Client], brp_connection: Any) -> None:
    assert login(username).post(URL, {"brp_bsn": DEEPAK}).status_code == 404
    assert AuditEvent.objects.filter(event_type="brp_person_looked_up").count() == 0
