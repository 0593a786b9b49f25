"""Health data need to know (#12 item 1): one register of health consent per person of the household, kept in step
by the gezondheid step of the brede intake; health answers shown only to a role that may read the gezondheid
section AND while that person's consent stands; nothing about health for the financieel consulent, anywhere."""

from __future__ import annotations

import importlib
from datetime import date
from typing import Any

import pytest
from django.apps import apps as global_apps
from django.template.loader import render_to_string
from django.utils import timezone

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.access import has_consent, health_readable_persons, visible_sections
from openinburgering.clients.consent import active_consent, record_consent, withdraw_consent
from openinburgering.clients.models import Consent
from openinburgering.core.errors import ApplicationError
from openinburgering.households.services import add_household_member
from openinburgering.intakes import services
from openinburgering.intakes.models import LeefgebiedAssessment
from openinburgering.plans import services as plan_services
from openinburgering.plans.models import PipAgreement
from openinburgering.signals.models import SignalMessage
from openinburgering.signals.services import import_coa_koppelingen
from tests.api.conftest import invalid_params
from tests.signals.builders import coa_koppeling, new_bsn

from .helpers import plan

pytestmark = pytest.mark.django_db

HEAD_PHYSICAL = "Rugpijn sinds de vlucht uit Aleppo"
HEAD_FINDING = "Piekert veel over de familie in Syrie"
HEAD_WISHES = "Wil graag praten met de huisarts"
HEAD_HANDOVER = "GGZ Kennemerland, team statushouders"
PARTNER_PHYSICAL = "Suikerziekte, gebruikt insuline"
HEALTH_TEXTS = (HEAD_PHYSICAL, HEAD_FINDING, HEAD_WISHES, HEAD_HANDOVER, PARTNER_PHYSICAL, "Slaapt de persoon")
HIDDEN = "Gezondheid: alleen zichtbaar met toestemming van de persoon"


def head_health() -> dict[str, Any]:
    return {
        "score": 2,
        "finding": HEAD_FINDING,
        "wishes": HEAD_WISHES,
        "details": {
            "health_consent": "ja", "physical": HEAD_PHYSICAL, "screen_sleep": "ja", "screen_worry": "ja",
            "handover_consent": "ja", "handover_to": HEAD_HANDOVER, "handover_on": "2025-09-01",
        },
    }  # fmt: skip


@pytest.fixture
def setup(actor, make_file):
    """A Haarlem file (kim) with a partner; both have a brede intake with health answers and gave consent in it."""
    kim = actor("kim")
    client_file = make_file(assigned_to="kim")
    member = add_household_member(
        actor=kim, client_file=client_file, relation="partner", started_on=date(2025, 7, 1),
        person_data={"given_names": "Rana", "surname": "Haddad", "birth_on": date(1992, 2, 3)},
    )  # fmt: skip
    partner = member.person
    call, _ = plan(kim, client_file)
    head_intake = services.start_intake(actor=kim, client_file=client_file, person_id=client_file.person_id)
    partner_intake = services.start_intake(actor=kim, client_file=client_file, person_id=partner.pk)
    services.save_assessment(actor=kim, client_file=client_file, intake=head_intake, leefgebied="gezondheid",
                             **head_health())  # fmt: skip
    services.save_assessment(
        actor=kim, client_file=client_file, intake=partner_intake, leefgebied="gezondheid", score=3,
        details={"health_consent": "ja", "physical": PARTNER_PHYSICAL},
    )  # fmt: skip
    return {"kim": kim, "file": client_file, "partner": partner, "head_intake": head_intake,
            "partner_intake": partner_intake, "call": call}  # fmt: skip


def intake_url(s: dict[str, Any], intake: str = "head_intake", rest: str = "") -> str:
    return f"/dossiers/{s['file'].pk}/intake/intakes/{s[intake].pk}/{rest}"


def api_intake(s: dict[str, Any], intake: str = "head_intake") -> str:
    return f"/api/v1/clients/{s['file'].pk}/intakes/{s[intake].pk}"


