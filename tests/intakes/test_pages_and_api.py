"""Intake pages and API: permission matrix (own gemeente, other gemeente, wrong role, anonymous), audit events,
Dutch errors, step-by-step saving, and a constant number of queries on the overview and the file-page section."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from openinburgering.accounts.section_limits import set_section_access
from openinburgering.accounts.sections import Access
from openinburgering.audit.models import AuditEvent
from openinburgering.intakes import services
from openinburgering.intakes.models import Intake, IntakeCall, LearnabilityTest, LeefgebiedAssessment
from tests.api.conftest import invalid_params, problem
from tests.clients.pages import assert_login_redirect

from .helpers import fail, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(actor, make_file):
    kim = actor("kim")
    client_file = make_file(assigned_to="kim")
    call, _ = plan(kim, client_file)
    intake = services.start_intake(actor=kim, client_file=client_file, person_id=client_file.person_id)
    lbt, _ = services.plan_lbt(actor=kim, client_file=client_file, planned_at=timezone.now() + timedelta(days=2),
                               location="Stadhuis")  # fmt: skip
    return {"file": client_file, "call": call, "intake": intake, "lbt": lbt, "kim": kim}


def page_urls(s) -> dict[str, tuple[str, bool]]:
    """path → needs the change capability."""
    base = f"/dossiers/{s['file'].pk}/intake/"
    return {
        base: False,
        f"{base}intakes/{s['intake'].pk}/": False,
        f"{base}oproepen/nieuw/": True,
        f"{base}oproepen/{s['call'].pk}/uitkomst/": True,
        f"{base}intakes/{s['intake'].pk}/huisvesting/": True,
        f"{base}intakes/{s['intake'].pk}/afronden/": True,
        f"{base}toets/nieuw/": True,
        f"{base}toets/{s['lbt'].pk}/uitslag/": True,
        f"{base}route/": True,
    }


def api_gets(s) -> list[str]:
    c = f"/api/v1/clients/{s['file'].pk}"
    return [f"{c}/intake-calls", f"{c}/intake-next-step", f"{c}/intakes", f"{c}/intakes/{s['intake'].pk}",
            f"{c}/lbt", f"{c}/route-advice"]  # fmt: skip


def api_writes(s) -> list[tuple[str, str, dict]]:
    c = f"/api/v1/clients/{s['file'].pk}"
    later = (timezone.now() + timedelta(days=3)).isoformat()
    return [
        ("post", f"{c}/intake-calls", {"planned_at": later, "location": "Stadhuis"}),
        ("post", f"{c}/intake-calls/{s['call'].pk}/outcome", {"outcome": "no_show"}),
        ("post", f"{c}/intakes", {"person": s["file"].person_id}),
        ("put", f"{c}/intakes/{s['intake'].pk}/leefgebieden/huisvesting", {"score": 3}),
        ("post", f"{c}/intakes/{s['intake'].pk}/complete", {}),
        ("post", f"{c}/lbt", {"planned_at": later, "location": "Stadhuis"}),
        ("post", f"{c}/lbt/{s['lbt'].pk}/result", {"taken_on": "2024-05-01", "score": 30}),
        ("post", f"{c}/route-advice", {"chosen_route": "b1", "onderwijsroute_considered": "x"}),
    ]


def state(s) -> tuple:
    return (
        IntakeCall.objects.filter(client_file=s["file"]).order_by("id").values_list("outcome", flat=True).first(),
        Intake.objects.filter(client_file=s["file"]).count(),
        LeefgebiedAssessment.objects.filter(intake__client_file=s["file"]).count(),
        LearnabilityTest.objects.filter(client_file=s["file"]).count(),
        AuditEvent.objects.filter(client_file=s["file"]).count(),
    )


def test_pages_for_kim_show_and_audit(setup, login):
    kim = login("kim")
    for path in page_urls(setup):
        before = AuditEvent.objects.filter(client_file=setup["file"], event_type__startswith="intake_").count()
        response = kim.get(path)
        assert response.status_code == 200, path
        after = AuditEvent.objects.filter(client_file=setup["file"], event_type__startswith="intake_").count()
        assert after == before + 1, path


@pytest.mark.parametrize(("username", "gemeente"), [("zeynep", "GM0473"), ("fenna", "GM0392"), ("anouk", "GM0392")])
def test_pages_are_404_for_other_gemeente_and_roles_without_access(setup, login, username, gemeente):
    from openinburgering.demo.personas import ZANDVOORT

    client = login(username, ZANDVOORT if username == "zeynep" else "GM0392")
    before = state(setup)
    for path, changes in page_urls(setup).items():
        assert client.get(path).status_code == 404, path
        # A page that changes something takes a POST and refuses it like a GET; a read-only page takes no POST.
        assert client.post(path, {"location": "x"}).status_code == (404 if changes else 405), path
    assert state(setup) == before


def test_the_financieel_consulent_reaches_no_intake_page(setup, login):
    frank = login("frank")  # need to know (#12 item 1): the intake is no part of the financieel consulent's work
    before = state(setup)
    for path, changes in page_urls(setup).items():
        assert frank.get(path).status_code == 404, path
        assert frank.post(path, {"location": "x"}).status_code == (404 if changes else 405), path
    assert frank.post(f"/dossiers/{setup['file'].pk}/intake/intakes/nieuw/", {"person": "1"}).status_code == 404
    assert state(setup) == before  # nothing changed and nothing read: no audit event either


def test_a_gemeente_that_narrows_the_intake_to_reading_gets_no_forms(setup, login, actor):
    """The gemeente narrows the klantregisseur to reading the intake (#12 item 1): the overview and the intake read;
    every form page and every post answers 404 and changes nothing."""
    set_section_access(actor=actor("fenna"), role_code="klantregisseur", section="intake", access=Access.READ)
    kim = login("kim")
    start = f"/dossiers/{setup['file'].pk}/intake/intakes/nieuw/"
    forms = [path for path, changes in page_urls(setup).items() if changes] + [start]
    before = state(setup)
    for path, changes in page_urls(setup).items():
        response = kim.get(path)
        assert response.status_code == (404 if changes else 200), path
        if not changes:  # a page that reads links to no form and posts to none
            html = response.content.decode()
            assert [form for form in forms if f'"{form}"' in html] == [], path
        assert kim.post(path, {"location": "x"}).status_code == (404 if changes else 405), path
    assert kim.post(start, {"person": "1"}).status_code == 404
    assert state(setup)[:4] == before[:4]
    assert state(setup)[4] == before[4] + 2  # a read event for the overview and for the intake; none for a refusal


def test_anonymous_pages_redirect_to_login(setup, client):
    for path in page_urls(setup):
        assert_login_redirect(client.get(path), path)


def test_plan_call_page_refuses_a_second_pending_call_in_dutch(setup, login):
    response = login("kim").post(
        f"/dossiers/{setup['file'].pk}/intake/oproepen/nieuw/",
        {"planned_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"), "location": "Stadhuis"},
    )
    assert response.status_code == 400
    assert "al een oproep gepland" in response.content.decode()
    assert "<title>Fout: " in response.content.decode()
    assert IntakeCall.objects.filter(client_file=setup["file"]).count() == 1


def test_leefgebied_page_saves_each_step_and_goes_to_the_next(setup, login):
    kim = login("kim")
    base = f"/dossiers/{setup['file'].pk}/intake/intakes/{setup['intake'].pk}/"
    page = kim.get(base + "huisvesting/").content.decode()
    assert 'data-autosave-key="intake-' in page
    assert "intake-autosave.js" in page
    assert "niet-opgeslagen tekst teruggezet" in page
    response = kim.post(base + "huisvesting/", {"score": "4", "finding": "Eigen woning.", "d_housing": "eigen_woning",
                                                "action": "next"})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == base + "werk_inkomen/?opgeslagen=huisvesting"
    assessment = LeefgebiedAssessment.objects.get(intake=setup["intake"], leefgebied="huisvesting")
    assert (assessment.score, assessment.details) == (4, {"housing": "eigen_woning"})
    next_page = kim.get(response["Location"]).content.decode()
    assert f'data-autosave-clear="intake-{setup["intake"].pk}-huisvesting"' in next_page
    bad = kim.post(base + "gezondheid/", {"d_physical": "Rugpijn", "action": "next"})
    assert bad.status_code == 400
    assert "Zonder toestemming" in bad.content.decode()
    assert not LeefgebiedAssessment.objects.filter(intake=setup["intake"], leefgebied="gezondheid").exists()
    overview = kim.get(base).content.decode()
    assert "1 van 9 leefgebieden klaar" in overview


def test_overview_and_file_section_use_a_constant_number_of_queries(setup, login, actor, django_assert_max_num_queries,
                                                                    household_member):  # fmt: skip
    kim = login("kim")
    path = f"/dossiers/{setup['file'].pk}/intake/"
    kim.get(path)
    with django_assert_max_num_queries(30) as small:
        kim.get(path)
    # The whole file page (its exact count: tests/clients/test_file_page.py FILE_QUERIES; the timeline is one query).
    with django_assert_max_num_queries(30) as small_file_page:
        kim.get(f"/dossiers/{setup['file'].pk}/")
    # Grow everything: more calls, intakes, assessments and toetsen.
    k = setup["kim"]
    fail(k, setup["file"], setup["call"])
    plan(k, setup["file"])
    member = household_member(setup["file"])
    other = services.start_intake(actor=k, client_file=setup["file"], person_id=member.person_id)
    for code in ("huisvesting", "financien"):
        services.save_assessment(actor=k, client_file=setup["file"], intake=other, leefgebied=code, score=3)
    services.record_lbt_result(actor=k, client_file=setup["file"], lbt=setup["lbt"], ontheffing="visual")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = kim.get(path)
    assert "Sami Haddad" in response.content.decode()
    with django_assert_max_num_queries(len(small_file_page.captured_queries) + 2):  # household rows add nothing more
        response = kim.get(f"/dossiers/{setup['file'].pk}/")
    assert 'id="intake"' in response.content.decode()
    assert "Ontheffing" in response.content.decode()


# ------------------------------------------------------------------------------------------------------------ API


def test_api_permission_matrix(setup, api):
    from openinburgering.demo.personas import ZANDVOORT

    for path in api_gets(setup):
        assert api("kim").get(path).status_code == 200, path
        assert api("frank").get(path).status_code == 404, path  # no intake section (#12 item 1)
        assert api("zeynep", ZANDVOORT).get(path).status_code == 404, path
        assert api(None).get(path).status_code == 401, path
    before = state(setup)
    for method, path, body in api_writes(setup):
        for client in (api("frank"), api("zeynep", ZANDVOORT)):
            assert client.send(method.upper(), path, body).status_code == 404, path
        assert api(None).send(method.upper(), path, body).status_code == 401, path
    assert state(setup)[:4] == before[:4]
    # reads by kim above wrote read events; denied requests wrote none
    denied = AuditEvent.objects.filter(client_file=setup["file"], actor__username__in=["zeynep", "frank"]).count()
    assert denied == 0


def test_api_full_flow(setup, api, actor):
    kim = api("kim")
    c = f"/api/v1/clients/{setup['file'].pk}"
    second = kim.post(f"{c}/intake-calls", {"planned_at": (timezone.now() + timedelta(days=2)).isoformat(),
                                            "location": "Stadhuis"})  # fmt: skip
    assert second.status_code == 409
    assert "al een oproep gepland" in problem(second)["detail"]
    IntakeCall.objects.filter(pk=setup["call"].pk).update(planned_at=timezone.now() - timedelta(days=1))
    outcome = kim.post(f"{c}/intake-calls/{setup['call'].pk}/outcome", {"outcome": "no_show"})
    assert outcome.status_code == 200
    assert outcome.json()["next_step"] == "warning_and_repeat_call"
    assert kim.get(f"{c}/intake-next-step").json() == {"next_step": "warning_and_repeat_call", "fine": "0.00",
                                                        "calls": 1}  # fmt: skip
    planned = kim.post(f"{c}/intake-calls", {"planned_at": (timezone.now() + timedelta(days=2)).isoformat(),
                                             "location": "Stadhuis"})  # fmt: skip
    assert planned.status_code == 201
    letter_id = planned.json()["letter"]
    assert kim.get(f"{c}/letters/{letter_id}")["Content-Type"] == "application/pdf"
    calls = kim.get(f"{c}/intake-calls").json()
    assert [call["sequence"] for call in calls] == [1, 2]
    assert calls[1]["letters"] == [letter_id]

    i = setup["intake"].pk
    bogus = {"score": 4, "wishes": "Verpleegkunde studeren", "details": {"study_wish": "ja", "bogus": 1}}
    put = kim.send("PUT", f"{c}/intakes/{i}/leefgebieden/onderwijs", bogus)
    assert "details.bogus" in invalid_params(put)
    put = kim.send("PUT", f"{c}/intakes/{i}/leefgebieden/onderwijs",
                   {"score": 4, "wishes": "Verpleegkunde studeren", "details": {"study_wish": "ja"}})  # fmt: skip
    assert put.status_code == 200
    assert put.json()["done"] is True
    assert kim.send("PUT", f"{c}/intakes/{i}/leefgebieden/nope", {"score": 1}).status_code == 404
    incomplete = kim.post(f"{c}/intakes/{i}/complete", {})
    assert "in_absence" in invalid_params(incomplete)
    detail = kim.get(f"{c}/intakes/{i}").json()
    assert detail["leefgebieden_done"] == ["onderwijs"]
    assert detail["assessments"][0]["wishes"].startswith("Verpleeg")

    bad = kim.post(f"{c}/lbt/{setup['lbt'].pk}/result", {"taken_on": "2024-05-01", "score": 30, "ontheffing": "visual"})
    assert "ontheffing" in invalid_params(bad)
    result = kim.post(f"{c}/lbt/{setup['lbt'].pk}/result", {"taken_on": "2024-05-01", "score": 30})
    assert (result.json()["outcome"], result.json()["threshold"]) == ("haalbaar", 28)

    advice = kim.get(f"{c}/route-advice").json()
    assert advice["current_advice"]["route"] in ("b1", "onderwijs")
    assert advice["results"] == []
    missing = kim.post(f"{c}/route-advice", {"chosen_route": "z", "onderwijsroute_considered": ""})
    assert {"deviation_reason", "onderwijsroute_considered"} <= set(invalid_params(missing))
    chosen = kim.post(f"{c}/route-advice", {"chosen_route": "z", "deviation_reason": "Gezondheid.",
                                            "onderwijsroute_considered": "Afgewogen."})  # fmt: skip
    assert chosen.status_code == 201
    assert chosen.json()["chosen_route"] == "z"
    events = set(AuditEvent.objects.filter(client_file=setup["file"], via="api").values_list("event_type", flat=True))
    assert {"intake_calls_read", "intake_next_step_read", "intake_call_outcome_recorded", "intake_call_planned",
            "leefgebied_assessment_saved", "intake_viewed", "lbt_result_recorded", "route_advice_read",
            "route_advice_recorded"} <= events  # fmt: skip
