"""Two-factor login (#12 item 2): password → code from the app (or a recovery code) → logged in; enrolment when the
gemeente requires it; the gemeente's setting and the reset by the functioneel beheerder, both audited."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from openinburgering.accounts.models import Gemeente, Membership, User
from openinburgering.accounts.tokens import create_api_token
from openinburgering.audit.models import AuditEvent
from openinburgering.demo.personas import HAARLEM

pytestmark = pytest.mark.django_db

PASSWORD = "test-Password-123!"
LOGIN_URL = "/account/inloggen/"
CODE_URL = "/account/inloggen/code/"
ENROL_URL = "/account/inloggen/app-instellen/"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def give_app(user: User, recovery: tuple[str, ...] = ()) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    if recovery:
        static = StaticDevice.objects.create(user=user, name="herstel", confirmed=True)
        for token in recovery:
            StaticToken.objects.create(device=static, token=token)
    return device


def event_types() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("event_type", flat=True))


def errors(html: str) -> list[str]:
    return [
        " ".join(m.split()) for m in re.findall(r'<span class="app-visually-hidden">Fout:</span>(.*?)</p>', html, re.S)
    ]


def require_two_factor(code: str = HAARLEM) -> None:
    Gemeente.objects.filter(code=code).update(requires_two_factor=True)


def test_with_an_app_the_password_alone_does_not_log_in(staff):
    give_app(staff["kim"])
    client = Client()
    response = client.post(LOGIN_URL, {"username": "kim", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, CODE_URL)
    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"] == "/account/inloggen/?next=/"
    assert "login_succeeded" not in event_types()


def test_the_right_code_logs_in_and_is_audited(staff):
    device = give_app(staff["kim"])
    client = Client()
    client.post(LOGIN_URL, {"username": "kim", "password": PASSWORD, "next": "/dossiers/"})
    response = client.post(CODE_URL, {"code": code_for(device)})
    assert (response.status_code, response["Location"]) == (302, "/dossiers/")
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(event_type="login_succeeded")
    assert (event.actor, event.changes) == (staff["kim"], {"method": "ThrottledModelBackend", "second_factor": "app"})


def test_a_wrong_code_gives_a_dutch_error_is_audited_and_does_not_log_in(staff):
    give_app(staff["kim"])
    client = Client()
    client.post(LOGIN_URL, {"username": "kim", "password": PASSWORD})
    response = client.post(CODE_URL, {"code": "000000" if code_for(TOTPDevice.objects.get()) != "000000" else "111111"})
    assert response.status_code == 400
    assert errors(response.content.decode()) == ["De code klopt niet. Kijk in de app en typ de code die u nu ziet."]
    assert "_auth_user_id" not in client.session
    assert event_types() == ["login_code_failed"]


def test_after_wrong_codes_even_the_right_code_waits(staff):
    device = give_app(staff["kim"])
    client = Client()
    client.post(LOGIN_URL, {"username": "kim", "password": PASSWORD})
    client.post(CODE_URL, {"code": "abcdef12"})  # no recovery codes: counted on the app
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
    )
    response = client.post(CODE_URL, {"code": code_for(device)})  # django-otp: 2 ** (3 - 1) seconds
    assert errors(response.content.decode()) == [
        "U heeft te vaak een verkeerde code ingevuld. Wacht 4 seconden en probeer het opnieuw."
    ]
    assert "_auth_user_id" not in client.session
    assert event_types() == ["login_code_failed", "login_code_failed"]


def test_a_recovery_code_logs_in_once(staff):
    give_app(staff["kim"], recovery=("abcd2345", "efgh6789"))
    first = Client()
    first.post(LOGIN_URL, {"username": "kim", "password": PASSWORD})
    response = first.post(CODE_URL, {"code": "ABCD 2345"}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "U heeft een herstelcode gebruikt. U heeft er nog 1." in response.content.decode()
    assert event_types()[:2] == ["login_recovery_code_used", "login_succeeded"]
    second = Client()
    second.post(LOGIN_URL, {"username": "kim", "password": PASSWORD})
    assert second.post(CODE_URL, {"code": "abcd2345"}).status_code == 400


def test_the_code_page_without_a_password_first_sends_back_to_the_login(staff):
    give_app(staff["kim"])
    response = Client().post(CODE_URL, {"code": "123456"})
    assert response["Location"] == LOGIN_URL
    assert TOTPDevice.objects.get().throttling_failure_count == 0


def test_a_half_finished_login_expires_after_five_minutes(staff, monkeypatch):
    device = give_app(staff["kim"])
    client = Client()
    client.post(LOGIN_URL, {"username": "kim", "password": PASSWORD})
    real_time = time.time
    monkeypatch.setattr("openinburgering.accounts.login_views.time.time", lambda: real_time() + 301)
    assert client.post(CODE_URL, {"code": code_for(device)})["Location"] == LOGIN_URL
    assert "_auth_user_id" not in client.session


def test_when_the_gemeente_requires_it_a_user_without_app_sets_one_up_first(staff):
    require_two_factor()
    client = Client()
    response = client.post(LOGIN_URL, {"username": "kim", "password": PASSWORD})
    assert response["Location"] == ENROL_URL
    assert client.get("/")["Location"] == "/account/inloggen/?next=/"
    page = client.get(ENROL_URL).content.decode()
    device = TOTPDevice.objects.get(user=staff["kim"], confirmed=False)
    svg = re.search(r"<svg [^>]*>", page)
    assert svg is not None
    assert 'aria-label="QR-code om de app in te stellen"' in svg.group(0)
    assert "style=" not in svg.group(0)
    secret = re.search(r'<code class="app-secret" id="otp-secret">([A-Z2-7 ]+)</code>', page)
    assert secret is not None
    assert len(secret.group(1).replace(" ", "")) == 32
    assert client.get(ENROL_URL).content.decode().count(secret.group(1)) == 1  # the same secret on a reload

    response = client.post(ENROL_URL, {"code": code_for(device)})
    assert response["Location"] == "/account/herstelcodes/"
    codes_page = client.get("/account/herstelcodes/").content.decode()
    codes = re.findall(r"<li class=\"utrecht-unordered-list__item\"><code>([a-z2-7]{8})</code></li>", codes_page)
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=staff["kim"]).values_list("token", flat=True)
    )
    assert len(codes) == 10
    assert client.get("/account/herstelcodes/")["Location"] == "/"  # shown once
    device.refresh_from_db()
    assert device.confirmed is True
    assert event_types() == ["two_factor_enrolled", "login_succeeded"]
    assert AuditEvent.objects.get(event_type="login_succeeded").changes["second_factor"] == "app"


def test_enrolment_with_a_wrong_code_confirms_nothing(staff):
    require_two_factor()
    client = Client()
    client.post(LOGIN_URL, {"username": "kim", "password": PASSWORD})
    client.get(ENROL_URL)
    response = client.post(ENROL_URL, {"code": "12345x"})
    assert response.status_code == 400
    assert errors(response.content.decode()) == ["De code klopt niet. Kijk in de app en typ de code die u nu ziet."]
    assert TOTPDevice.objects.filter(confirmed=True).count() == 0
    assert "_auth_user_id" not in client.session


def test_a_session_without_code_ends_when_the_gemeente_starts_to_require_it(login, staff):
    kim = login("kim")
    assert kim.get("/").status_code == 200
    fenna = login("fenna")
    response = fenna.post("/account/inlogregels/", {"requires_two_factor": "on"})
    assert response["Location"] == "/account/inlogregels/"
    event = AuditEvent.objects.get(event_type="login_settings_changed")
    assert (event.actor, event.gemeente.code, event.changes) == (
        staff["fenna"],
        HAARLEM,
        {"requires_two_factor": {"old": False, "new": True}},
    )
    response = kim.get("/", follow=True)
    assert response.redirect_chain == [("/account/inloggen/?next=/", 302)]
    assert "Uw gemeente vraagt nu om tweestapsverificatie. Log opnieuw in." in response.content.decode()


def test_only_the_functioneel_beheerder_sets_the_login_rules(login):
    assert login("kim").get("/account/inlogregels/").status_code == 404
    assert login("kim").post("/account/inlogregels/", {"requires_two_factor": "on"}).status_code == 404
    assert Client().get("/account/inlogregels/")["Location"] == "/account/inloggen/?next=/account/inlogregels/"
    assert Gemeente.objects.filter(requires_two_factor=True).count() == 0
    assert AuditEvent.objects.filter(event_type="login_settings_changed").count() == 0


def test_saving_the_same_rules_again_writes_no_event(login):
    response = login("fenna").post("/account/inlogregels/", {}, follow=True)
    assert "Er is niets veranderd." in response.content.decode()
    assert AuditEvent.objects.filter(event_type="login_settings_changed").count() == 0


def test_the_beheerder_resets_a_colleagues_app_and_ends_their_sessions(login, staff):
    give_app(staff["kim"], recovery=("abcd2345",))
    kim = login("kim")
    fenna = login("fenna")
    url = reverse("accounts:staff-detail", kwargs={"user_id": staff["kim"].pk})
    assert "Ingesteld" in fenna.get(url).content.decode()
    response = fenna.post(reverse("accounts:staff-reset-two-factor", kwargs={"user_id": staff["kim"].pk}), follow=True)
    assert (
        "De tweestapsverificatie van Kim de Vries is gewist. Kim de Vries is overal uitgelogd."
        in response.content.decode()
    )
    assert (TOTPDevice.objects.count(), StaticDevice.objects.count()) == (0, 0)
    event = AuditEvent.objects.get(event_type="two_factor_removed")
    assert (event.actor, event.subject_id, event.gemeente.code) == (staff["fenna"], str(staff["kim"].pk), HAARLEM)
    assert kim.get("/")["Location"] == "/account/inloggen/?next=/"


def test_reset_of_another_gemeentes_user_or_someone_working_elsewhere_is_refused(login, staff):
    give_app(staff["kim"])
    give_app(staff["youssef"])
    ruben = login("ruben", "GM0473")
    assert ruben.post(f"/account/medewerkers/{staff['kim'].pk}/tweestapsverificatie/wissen/").status_code == 404
    response = login("fenna").post(
        f"/account/medewerkers/{staff['youssef'].pk}/tweestapsverificatie/wissen/", follow=True
    )
    assert (
        "Deze medewerker werkt ook voor een andere gemeente. De tweestapsverificatie kan alleen de medewerker "
        "zelf opnieuw instellen." in response.content.decode()
    )
    assert TOTPDevice.objects.count() == 2
    assert AuditEvent.objects.filter(event_type="two_factor_removed").count() == 0


def test_api_tokens_keep_working_when_the_gemeente_requires_two_factor(staff):
    require_two_factor()
    membership = Membership.objects.get(user=staff["kim"], gemeente__code=HAARLEM)
    _token, key = create_api_token(membership=membership, name="koppeling")
    response = Client().get("/api/v1/caseload", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