def gezondheid_of(body: dict[str, Any]) -> dict[str, Any]:
    (row,) = [a for a in body["assessments"] if a["leefgebied"] == "gezondheid"]
    return row


# ------------------------------------------------------------------------------------------ one register, per person


def test_the_gezondheid_step_records_each_persons_own_consent_and_nee_withdraws_it(setup):
    s = setup
    head, partner = s["file"].person, s["partner"]
    consents = list(Consent.objects.filter(client_file=s["file"]).order_by("id").values_list("person_id", "how"))
    assert consents == [(None, "Gevraagd in de brede intake (leefgebied gezondheid)"),
                        (partner.pk, "Gevraagd in de brede intake (leefgebied gezondheid)")]  # fmt: skip
    # Saving "ja" again records nothing new.
    services.save_assessment(actor=s["kim"], client_file=s["file"], intake=s["head_intake"], leefgebied="gezondheid",
                             **head_health())  # fmt: skip
    assert Consent.objects.filter(client_file=s["file"]).count() == 2
    # "nee" withdraws the partner's consent only, at once, through the same audited service.
    services.save_assessment(actor=s["kim"], client_file=s["file"], intake=s["partner_intake"],
                             leefgebied="gezondheid", score=None, details={"health_consent": "nee"})  # fmt: skip
    assert has_consent(s["file"], "gezondheid") is True
    assert has_consent(s["file"], "gezondheid", head) is True
    assert has_consent(s["file"], "gezondheid", partner) is False
    assert active_consent(s["file"], "gezondheid", partner.pk) is None
    events = list(AuditEvent.objects.filter(client_file=s["file"], event_type__startswith="consent_")
                  .order_by("id").values_list("event_type", "changes__person"))  # fmt: skip
    assert events == [("consent_recorded", None), ("consent_recorded", partner.pk), ("consent_revoked", None)]
    # Saying "ja" again gives a new consent (the withdrawn one stays, insert-only).
    services.save_assessment(actor=s["kim"], client_file=s["file"], intake=s["partner_intake"],
                             leefgebied="gezondheid", score=None, details={"health_consent": "ja"})  # fmt: skip
    assert Consent.objects.filter(client_file=s["file"], person=partner).count() == 2
    assert has_consent(s["file"], "gezondheid", partner.pk) is True


def test_consent_is_per_person_in_every_check(setup, actor):
    s = setup
    head, partner = s["file"].person, s["partner"]
    withdraw_consent(actor=s["kim"], consent=active_consent(s["file"], "gezondheid"), withdrawn_on=date.today())
    tamara = actor("tamara")
    assert "gezondheid" not in visible_sections(tamara, s["file"])  # the file's own person: no consent
    assert "gezondheid" in visible_sections(tamara, s["file"], partner)
    assert health_readable_persons(tamara, s["file"]) == frozenset({partner.pk})
    assert health_readable_persons(actor("frank"), s["file"]) == frozenset()
    assert health_readable_persons(actor("mira"), s["file"]) == frozenset()
    assert head.pk not in health_readable_persons(s["kim"], s["file"])


def test_consent_for_someone_outside_the_household_is_refused_in_dutch(setup, make_file):
    stranger = make_file(assigned_to="kim").person
    with pytest.raises(ApplicationError, match=r"^Kies de inburgeraar of iemand uit zijn of haar huishouden\.$"):
        record_consent(actor=setup["kim"], client_file=setup["file"], purpose="gezondheid", given_on=date.today(),
                       how="Mondeling", person=stranger)  # fmt: skip
    assert Consent.objects.filter(person=stranger).count() == 0


