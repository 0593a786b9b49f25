"""Zorg en netwerk in /api/v1/: kim's referral with consent, partner isolation (A never sees B's referrals, no
partner sees a file), the package and nothing else, audit with the referral as purpose, withdrawal ends access,
Dutch errors, begeleiding for mira only on her files, the sociale kaart and the monitoring figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.netwerk.models import Offer, Referral

pytestmark = pytest.mark.django_db


def body(offer: Offer, **overrides: Any) -> dict[str, Any]:
    return {
        "offer": offer.pk, "question": "Slaapt slecht.", "urgency": "normaal", "sections": ["basis"],
        "consent_given_by": "De inburgeraar zelf", "consent_given_on": today().isoformat(),
        "consent_basis": "Mondeling", "consent_confirmed": True, **overrides,
    }  # fmt: skip


def test_referral_through_the_api_with_partner_isolation_audit_and_withdrawal(
    api: Callable[..., Any], make_file: Callable[..., ClientFile], ggz_offer: Offer
) -> None:
    client_file = make_file(assigned_to="kim")
    kim = api("kim")
    created = kim.post(f"/api/v1/clients/{client_file.pk}/referrals", body(ggz_offer))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "concept"
    assert data["consent"]["recipient"] == ggz_offer.organisation.name
    assert data["package"]["sections"] == ["basis"]
    rid = data["id"]
    assert kim.post(f"/api/v1/clients/{client_file.pk}/referrals/{rid}/send").json()["status"] == "verzonden"
    assert kim.post(f"/api/v1/clients/{client_file.pk}/referrals/{rid}/send").status_code == 409

    gijs, sanne = api("gijs"), api("sanne")
    inbox = gijs.get("/api/v1/referral-inbox").json()
    assert [row["id"] for row in inbox["results"]] == [rid]
    assert "client_id" not in inbox["results"][0]
    assert inbox["results"][0]["name"] == "Amal Haddad"
    assert sanne.get("/api/v1/referral-inbox").json()["results"] == []
    assert sanne.get(f"/api/v1/referral-inbox/{rid}").status_code == 404
    assert sanne.post(f"/api/v1/referral-inbox/{rid}/transitions", {"to_status": "geaccepteerd"}).status_code == 404
    assert gijs.get(f"/api/v1/clients/{client_file.pk}").status_code == 404
    assert gijs.get(f"/api/v1/clients/{client_file.pk}/referrals").status_code == 404
    assert kim.get("/api/v1/referral-inbox").status_code == 404  # staff have no inbox

    item = gijs.get(f"/api/v1/referral-inbox/{rid}")
    assert item.status_code == 200
    assert set(item.json()) == {
        "id",
        "offer",
        "name",
        "question",
        "urgency",
        "status",
        "sent_at",
        "answered_at",
        "package",
        "history",
    }
    assert list(item.json()["package"]["content"]) == ["basis"]
    read = AuditEvent.objects.filter(client_file=client_file, event_type="handover_package_viewed").get()
    assert read.purpose == f"verwijzing {rid} (warme overdracht)"
    assert read.via == "api"

    refused = gijs.post(f"/api/v1/referral-inbox/{rid}/transitions", {"to_status": "geweigerd"})
    assert refused.status_code == 400
    assert "Geef de reden van de weigering." in refused.content.decode()
    wrong = gijs.post(f"/api/v1/referral-inbox/{rid}/transitions", {"to_status": "afgerond", "message": "x"})
    assert wrong.status_code == 400
    accepted = gijs.post(f"/api/v1/referral-inbox/{rid}/transitions", {"to_status": "geaccepteerd"})
    assert accepted.json()["status"] == "geaccepteerd"
    assert gijs.post(f"/api/v1/referral-inbox/{rid}/acknowledge").json()["package"]["acknowledged_at"]

    card = kim.get(f"/api/v1/clients/{client_file.pk}/contact-card").json()
    assert any(entry["organisation"] == ggz_offer.organisation.name for entry in card)

    withdrawn = kim.post(f"/api/v1/clients/{client_file.pk}/referrals/{rid}/withdraw-consent", {})
    assert withdrawn.json()["consent"]["withdrawn_on"] == today().isoformat()
    assert gijs.get(f"/api/v1/referral-inbox/{rid}").status_code == 404
    assert gijs.get("/api/v1/referral-inbox").json()["results"] == []
    again = kim.post(f"/api/v1/clients/{client_file.pk}/referrals/{rid}/withdraw-consent", {})
    assert again.status_code == 409


def test_bad_referrals_get_dutch_errors(
    api: Callable[..., Any], make_file: Callable[..., ClientFile], ggz_offer: Offer, make_referral: Any, staff: Any
) -> None:
    client_file = make_file(assigned_to="kim")
    kim = api("kim")
    response = kim.post(f"/api/v1/clients/{client_file.pk}/referrals", body(ggz_offer, consent_confirmed=False))
    assert response.status_code == 400
    assert "Zonder toestemming van de inburgeraar kunt u niet verwijzen." in response.content.decode()
    from openinburgering.accounts.models import Gemeente
    from openinburgering.netwerk.models import Organisation

    elsewhere = Gemeente.objects.exclude(region_id=client_file.gemeente.region_id).first()
    far = Offer.objects.create(
        organisation=Organisation.objects.create(name="Ver weg (fictief)", gemeente=elsewhere), name="X",
        theme="gezondheid",
    )  # fmt: skip
    response = kim.post(f"/api/v1/clients/{client_file.pk}/referrals", body(far))
    assert response.status_code == 400
    assert "hoort niet bij de sociale kaart van uw gemeente of arbeidsmarktregio" in response.content.decode()
    assert not Referral.objects.filter(client_file=client_file).exists()

    referral = make_referral(send=False)
    path = f"/api/v1/clients/{referral.client_file_id}/referrals/{referral.pk}"
    assert kim.post(f"{path}/withdraw-consent", {}).status_code == 200
    response = kim.post(f"{path}/send")
    assert response.status_code == 400
    assert "De toestemming voor deze verwijzing is ingetrokken." in response.content.decode()


def test_begeleiding_and_caseload_for_mira_only_on_her_files(
    api: Callable[..., Any], make_file: Callable[..., ClientFile], staff: dict[str, Any]
) -> None:
    mine = make_file(assigned_to="kim")
    mine.begeleider = staff["mira"]
    mine.save(update_fields=["begeleider"])
    other = make_file(assigned_to="kim")
    mira = api("mira")
    entry = {"kind": "contact", "on": today().isoformat(), "text": "Samen naar de bank geweest."}
    assert mira.post(f"/api/v1/clients/{mine.pk}/begeleiding", entry).status_code == 201
    assert mira.post(f"/api/v1/clients/{other.pk}/begeleiding", entry).status_code == 404
    assert [e["kind"] for e in mira.get(f"/api/v1/clients/{mine.pk}/begeleiding").json()] == ["contact"]
    assert mira.get(f"/api/v1/clients/{mine.pk}/pip").status_code == 404
    caseload = mira.get("/api/v1/begeleiding/caseload").json()["results"]
    assert [row["client_id"] for row in caseload] == [mine.pk]
    assert caseload[0]["latest_kind"] == "contact"
    assert api("kim").get("/api/v1/begeleiding/caseload").status_code == 403


def test_sociale_kaart_and_figures(api: Callable[..., Any], make_referral: Any) -> None:
    kim, fenna = api("kim"), api("fenna")
    found = kim.get("/api/v1/sociale-kaart/offers", {"theme": "gezondheid", "language": "Tigrinya"}).json()
    assert [o["name"] for o in found["results"]] == ["Praten met een psycholoog voor nieuwkomers"]
    assert api("gijs").get("/api/v1/sociale-kaart/offers").status_code == 403
    new = {"organisatie": "Repair Café Haarlem (fictief)", "aanbod": "Samen repareren", "leefgebied": "sociaal_netwerk"}
    assert kim.post("/api/v1/sociale-kaart/offers", new).status_code == 403
    created = fenna.post("/api/v1/sociale-kaart/offers", new)
    assert created.status_code == 201
    assert created.json()["shared_in_region"] is False
    changed = api("fenna").send(
        "PUT", f"/api/v1/sociale-kaart/offers/{created.json()['id']}", {**new, "plaats": "Haarlem"}
    )
    assert changed.json()["place"] == "Haarlem"

    referral = make_referral()
    api("gijs").post(f"/api/v1/referral-inbox/{referral.pk}/transitions", {"to_status": "geaccepteerd"})
    figures = api("tamara").get("/api/v1/netwerk/figures")
    assert figures.status_code == 200
    assert figures.json()["by_theme"] == [{"theme": "gezondheid", "theme_label": "Gezondheid", "count": 1}]
    partner = figures.json()["partners"][0]
    assert partner["accepted"] == 1
    assert partner["acceptance_percent"] == 100
    assert kim.get("/api/v1/netwerk/figures").status_code == 403
