"""Legal holds: the functioneel beheerder stops and allows the destruction of a file (issue #12 item 5)."""

from __future__ import annotations

from typing import Any

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.core.errors import ApplicationError, Conflict
from openinburgering.retention.models import LegalHold, LegalHoldRelease
from openinburgering.retention.services import release_legal_hold, set_legal_hold

from ..conftest import actor_for

pytestmark = pytest.mark.django_db

URL = "/bewaartermijnen/"


def test_a_hold_is_set_and_released_with_an_audit_event_each(make_file: Any, staff: dict[str, Any]) -> None:
    client_file = make_file()
    fenna = actor_for(staff["fenna"])

    hold = set_legal_hold(actor=fenna, client_file=client_file, reason="  Beroep loopt  ")
    release = release_legal_hold(actor=fenna, hold=hold, reason="Uitspraak gedaan")

    assert (hold.reason, hold.placed_by, hold.gemeente_id) == ("Beroep loopt", staff["fenna"], client_file.gemeente_id)
    assert (release.hold, release.reason, release.released_by) == (hold, "Uitspraak gedaan", staff["fenna"])
    events = AuditEvent.objects.filter(client_file=client_file, event_type__startswith="legal_hold").order_by("pk")
    assert [(e.event_type, e.actor, e.subject_id, e.changes) for e in events] == [
        ("legal_hold_placed", staff["fenna"], str(hold.pk), {"on_hold": {"old": False, "new": True}}),
        ("legal_hold_released", staff["fenna"], str(hold.pk), {"on_hold": {"old": True, "new": False}}),
    ]


def test_a_hold_needs_a_reason_and_is_not_set_twice_nor_released_twice(make_file: Any, staff: dict[str, Any]) -> None:
    client_file = make_file()
    fenna = actor_for(staff["fenna"])
    with pytest.raises(ApplicationError) as empty:
        set_legal_hold(actor=fenna, client_file=client_file, reason="   ")
    assert (empty.value.message, empty.value.field_errors) == ("Vul de reden in.", {"reason": ["Vul de reden in."]})
    with pytest.raises(ApplicationError) as long:
        set_legal_hold(actor=fenna, client_file=client_file, reason="x" * 501)
    assert long.value.message == "De reden is te lang: gebruik hoogstens 500 tekens."
    hold = set_legal_hold(actor=fenna, client_file=client_file, reason="Klacht")
    with pytest.raises(Conflict) as twice:
        set_legal_hold(actor=fenna, client_file=client_file, reason="Nog een klacht")
    assert twice.value.message == "Dit dossier heeft al een legal hold."
    release_legal_hold(actor=fenna, hold=hold, reason="Klaar")
    with pytest.raises(Conflict) as released:
        release_legal_hold(actor=fenna, hold=hold, reason="Klaar")
    assert released.value.message == "Deze legal hold is al opgeheven."
    assert (LegalHold.objects.count(), LegalHoldRelease.objects.count()) == (1, 1)


def test_the_beheerder_sets_a_hold_on_the_page(login: Any, make_file: Any) -> None:
    client_file = make_file()

    response = login("fenna").post(URL, {"action": "set", "set-client_file": client_file.pk, "set-reason": "Beroep"})

    assert (response.status_code, response["Location"]) == (302, URL)
    hold = LegalHold.objects.get(client_file=client_file)
    page = login("fenna").get(URL).content.decode()
    assert f'<td class="utrecht-table__cell">{client_file.pk}</td>' in page
    assert "Beroep" in page
    assert client_file.person.surname not in page

    response = login("fenna").post(URL, {"action": "release", "release-hold": hold.pk, "release-reason": "Klaar"})

    assert (response.status_code, LegalHoldRelease.objects.get().hold) == (302, hold)


def test_the_page_says_in_dutch_what_is_wrong(login: Any, make_file: Any) -> None:
    other = make_file("GM0473")

    missing = login("fenna").post(URL, {"action": "set", "set-client_file": "abc", "set-reason": ""})
    foreign = login("fenna").post(URL, {"action": "set", "set-client_file": other.pk, "set-reason": "Beroep"})

    assert missing.status_code == 400
    assert missing.context["set_form"].errors == {
        "client_file": ["Een dossiernummer bestaat alleen uit cijfers."], "reason": ["Vul de reden in."]
    }  # fmt: skip
    assert foreign.status_code == 400
    assert foreign.context["set_form"].errors == {"client_file": ["Er is geen dossier met dit nummer in uw gemeente."]}
    assert LegalHold.objects.count() == 0


def test_releasing_without_a_reason_says_so_at_the_hold(login: Any, make_file: Any, staff: dict[str, Any]) -> None:
    hold = set_legal_hold(actor=actor_for(staff["fenna"]), client_file=make_file(), reason="Beroep")

    response = login("fenna").post(URL, {"action": "release", "release-hold": hold.pk, "release-reason": " "})

    assert response.status_code == 400
    assert response.context["release_form"].errors == {"reason": ["Vul de reden in."]}
    assert 'id="id_release-reason_error"' in response.content.decode()
    assert LegalHoldRelease.objects.count() == 0


@pytest.mark.parametrize("username", ["kim", "tamara"])
def test_other_roles_get_404_and_change_nothing(
    login: Any, make_file: Any, staff: dict[str, Any], username: str
) -> None:
    client_file = make_file()
    hold = set_legal_hold(actor=actor_for(staff["fenna"]), client_file=client_file, reason="Beroep")
    client = login(username)

    assert client.get(URL).status_code == 404
    response = client.post(URL, {"action": "release", "release-hold": hold.pk, "release-reason": "Weg"})

    assert response.status_code == 404
    assert LegalHoldRelease.objects.count() == 0


def test_the_beheerder_of_another_gemeente_neither_sees_nor_releases_the_hold(
    login: Any, make_file: Any, staff: dict[str, Any]
) -> None:
    client_file = make_file()
    hold = set_legal_hold(actor=actor_for(staff["fenna"]), client_file=client_file, reason="Beroep Haarlem")
    ruben = login("ruben", "GM0473")

    page = ruben.get(URL)
    response = ruben.post(URL, {"action": "release", "release-hold": hold.pk, "release-reason": "Weg"})

    assert (page.status_code, list(page.context["holds"])) == (200, [])
    assert "Beroep Haarlem" not in page.content.decode()
    assert response.status_code == 404
    assert LegalHoldRelease.objects.count() == 0


def test_anonymous_goes_to_the_login_page(client: Any) -> None:
    response = client.get(URL)
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/account/inloggen/")


@pytest.mark.parametrize(("username", "shown"), [("fenna", True), ("kim", False), ("tamara", False)])
def test_the_menu_leads_the_beheerder_to_the_legal_holds(login: Any, username: str, shown: bool) -> None:
    html = login(username).get("/").content.decode()
    assert ('href="/bewaartermijnen/"' in html) is shown