def test_the_data_migration_registers_the_consent_given_in_earlier_intakes(actor, make_file, staff):
    kim, tamara = actor("kim"), actor("tamara")
    client_file = make_file(assigned_to="kim")
    intake = services.start_intake(actor=kim, client_file=client_file, person_id=client_file.person_id)
    saved_at = timezone.make_aware(timezone.datetime(2025, 8, 14, 23, 30))  # Amsterdam: 14 August
    LeefgebiedAssessment.objects.create(  # as stored before the register: consent only in the step's details
        intake=intake, leefgebied="gezondheid", score=3, details={"health_consent": "ja", "physical": "Astma"},
        updated_at=saved_at, updated_by=tamara.user,
    )  # fmt: skip
    other = make_file(assigned_to="kim")
    refused = services.start_intake(actor=kim, client_file=other, person_id=other.person_id)
    LeefgebiedAssessment.objects.create(intake=refused, leefgebied="gezondheid", details={"health_consent": "nee"},
                                        updated_at=saved_at, updated_by=kim.user)  # fmt: skip
    migration = importlib.import_module("openinburgering.clients.migrations.0009_consent_from_intakes")
    migration.forward(global_apps, None)
    migration.forward(global_apps, None)  # a second run adds nothing
    rows = list(Consent.objects.filter(client_file__in=[client_file, other]).values(
        "client_file_id", "person_id", "purpose", "given_on", "how", "recorded_by_id"))  # fmt: skip
    assert rows == [{"client_file_id": client_file.pk, "person_id": None, "purpose": "gezondheid",
                     "given_on": date(2025, 8, 14), "how": "Gevraagd in de brede intake (leefgebied gezondheid)",
                     "recorded_by_id": tamara.user.pk}]  # fmt: skip


# ------------------------------------------------------------------------------------------ the financieel consulent


def test_frank_reaches_no_intake_page_or_endpoint_and_no_answer_of_his_shows_health(setup, login, api):
    s = setup
    frank = login("frank")
    base = f"/dossiers/{s['file'].pk}/intake/"
    pages = [base, intake_url(s), intake_url(s, "partner_intake"), intake_url(s, rest="gezondheid/"),
             intake_url(s, "partner_intake", "gezondheid/"), intake_url(s, rest="afronden/"),
             f"{base}oproepen/nieuw/", f"{base}oproepen/{s['call'].pk}/uitkomst/", f"{base}toets/nieuw/",
             f"{base}route/"]  # fmt: skip
    for url in pages:
        assert frank.get(url).status_code == 404, url
    posted = frank.post(intake_url(s, rest="gezondheid/"), {"d_health_consent": "nee", "action": "save"})
    assert posted.status_code == 404
    c = f"/api/v1/clients/{s['file'].pk}"
    frank_api = api("frank")
    for url in (f"{c}/intakes", api_intake(s), api_intake(s, "partner_intake"), f"{c}/intake-calls",
                f"{c}/intake-next-step", f"{c}/lbt", f"{c}/route-advice", f"{c}/consents"):  # fmt: skip
        assert frank_api.get(url).status_code == 404, url
    put = frank_api.send("PUT", f"{api_intake(s)}/leefgebieden/gezondheid", {"details": {"health_consent": "nee"}})
    assert put.status_code == 404
    assert has_consent(s["file"], "gezondheid") is True  # nothing changed
    readable = [frank.get(f"/dossiers/{s['file'].pk}/"), frank.get("/dossiers/", {"q": "Haddad"}),
                frank_api.get(c), frank_api.get(f"{c}/timeline")]  # fmt: skip
    for response in readable:
        assert response.status_code == 200
        text = response.content.decode()
        for words in HEALTH_TEXTS:
            assert words not in text, words
    file_page = readable[0].content.decode()
    assert "/intake/" not in file_page
    assert HIDDEN not in file_page  # a role without access hears nothing about health at all


# ------------------------------------------------------------------------------------------ the klantregisseur


