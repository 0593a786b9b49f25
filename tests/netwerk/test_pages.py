"""The pages of zorg en netwerk: kim's referral with consent and package, the partner's inbox (isolation, audit,
withdrawal ends access at once), the follow-up on kim's worklist, mira's caseload and begeleiding, the sociale
kaart with CSV, and the contact card as PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile
from openinburgering.core.dates import today
from openinburgering.netwerk.models import BegeleidingEntry, Offer, Referral

pytestmark = pytest.mark.django_db


def file_url(client_file: ClientFile, name: str = "index", **kwargs: Any) -> str:
    return reverse(f"netwerk:{name}", kwargs={"file_id": client_file.pk, **kwargs})


def referral_form(offer: Offer, **overrides: Any) -> dict[str, Any]:
    return {
        "offer": str(offer.pk), "question": "Slaapt slecht, piekert veel.", "urgency": "hoog",
        "sections": ["basis", "gezondheid"], "consent_given_by": "De inburgeraar zelf",
        "consent_given_on": today().isoformat(), "consent_basis": "Mondeling in het gesprek",
        "consent_confirmed": "on", **overrides,
    }  # fmt: skip


def test_kim_refers_with_consent_the_partner_sees_only_the_package_and_loses_it_on_withdrawal(
    login: Callable[..., Any], make_file: Callable[..., ClientFile], ggz_offer: Offer, make_referral: Any
) -> None:
    client_file = make_file(assigned_to="kim")
    make_referral(send=False, client_file=client_file)  # records the health consent in the file, as in the intake
    kim = login("kim")
    assert kim.get(file_url(client_file)).status_code == 200
    assert kim.get(file_url(client_file, "referral-new")).status_code == 200
    response = kim.post(file_url(client_file, "referral-new"), referral_form(ggz_offer))
    assert response.status_code == 302
    referral = Referral.objects.filter(client_file=client_file).order_by("-id").first()
    assert referral is not None
    assert referral.status == "concept"
    assert referral.urgency == "hoog"
    detail = kim.get(response["Location"])
    assert "Praten met een psycholoog" in detail.content.decode()
    assert "Amal Haddad" in detail.content.decode()
    assert kim.post(file_url(client_file, "referral-send", referral_id=referral.pk)).status_code == 302

    gijs, sanne = login("gijs"), login("sanne")
    inbox = gijs.get(reverse("netwerk-partner:inbox")).content.decode()
    assert f'data-referral="{referral.pk}"' in inbox
    assert "Amal Haddad" in inbox
    assert f'data-referral="{referral.pk}"' not in sanne.get(reverse("netwerk-partner:inbox")).content.decode()
    partner_url = reverse("netwerk-partner:referral", kwargs={"referral_id": referral.pk})
    assert sanne.get(partner_url).status_code == 404  # partner B never sees partner A's referral
    assert gijs.get(file_url(client_file)).status_code == 404  # no partner sees a file
    assert gijs.get(reverse("clients:detail", kwargs={"file_id": client_file.pk})).status_code == 404
    page = gijs.get(partner_url)
    assert page.status_code == 200
    assert "Slaapt slecht" in page.content.decode()
    read = AuditEvent.objects.filter(client_file=client_file, event_type="handover_package_viewed").last()
    assert read is not None
    assert read.purpose == f"verwijzing {referral.pk} (warme overdracht)"
    assert read.actor_role == "ketenpartner"

    assert gijs.post(reverse("netwerk-partner:acknowledge", kwargs={"referral_id": referral.pk})).status_code == 302
    step = reverse("netwerk-partner:step", kwargs={"referral_id": referral.pk})
    assert gijs.post(step, {"antwoord-to_status": "geaccepteerd"}).status_code == 302
    refused = gijs.post(step, {"antwoord-to_status": "teruggemeld", "antwoord-message": ""})
    assert refused.status_code == 400
    assert "Schrijf de terugmelding op." in refused.content.decode()
    assert (
        gijs.post(step, {"antwoord-to_status": "teruggemeld", "antwoord-message": "Intake gehad."}).status_code == 302
    )
    referral.refresh_from_db()
    assert referral.status == "teruggemeld"
    assert referral.follow_up_on == today()

    queue = kim.get(reverse("netwerk-team:follow-up")).content.decode()
    assert f'data-referral="{referral.pk}"' in queue
    start = kim.get(reverse("home")).content.decode()
    assert 'data-worklist="referrals"' in start

    withdraw = file_url(client_file, "referral-withdraw", referral_id=referral.pk)
    assert kim.post(withdraw, {"intrekken-withdrawn_on": today().isoformat()}).status_code == 302
    assert gijs.get(partner_url).status_code == 404
    assert f'data-referral="{referral.pk}"' not in gijs.get(reverse("netwerk-partner:inbox")).content.decode()


def test_a_referral_without_consent_gets_a_dutch_error_and_nothing_is_written(
    login: Callable[..., Any], make_file: Callable[..., ClientFile], ggz_offer: Offer
) -> None:
    client_file = make_file(assigned_to="kim")
    response = login("kim").post(
        file_url(client_file, "referral-new"), referral_form(ggz_offer, consent_confirmed="", sections=["basis"])
    )
    assert response.status_code == 400
    assert "Zonder toestemming van de inburgeraar kunt u niet verwijzen." in response.content.decode()
    assert not Referral.objects.filter(client_file=client_file).exists()


def test_health_goes_along_only_with_the_health_consent_of_the_file(
    login: Callable[..., Any], make_file: Callable[..., ClientFile], ggz_offer: Offer
) -> None:
    client_file = make_file(assigned_to="kim")
    response = login("kim").post(file_url(client_file, "referral-new"), referral_form(ggz_offer))
    assert response.status_code == 400
    assert "Gezondheid kan alleen mee" in response.content.decode()


def test_mira_sees_her_caseload_and_the_begeleiding_part_only(
    login: Callable[..., Any], make_file: Callable[..., ClientFile], staff: dict[str, Any]
) -> None:
    mine = make_file(assigned_to="kim")
    mine.begeleider = staff["mira"]
    mine.save(update_fields=["begeleider"])
    other = make_file(assigned_to="kim", person={"given_names": "Yonas", "surname": "Tesfay"})
    mira = login("mira")
    caseload = mira.get(reverse("netwerk-team:begeleiding")).content.decode()
    assert f'data-file="{mine.pk}"' in caseload
    assert f'data-file="{other.pk}"' not in caseload
    assert mira.get(file_url(mine, "begeleiding")).status_code == 200
    assert mira.get(file_url(other, "begeleiding")).status_code == 404
    assert mira.get(reverse("intakes:overview", kwargs={"file_id": mine.pk})).status_code == 404
    posted = mira.post(file_url(mine, "begeleiding"), {
        "begeleiding-kind": "signaal", "begeleiding-on": today().isoformat(),
        "begeleiding-text": "Huurachterstand: graag schuldhulp bespreken.",
    })  # fmt: skip
    assert posted.status_code == 302
    assert BegeleidingEntry.objects.filter(client_file=mine, kind="signaal").count() == 1
    assert AuditEvent.objects.filter(client_file=mine, event_type="begeleiding_recorded").count() == 1
    caseload = mira.get(reverse("netwerk-team:begeleiding")).content.decode()
    assert "Signaal aan de klantregisseur op" in caseload
    assert login("anouk").get(reverse("netwerk-team:begeleiding")).status_code == 404


def test_the_sociale_kaart_is_searched_by_staff_and_managed_by_the_functioneel_beheerder(
    login: Callable[..., Any], partners: Any
) -> None:
    kim, fenna = login("kim"), login("fenna")
    found = kim.get(reverse("sociale-kaart:search"), {"theme": "gezondheid", "language": "tigrinya"}).content.decode()
    assert "Praten met een psycholoog voor nieuwkomers" in found
    assert "Hulp bij schulden" not in found
    assert "CSV inlezen" not in found
    assert kim.get(reverse("sociale-kaart:import")).status_code == 404
    assert login("gijs").get(reverse("sociale-kaart:search")).status_code == 404
    exported = fenna.get(reverse("sociale-kaart:export"))
    assert exported.status_code == 200
    assert exported.content.decode().startswith("organisatie,")
    csv = (
        "organisatie,gedeeld_in_regio,aanbod,leefgebied,doelgroep,talen,contact,adres,plaats,openingstijden,"
        "wachttijd_weken,toelatingscriteria\n"
        "Vrouwencentrum Schalkwijk (fictief),nee,Praatgroep voor vrouwen,sociaal_netwerk,Vrouwen,"
        '"Nederlands, Arabisch",023 000 7700,Fictieweg 7,Haarlem,ma 10-12,0,\n'
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("kaart.csv", csv.encode(), content_type="text/csv")
    assert fenna.post(reverse("sociale-kaart:import"), {"file": upload}).status_code == 302
    assert Offer.objects.filter(name="Praatgroep voor vrouwen").exists()
    wrong = SimpleUploadedFile("kaart.csv", csv.replace("sociaal_netwerk", "dansen").encode())
    response = fenna.post(reverse("sociale-kaart:import"), {"file": wrong})
    assert response.status_code == 400
    assert "Regel 2: Leefgebied &#x27;dansen&#x27; bestaat niet" in response.content.decode()


def test_the_contact_card_prints_as_a_pdf_and_is_audited(
    login: Callable[..., Any], make_file: Callable[..., ClientFile]
) -> None:
    client_file = make_file(assigned_to="kim")
    kim = login("kim")
    posted = kim.post(file_url(client_file, "contact-add"), {
        "contact-role": "school", "contact-about": "School van Sara", "contact-name": "De Regenboog (fictief)",
        "contact-reach": "023 000 8800",
    })  # fmt: skip
    assert posted.status_code == 302
    assert "De Regenboog (fictief)" in kim.get(file_url(client_file)).content.decode()
    pdf = kim.get(file_url(client_file, "contact-card-pdf"))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(client_file=client_file, event_type="contact_card_viewed").count() == 2


def test_kim_assigns_mira_as_begeleider_and_mira_cannot_assign(
    login: Callable[..., Any], make_file: Callable[..., ClientFile], staff: dict[str, Any]
) -> None:
    client_file = make_file(assigned_to="kim")
    kim = login("kim")
    assert 'id="begeleider-title"' in kim.get(file_url(client_file)).content.decode()
    response = kim.post(file_url(client_file, "begeleider-assign"), {"begeleider-begeleider": str(staff["mira"].pk)})
    assert response.status_code == 302
    client_file.refresh_from_db()
    assert client_file.begeleider_id == staff["mira"].pk
    assert AuditEvent.objects.filter(client_file=client_file, event_type="begeleiding_assigned").count() == 1
    wrong = kim.post(file_url(client_file, "begeleider-assign"), {"begeleider-begeleider": str(staff["kim"].pk)})
    assert wrong.status_code == 400
    mira = login("mira")
    assert 'id="begeleider-title"' not in mira.get(file_url(client_file)).content.decode()
    refused = mira.post(file_url(client_file, "begeleider-assign"), {"begeleider-begeleider": ""})
    assert refused.status_code == 404
    client_file.refresh_from_db()
    assert client_file.begeleider_id == staff["mira"].pk


def test_the_file_page_counts_open_referrals_and_contacts_in_one_query(
    login, make_referral, staff, django_assert_num_queries
):
    """#18: the zorg-en-netwerk block of the file page reads both counts in one query; a referral not sent yet is
    not open, and no contact says nothing."""
    from django.utils import timezone

    from openinburgering.netwerk.models import ContactPerson
    from openinburgering.netwerk.templatetags.netwerk_pages import netwerk_section

    referral = make_referral()
    client_file = referral.client_file
    make_referral(client_file=client_file)
    make_referral(client_file=client_file, send=False)
    with django_assert_num_queries(1):
        assert netwerk_section(client_file) == {"client_file": client_file, "open_count": 2, "contact_count": 0}
    page = login("kim").get(f"/dossiers/{client_file.pk}/").content.decode()
    assert "2 verwijzingen loopt." in page
    assert "op de contactkaart" not in page

    ContactPerson.objects.create(
        client_file=client_file, role=ContactPerson._meta.get_field("role").choices[0][0], about="Huisarts",
        name="Dr. Fictief", reach="Telefoon", created_at=timezone.now(), created_by=staff["kim"],
    )  # fmt: skip
    assert "1 contact op de contactkaart." in login("kim").get(f"/dossiers/{client_file.pk}/").content.decode()
