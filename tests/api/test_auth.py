"""Tokens act as exactly one membership; revoked, expired, malformed and unknown tokens answer 401."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from openinburgering.accounts.models import ApiToken, Membership
from openinburgering.accounts.tokens import revoke_api_token
from openinburgering.demo.personas import ZANDVOORT

from .conftest import ApiClient, events_of, problem

pytestmark = pytest.mark.django_db


def _assert_401(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert problem(response)["status"] == 401


def test_a_valid_token_reads_and_records_its_last_use(token, make_file):
    client_file = make_file()
    row, key = token("kim")
    assert ApiClient(key).get(f"/api/v1/clients/{client_file.pk}").status_code == 200
    assert ApiToken.objects.get(pk=row.pk).last_used_at is not None


def test_last_use_is_written_in_steps_of_a_minute_not_on_every_call(token, make_file):
    client_file = make_file()
    row, key = token("kim")
    api = ApiClient(key)
    api.get(f"/api/v1/clients/{client_file.pk}")
    first = ApiToken.objects.get(pk=row.pk).last_used_at
    api.get(f"/api/v1/clients/{client_file.pk}")
    assert ApiToken.objects.get(pk=row.pk).last_used_at == first  # within the minute: no write
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=first - timedelta(minutes=1))
    api.get(f"/api/v1/clients/{client_file.pk}")
    assert ApiToken.objects.get(pk=row.pk).last_used_at > first


def test_a_revoked_token_answers_401_and_reads_nothing(token, make_file):
    client_file = make_file()
    row, key = token("kim")
    revoke_api_token(token=row)
    before = events_of(client_file)
    _assert_401(ApiClient(key).get(f"/api/v1/clients/{client_file.pk}"))
    assert events_of(client_file) == before


def test_an_expired_token_answers_401(token, make_file):
    client_file = make_file()
    row, key = token("kim")
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    _assert_401(ApiClient(key).get(f"/api/v1/clients/{client_file.pk}"))


def test_a_token_of_an_ended_membership_answers_401(token, make_file):
    client_file = make_file()
    row, key = token("kim")
    Membership.objects.filter(pk=row.membership_id).update(is_active=False)
    _assert_401(ApiClient(key).get(f"/api/v1/clients/{client_file.pk}"))


def test_a_token_with_a_wrong_secret_answers_401(token):
    _, key = token("kim")
    _assert_401(ApiClient(key[:-4] + "AAAA").get("/api/v1/me"))


@pytest.mark.parametrize(
    "header",
    [
        "Token",
        "Token a b",
        "Token oi_",
        "Token oi_00000000_x",
        "Bearer nonsense",
        "Token " + "x" * 5000,
        "Token Ã¸",
        "Token ∂ø",
    ],
)
def test_malformed_or_unknown_tokens_answer_401(header, api):
    response = ApiClient().get("/api/v1/me", HTTP_AUTHORIZATION=header)
    _assert_401(response)


def test_no_token_answers_401_with_www_authenticate(api):
    _assert_401(ApiClient().get("/api/v1/caseload"))


def test_a_zandvoort_token_of_youssef_cannot_read_his_haarlem_file(api, make_file):
    haarlem_file = make_file(assigned_to="youssef")
    assert api("youssef").get(f"/api/v1/clients/{haarlem_file.pk}").status_code == 200
    before = events_of(haarlem_file)
    response = api("youssef", ZANDVOORT).get(f"/api/v1/clients/{haarlem_file.pk}")
    assert response.status_code == 404
    assert events_of(haarlem_file) == before


def test_me_shows_the_membership_of_the_token(api):
    body = api("youssef", ZANDVOORT).get("/api/v1/me").json()
    assert body["gemeente"] == {"code": ZANDVOORT, "name": "Zandvoort"}
    assert body["role"]["code"] == "klantregisseur"
    assert body["team"] == "Team Zandvoort"
    membership = Membership.objects.get(user__username="youssef", gemeente__code=ZANDVOORT)
    assert body["capabilities"] == sorted(membership.role.capabilities)
    assert "view_client_files" in body["capabilities"]
    assert body["token"]["name"] == "test"


def test_a_browser_session_acts_as_its_chosen_membership(login, make_file):
    haarlem_file = make_file()
    session = login("youssef", ZANDVOORT)
    assert session.get("/api/v1/me").json()["gemeente"]["code"] == ZANDVOORT
    assert session.get(f"/api/v1/clients/{haarlem_file.pk}").status_code == 404
    assert login("kim").get(f"/api/v1/clients/{haarlem_file.pk}").status_code == 200


def test_a_session_write_needs_the_csrf_token(login, make_file):
    client_file = make_file()
    session = login("kim")
    session.handler.enforce_csrf_checks = True
    response = session.post(f"/api/v1/clients/{client_file.pk}/notes", {"body": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert problem(response)["status"] == 403