def test_kim_sees_the_answers_only_while_the_persons_consent_stands(setup, login, api):
    s = setup
    kim, kim_api = login("kim"), api("kim")
    page = kim.get(intake_url(s)).content.decode()
    for words in (HEAD_PHYSICAL, HEAD_FINDING, HEAD_WISHES, HEAD_HANDOVER, "Slaapt de persoon vaak slecht?"):
        assert words in page, words
    assert HIDDEN not in page
    body = kim_api.get(api_intake(s)).json()
    assert gezondheid_of(body)["details"]["physical"] == HEAD_PHYSICAL
    assert (gezondheid_of(body)["score"], gezondheid_of(body)["finding"]) == (2, HEAD_FINDING)
    assert gezondheid_of(body)["health_visible"] is True

    withdraw_consent(actor=s["kim"], consent=active_consent(s["file"], "gezondheid"), withdrawn_on=date.today())

    page = kim.get(intake_url(s)).content.decode()
    for words in (HEAD_PHYSICAL, HEAD_FINDING, HEAD_WISHES, HEAD_HANDOVER, "Slaapt de persoon vaak slecht?"):
        assert words not in page, words
    assert page.count(HIDDEN) == 1
    form = kim.get(intake_url(s, rest="gezondheid/")).content.decode()
    for words in (HEAD_PHYSICAL, HEAD_FINDING, HEAD_WISHES, HEAD_HANDOVER):
        assert words not in form, words
    assert HIDDEN in form
    row = gezondheid_of(kim_api.get(api_intake(s)).json())
    assert row == {**row, "score": None, "finding": None, "wishes": None, "details": None, "health_visible": False}
    listed = kim_api.get(f"/api/v1/clients/{s['file'].pk}/intakes").content.decode()
    assert HEAD_PHYSICAL not in listed


def test_the_partners_health_stays_hidden_when_only_the_inburgeraar_consented(setup, login, api):
    s = setup
    withdraw_consent(actor=s["kim"], consent=active_consent(s["file"], "gezondheid", s["partner"]),
                     withdrawn_on=date.today())  # fmt: skip
    assert has_consent(s["file"], "gezondheid") is True
    page = login("tamara").get(intake_url(s, "partner_intake")).content.decode()
    assert PARTNER_PHYSICAL not in page
    assert HIDDEN in page
    row = gezondheid_of(api("tamara").get(api_intake(s, "partner_intake")).json())
    assert (row["details"], row["score"], row["health_visible"]) == (None, None, False)
    assert HEAD_PHYSICAL in login("tamara").get(intake_url(s)).content.decode()


def test_the_klantregisseur_can_still_fill_in_the_gezondheid_step_after_a_withdrawal(setup, login):
    s = setup
    withdraw_consent(actor=s["kim"], consent=active_consent(s["file"], "gezondheid"), withdrawn_on=date.today())
    kim = login("kim")
    response = kim.post(intake_url(s, rest="gezondheid/"), {
        "d_health_consent": "ja", "d_physical": "Hoofdpijn", "d_screen_sleep": "nee", "d_screen_worry": "nee",
        "d_screen_fear": "nee", "d_screen_focus": "nee", "score": "4", "finding": "", "wishes": "", "action": "save",
    })  # fmt: skip
    assert response.status_code == 302
    assert has_consent(s["file"], "gezondheid") is True
    assert "Hoofdpijn" in kim.get(intake_url(s)).content.decode()


# ------------------------------------------------------------------------------------------ the PIP


def test_the_pip_beschikking_carries_no_agreement_about_health(setup):
    s = setup
    version = plan_services.create_draft(actor=s["kim"], client_file=s["file"])
    version.leerroute = "b1"
    version.save(update_fields=["leerroute"])
    PipAgreement.objects.create(version=version, leefgebied="gezondheid", goal="Traumabehandeling bij de GGZ",
                                action="", responsible="klant", position=1)  # fmt: skip
    PipAgreement.objects.create(version=version, leefgebied="taal_inburgering", goal="Taalles volgen", action="",
                                responsible="klant", position=2)  # fmt: skip
    context = plan_services.beschikking_context(s["file"], version, dagtekening_on=date.today())
    assert [(label, [row.goal for row in rows]) for label, rows in context["agreement_groups"]] == [
        ("Taal en inburgering", ["Taalles volgen"])
    ]
    assert context["health_agreements_left_out"] is True
    html = render_to_string("letters/pip_beschikking.html", context)
    assert "Traumabehandeling" not in html
    assert "Afspraken over uw gezondheid staan niet in deze brief." in html


