"""Staff management by the functioneel beheerder: permission matrix, changes with audit, bad input, queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openinburgering.accounts.models import LoginThrottle, Membership, Role, Team, User
from openinburgering.audit.models import AuditEvent
from openinburgering.demo.personas import HAARLEM, ZANDVOORT

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Eerste-Wachtwoord-2026"


def state() -> tuple[list[tuple[int, bool]], list[tuple[int, int, int, bool]], int, int]:
    """Everything staff management can change, to assert that a denied request changed nothing."""
    users = list(User.objects.order_by("pk").values_list("pk", "is_active"))
    memberships = list(Membership.objects.order_by("pk").values_list("pk", "role_id", "gemeente_id", "is_active"))
    return users, memberships, Team.objects.count(), AuditEvent.objects.count()


def detail_url(user: User) -> str:
    return reverse("accounts:staff-detail", kwargs={"user_id": user.pk})


def membership(user: User, gemeente_code: str) -> Membership:
    return Membership.objects.get(user=user, gemeente__code=gemeente_code)


# ---------------------------------------------------------------------------------------------------------------
# Permission matrix


def test_beheerder_sees_the_staff_of_her_own_gemeente_only(login):
    response = login("fenna").get(reverse("accounts:staff-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "10 medewerkers" in html  # nine Haarlem personas and the regiocoördinator (rik)
    for name in ("Kim de Vries", "Youssef El Amrani", "Tamara Bakker", "Fenna Mulder"):
        assert name in html
    for name in ("Zeynep Kaya", "Ruben de Boer", "Zoë Pieters"):
        assert name not in html
    assert '<div class="app-table-scroll" tabindex="0" role="region" aria-labelledby="staff-caption">' in html
    assert '<th scope="col" class="utrecht-table__header-cell">Naam</th>' in html


def test_zandvoort_beheerder_sees_only_zandvoort_roles(login, staff):
    html = login("ruben", ZANDVOORT).get(reverse("accounts:staff-list")).content.decode()
    assert "Kim de Vries" not in html
    assert "Youssef El Amrani" in html
    youssef = login("ruben", ZANDVOORT).get(detail_url(staff["youssef"])).content.decode()
    assert "Team Zandvoort" in youssef
    assert "Team Zuid" not in youssef
    assert "Werkt ook voor een andere gemeente." in youssef


@pytest.mark.parametrize(
    ("username", "gemeente"),
    [("ruben", ZANDVOORT), ("kim", HAARLEM), ("tamara", HAARLEM), ("zoe", ZANDVOORT)],
)
def test_other_gemeente_and_wrong_roles_get_not_found_on_every_staff_page(login, staff, username, gemeente):
    client = login(username, gemeente)
    kim = staff["kim"]
    kims = membership(kim, HAARLEM)
    before = state()
    if username != "ruben":  # ruben may see his own gemeente's list; he just never sees Haarlem staff
        assert client.get(reverse("accounts:staff-list")).status_code == 404
        assert client.get(reverse("accounts:staff-create")).status_code == 404
        assert client.get(reverse("accounts:teams")).status_code == 404
    assert client.get(detail_url(kim)).status_code == 404
    assert client.post(detail_url(kim), {"grant-role": "teamleider"}).status_code == 404
    revoke = reverse("accounts:staff-revoke", kwargs={"user_id": kim.pk, "membership_id": kims.pk})
    assert client.post(revoke).status_code == 404
    assert client.post(reverse("accounts:staff-deactivate", kwargs={"user_id": kim.pk})).status_code == 404
    password = reverse("accounts:staff-set-password", kwargs={"user_id": kim.pk})
    data = {"password-password1": GOOD_PASSWORD, "password-password2": GOOD_PASSWORD}
    assert client.post(password, data).status_code == 404
    assert state() == before


def test_zandvoort_beheerder_cannot_revoke_a_haarlem_role_of_a_shared_user(login, staff):
    youssef = staff["youssef"]
    haarlem = membership(youssef, HAARLEM)
    before = state()
    url = reverse("accounts:staff-revoke", kwargs={"user_id": youssef.pk, "membership_id": haarlem.pk})
    assert login("ruben", ZANDVOORT).post(url).status_code == 404
    assert state() == before


def test_anonymous_visitors_are_sent_to_the_login_page(staff):
    client = Client()
    for url in (reverse("accounts:staff-list"), detail_url(staff["kim"]), reverse("accounts:teams")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/inloggen/?next=")


def test_missing_user_is_not_found(login):
    assert login("fenna").get(reverse("accounts:staff-detail", kwargs={"user_id": 999_999})).status_code == 404


# ---------------------------------------------------------------------------------------------------------------
# Changes


def test_beheerder_creates_a_staff_user_with_a_first_role(login, staff):
    team = Team.objects.get(gemeente__code=HAARLEM, name="Team Noord")
    response = login("fenna").post(
        reverse("accounts:staff-create"),
        {
            "username": "j.jansen",
            "first_name": "Joost",
            "last_name": "Jansen",
            "email": "j.jansen@haarlem.example",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
            "role": "klantregisseur",
            "team": team.pk,
        },
    )
    user = User.objects.get(username="j.jansen")
    assert response.status_code == 302
    assert response["Location"] == detail_url(user)
    assert user.check_password(GOOD_PASSWORD)
    [new] = Membership.objects.filter(user=user)
    assert (new.gemeente.code, new.role.code, new.team_id, new.is_active) == (HAARLEM, "klantregisseur", team.pk, True)
    types = list(AuditEvent.objects.order_by("id").values_list("event_type", "actor__username", "gemeente__code"))
    assert types == [("staff_user_created", "fenna", HAARLEM), ("membership_granted", "fenna", HAARLEM)]
    assert Client().post("/account/inloggen/", {"username": "j.jansen", "password": GOOD_PASSWORD}).status_code == 302


def test_bad_staff_input_gives_dutch_field_errors_and_writes_nothing(login, staff):
    before = state()
    response = login("fenna").post(
        reverse("accounts:staff-create"),
        {"username": "KIM", "first_name": "", "last_name": "Jansen", "password1": "12345", "password2": "12345"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    # Every message counts (#11 item 8): username, first name, four about the password, role.
    assert "Er zijn 7 fouten." in html
    assert 'href="#id_username">Gebruikersnaam: Deze gebruikersnaam bestaat al. Kies een andere.</a>' in html
    assert "Voornaam: Vul de voornaam in." in html
    assert "Het wachtwoord is te kort: gebruik minstens 12 tekens." in html
    assert "Het wachtwoord mag niet alleen uit cijfers bestaan." in html
    assert "Dit wachtwoord wordt te veel gebruikt. Kies een ander wachtwoord." in html
    assert "Het wachtwoord bestaat te veel uit dezelfde tekens. Gebruik minstens 6 verschillende tekens." in html
    assert "Rol: Kies een rol." in html
    assert 'aria-describedby="id_username_helptext id_username_error"' in html
    assert state() == before


def test_a_team_of_another_gemeente_is_refused(login, staff):
    zandvoort_team = Team.objects.get(gemeente__code=ZANDVOORT)
    before = state()
    response = login("fenna").post(
        reverse("accounts:staff-create"),
        {
            "username": "nieuw",
            "first_name": "Nieuw",
            "last_name": "Mens",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
            "role": "klantregisseur",
            "team": zandvoort_team.pk,
        },
    )
    assert response.status_code == 400
    assert "Team: Kies een team uit de lijst." in response.content.decode()
    assert state() == before


def test_beheerder_grants_a_role_and_a_double_grant_is_refused(login, staff):
    client = login("fenna")
    kim = staff["kim"]
    response = client.post(detail_url(kim), {"grant-role": "teamleider", "grant-team": ""})
    assert response.status_code == 302
    granted = Membership.objects.get(user=kim, role__code="teamleider")
    assert (granted.gemeente.code, granted.is_active) == (HAARLEM, True)
    assert AuditEvent.objects.filter(event_type="membership_granted", subject_id=str(granted.pk)).count() == 1
    before = state()
    again = client.post(detail_url(kim), {"grant-role": "teamleider"})
    assert again.status_code == 400
    assert "Kim de Vries heeft deze rol al." in again.content.decode()
    assert state() == before


def test_revoking_a_role_keeps_it_inactive_and_leaves_other_gemeenten_alone(login, staff):
    youssef = staff["youssef"]
    haarlem, zandvoort = membership(youssef, HAARLEM), membership(youssef, ZANDVOORT)
    url = reverse("accounts:staff-revoke", kwargs={"user_id": youssef.pk, "membership_id": haarlem.pk})
    assert login("fenna").post(url).status_code == 302
    haarlem.refresh_from_db()
    zandvoort.refresh_from_db()
    assert (haarlem.is_active, zandvoort.is_active) == (False, True)
    assert AuditEvent.objects.filter(event_type="membership_revoked", subject_id=str(haarlem.pk)).count() == 1


def test_deactivating_a_shared_user_only_affects_this_gemeente(login, staff):
    youssef = staff["youssef"]
    response = login("fenna").post(reverse("accounts:staff-deactivate", kwargs={"user_id": youssef.pk}))
    assert response.status_code == 302
    youssef.refresh_from_db()
    assert youssef.is_active is True
    assert membership(youssef, HAARLEM).is_active is False
    assert membership(youssef, ZANDVOORT).is_active is True
    event = AuditEvent.objects.get(event_type="staff_user_deactivated")
    assert event.changes["login_blocked"] is False


def test_deactivating_a_user_of_one_gemeente_blocks_the_login_and_a_new_role_unblocks_it(login, staff):
    client = login("fenna")
    kim = staff["kim"]
    client.post(reverse("accounts:staff-deactivate", kwargs={"user_id": kim.pk}))
    kim.refresh_from_db()
    assert kim.is_active is False
    assert Client().post("/account/inloggen/", {"username": "kim", "password": "test-Password-123!"}).status_code == 200
    client.post(detail_url(kim), {"grant-role": "klantregisseur"})
    kim.refresh_from_db()
    assert kim.is_active is True
    assert membership(kim, HAARLEM).is_active is True


def test_beheerder_cannot_deactivate_herself_or_revoke_her_current_role(login, staff):
    client = login("fenna")
    fenna = staff["fenna"]
    before = state()
    response = client.post(reverse("accounts:staff-deactivate", kwargs={"user_id": fenna.pk}), follow=True)
    assert "U kunt uw eigen account niet deactiveren." in response.content.decode()
    own = membership(fenna, HAARLEM)
    url = reverse("accounts:staff-revoke", kwargs={"user_id": fenna.pk, "membership_id": own.pk})
    response = client.post(url, follow=True)
    assert "U kunt de rol waarmee u nu werkt niet zelf intrekken." in response.content.decode()
    assert state() == before


def test_beheerder_sets_a_new_password_only_for_staff_of_her_gemeente_alone(login, staff):
    client = login("fenna")
    data = {"password-password1": GOOD_PASSWORD, "password-password2": GOOD_PASSWORD}
    for _ in range(5):  # kim made herself wait (accounts.throttle)
        Client().post(reverse("accounts:login"), {"username": "kim", "password": "vergeten"})
    assert LoginThrottle.objects.exclude(account_key="").count() == 1
    kim_url = reverse("accounts:staff-set-password", kwargs={"user_id": staff["kim"].pk})
    assert client.post(kim_url, data).status_code == 302
    kim = User.objects.get(username="kim")
    assert kim.check_password(GOOD_PASSWORD)
    assert LoginThrottle.objects.exclude(account_key="").count() == 0  # she may log in at once
    assert AuditEvent.objects.filter(event_type="staff_password_replaced", subject_id=str(kim.pk)).count() == 1
    before = state()
    youssef_url = reverse("accounts:staff-set-password", kwargs={"user_id": staff["youssef"].pk})
    response = client.post(youssef_url, data)
    assert response.status_code == 400
    assert "werkt ook voor een andere gemeente" in response.content.decode()
    assert User.objects.get(username="youssef").check_password("test-Password-123!")
    assert state() == before


def test_beheerder_creates_a_team_and_a_duplicate_name_is_refused(login):
    client = login("fenna")
    assert client.post(reverse("accounts:teams"), {"name": "Team  West"}).status_code == 302
    assert Team.objects.filter(gemeente__code=HAARLEM, name="Team West").count() == 1
    assert AuditEvent.objects.filter(event_type="team_created").count() == 1
    before = state()
    response = client.post(reverse("accounts:teams"), {"name": "team west"})
    assert response.status_code == 400
    assert "Er is al een team met deze naam." in response.content.decode()
    assert state() == before


# ---------------------------------------------------------------------------------------------------------------
# Queries


def add_haarlem_staff(count: int) -> None:
    role = Role.objects.get(code="klantregisseur")
    team = Team.objects.get(gemeente__code=HAARLEM, name="Team Noord")
    gemeente = team.gemeente
    for number in range(count):
        user = User.objects.create(username=f"extra{number}", first_name="Extra", last_name=f"Medewerker {number}")
        Membership.objects.create(user=user, gemeente=gemeente, role=role, team=team)


def test_staff_list_runs_a_constant_number_of_queries(login, django_assert_num_queries):
    client = login("fenna")
    client.get(reverse("accounts:staff-list"))  # warm the session
    with django_assert_num_queries(6) as few:  # #18: no session write, memberships once
        assert client.get(reverse("accounts:staff-list")).status_code == 200
    add_haarlem_staff(30)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("accounts:staff-list"))
    html = response.content.decode()
    assert "40 medewerkers, pagina 1 van 2" in html
    assert "Pagina 1 van 2" in html
    assert 'aria-label="Paginering medewerkers"' in html