def test_pip_agreements_on_gezondheid_show_only_with_consent_and_survive_an_edit_without_it(setup, login, api):
    s = setup
    version = plan_services.create_draft(actor=s["kim"], client_file=s["file"])
    PipAgreement.objects.create(version=version, leefgebied="gezondheid", goal="Traumabehandeling bij de GGZ",
                                action="", responsible="klant", position=1)  # fmt: skip
    page_url = f"/dossiers/{s['file'].pk}/pip/{version.pk}/"
    api_url = f"/api/v1/clients/{s['file'].pk}/pip-versions/{version.pk}"
    kim, kim_api = login("kim"), api("kim")
    assert "Traumabehandeling" in kim.get(page_url).content.decode()
    assert kim_api.get(api_url).json()["health_agreements_hidden"] is False

    withdraw_consent(actor=s["kim"], consent=active_consent(s["file"], "gezondheid"), withdrawn_on=date.today())

    page = kim.get(page_url).content.decode()
    assert "Traumabehandeling" not in page
    assert HIDDEN in page
    body = kim_api.get(api_url).json()
    assert (body["agreements"], body["health_agreements_hidden"]) == ([], True)
    agreement = {"leefgebied": "taal_inburgering", "goal": "Taalles volgen", "responsible": "klant"}
    saved = kim_api.patch(api_url, {"leerroute": "b1", "agreements": [agreement]})
    assert saved.status_code == 200, saved.content
    assert list(version.agreements.order_by("position").values_list("leefgebied", "goal")) == [
        ("taal_inburgering", "Taalles volgen"), ("gezondheid", "Traumabehandeling bij de GGZ")]  # fmt: skip
    refused = kim_api.patch(api_url, {"agreements": [{**agreement, "leefgebied": "gezondheid"}]})
    assert invalid_params(refused) == {"agreements.0.leefgebied": [
        "Afspraak 1: een afspraak over gezondheid kan alleen met toestemming van de persoon. Kies een ander "
        "leefgebied."]}  # fmt: skip


# ------------------------------------------------------------------------------------------ COA health signals


def test_coa_health_signals_show_only_with_consent_in_the_files_register(actor, login, api):
    kim = actor("kim")
    import_coa_koppelingen(actor=kim, koppelingen=[coa_koppeling(bericht_id="h1", bsn=new_bsn(), health={
        "signalen": "Slaapt slecht sinds de reis.", "toestemming": {"vastgelegd": True, "datum": "2025-11-28"}})],
        via="api")  # fmt: skip
    message = SignalMessage.objects.get(external_id="h1")
    assert message.client_file is not None
    page_url, api_url = f"/signalen/{message.pk}/", f"/api/v1/signals/{message.pk}"
    page = login("kim").get(page_url).content.decode()
    assert "Slaapt slecht" not in page
    assert HIDDEN in page
    body = api("kim").get(api_url).json()
    assert ("gezondheid" in body["payload"], body["health_hidden"]) == (False, True)
    (health,) = [row for row in body["file_signals"] if row["kind"] == "health_signal"]
    assert health["data"] == {}

    record_consent(actor=kim, client_file=message.client_file, purpose="gezondheid", given_on=date(2025, 11, 28),
                   how="Toestemming vastgelegd door het COA")  # fmt: skip
    assert "Slaapt slecht sinds de reis." in login("kim").get(page_url).content.decode()
    body = api("kim").get(api_url).json()
    assert (body["payload"]["gezondheid"]["signalen"], body["health_hidden"]) == ("Slaapt slecht sinds de reis.", False)
    (health,) = [row for row in body["file_signals"] if row["kind"] == "health_signal"]
    assert health["data"]["signalen"] == "Slaapt slecht sinds de reis."
