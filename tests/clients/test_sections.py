"""Need to know (#12 item 1): one check per section of a file, generated from the legal maximum per role, narrowed by
the gemeente, the begeleider's own files only, and health data only with the client's consent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.section_limits import matrix_for, set_section_access
from openinburgering.accounts.sections import LEGAL_MAXIMUM, Access, Section, legal_maximum
from openinburgering.audit.models import AuditEvent
from openinburgering.clients.access import access_section, visible_sections
from openinburgering.clients.consent import record_consent, withdraw_consent
from openinburgering.clients.models import ClientFile, ConsentPurpose
from openinburgering.core.errors import ApplicationError, Conflict, NotFound
from openinburgering.demo.personas import ZANDVOORT

pytestmark = pytest.mark.django_db

# Every Haarlem persona with the role it acts in.
PERSONAS = {
    "kim": "klantregisseur",
    "tamara": "teamleider",
    "frank": "financieel_consulent",
    "carla": "contractmanager",
    "bram": "beleidsmedewerker",
    "anouk": "aanbieder",
    "mira": "maatschappelijk_begeleider",
    "fenna": "functioneel_beheerder",
}


@pytest.fixture
def open_file(make_file: Callable[..., ClientFile], actor: Callable[..., Actor], staff: dict[str, Any]) -> ClientFile:
    """A Haarlem file with the client's health consent recorded and mira as its begeleider."""
    client_file = make_file(assigned_to="kim")
    client_file.begeleider = staff["mira"]
    client_file.save(update_fields=["begeleider"])
    record_consent(
        actor=actor("kim"), client_file=client_file, purpose=ConsentPurpose.GEZONDHEID,
        given_on=date(2025, 8, 1), how="Mondeling in het intakegesprek, met tolk",
    )  # fmt: skip
    return client_file


def allowed(actor: Actor, client_file: ClientFile, section: Section, *, write: bool, person: Any = None) -> bool:
    try:
        access_section(actor, client_file, section, write=write, person=person)
    except NotFound:
        return False
    return True


@pytest.mark.parametrize("username", list(PERSONAS))
@pytest.mark.parametrize("section", list(Section))
def test_each_role_reaches_exactly_its_legal_maximum(
    username: str, section: Section, open_file: ClientFile, actor: Callable[..., Actor]
) -> None:
    maximum = legal_maximum(PERSONAS[username], section)
    who = actor(username)
    assert allowed(who, open_file, section, write=False) is (maximum >= Access.READ)
    assert allowed(who, open_file, section, write=True) is (maximum == Access.WRITE)
    assert (section in visible_sections(who, open_file)) is (maximum >= Access.READ)


def test_the_matrix_follows_the_product_brief() -> None:
    assert legal_maximum("financieel_consulent", Section.GEZONDHEID) == Access.NONE
    assert legal_maximum("financieel_consulent", Section.INTAKE) == Access.NONE
    assert legal_maximum("financieel_consulent", Section.FINANCIEN) == Access.WRITE
    assert legal_maximum("klantregisseur", Section.FINANCIEN) == Access.READ  # reads the ontzorgen status only
    assert set(LEGAL_MAXIMUM["maatschappelijk_begeleider"]) == {Section.BASIS, Section.BEGELEIDING}
    for role in ("aanbieder", "contractmanager", "beleidsmedewerker"):
        assert all(legal_maximum(role, section) == Access.NONE for section in Section)
    assert LEGAL_MAXIMUM["functioneel_beheerder"] == {Section.AUDIT: Access.READ}


def test_health_data_is_closed_without_consent_and_closes_again_when_it_is_withdrawn(
    make_file: Callable[..., ClientFile], actor: Callable[..., Actor]
) -> None:
    kim, tamara = actor("kim"), actor("tamara")
    client_file = make_file(assigned_to="kim")
    person = client_file.person  # health data is a person's; the section itself opens by role (#12 item 1)
    assert allowed(kim, client_file, Section.GEZONDHEID, write=True)
    assert not allowed(kim, client_file, Section.GEZONDHEID, write=False, person=person)
    assert Section.GEZONDHEID not in visible_sections(tamara, client_file)
    consent = record_consent(
        actor=kim, client_file=client_file, purpose="gezondheid", given_on=date(2025, 8, 1), how="Schriftelijk"
    )
    assert allowed(kim, client_file, Section.GEZONDHEID, write=True, person=person)
    withdraw_consent(actor=kim, consent=consent, withdrawn_on=date(2025, 9, 1))
    assert not allowed(kim, client_file, Section.GEZONDHEID, write=False, person=person.pk)
    assert not allowed(tamara, client_file, Section.GEZONDHEID, write=False, person=person)
    assert Section.GEZONDHEID not in visible_sections(tamara, client_file)
    assert list(AuditEvent.objects.filter(client_file=client_file, event_type__startswith="consent_").values_list(
        "event_type", flat=True).order_by("id")) == ["consent_recorded", "consent_revoked"]  # fmt: skip


def test_consent_input_errors_are_clear_and_write_nothing(open_file: ClientFile, actor: Callable[..., Actor]) -> None:
    kim = actor("kim")
    with pytest.raises(Conflict, match=r"^Deze toestemming is al vastgelegd en niet ingetrokken\.$"):
        record_consent(actor=kim, client_file=open_file, purpose="gezondheid", given_on=date(2025, 8, 2), how="x")
    with pytest.raises(ApplicationError, match=r"^Schrijf op hoe de toestemming is gegeven"):
        record_consent(actor=kim, client_file=open_file, purpose="gezondheid", given_on=date(2025, 8, 2), how=" ")
    with pytest.raises(NotFound):
        record_consent(
            actor=actor("frank"), client_file=open_file, purpose="gezondheid", given_on=date(2025, 8, 2), how="x"
        )
    assert open_file.consents.count() == 1


def test_the_begeleider_reaches_only_the_files_assigned_to_them(
    make_file: Callable[..., ClientFile], actor: Callable[..., Actor]
) -> None:
    mira = actor("mira")
    other = make_file(assigned_to="kim")
    assert not allowed(mira, other, Section.BASIS, write=False)
    assert visible_sections(mira, other) == frozenset()


def test_another_gemeente_reaches_no_section(open_file: ClientFile, actor: Callable[..., Actor]) -> None:
    zeynep = actor("zeynep", ZANDVOORT)
    assert not allowed(zeynep, open_file, Section.BASIS, write=False)
    assert visible_sections(zeynep, open_file) == frozenset()


def test_the_gemeente_narrows_a_role_and_cannot_widen_it(open_file: ClientFile, actor: Callable[..., Actor]) -> None:
    fenna = actor("fenna")
    set_section_access(actor=fenna, role_code="klantregisseur", section="financien", access=Access.NONE)
    assert not allowed(actor("kim"), open_file, Section.FINANCIEN, write=False)
    assert allowed(actor("tamara"), open_file, Section.FINANCIEN, write=True)  # other roles keep theirs
    with pytest.raises(ApplicationError, match="ten hoogste 'geen toegang': meer toegang kan de gemeente niet geven"):
        set_section_access(actor=fenna, role_code="financieel_consulent", section="gezondheid", access=Access.READ)
    with pytest.raises(NotFound):
        set_section_access(actor=actor("kim"), role_code="klantregisseur", section="pip", access=Access.READ)
    event = AuditEvent.objects.get(event_type="section_access_changed")
    assert event.changes == {"role": "klantregisseur", "section": "financien", "access": {"old": 1, "new": 0}}
    cell = next(c for c in matrix_for(fenna) if (c.role, c.section) == ("klantregisseur", Section.FINANCIEN))
    assert (cell.maximum, cell.current) == (Access.READ, Access.NONE)


def test_setting_the_same_access_again_changes_and_audits_nothing(actor: Callable[..., Actor]) -> None:
    fenna = actor("fenna")
    set_section_access(actor=fenna, role_code="teamleider", section="pip", access=Access.READ)
    set_section_access(actor=fenna, role_code="teamleider", section="pip", access=Access.READ)
    assert AuditEvent.objects.filter(event_type="section_access_changed").count() == 1


def test_the_functioneel_beheerder_narrows_access_on_a_page(login: Any) -> None:
    fenna = login("fenna")
    page = fenna.get("/account/toegang/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Toegang voor Financieel consulent bij Gezondheid" not in text  # a role never gets what it may not have
    assert 'id="access-financieel_consulent-financien"' in text
    response = fenna.post("/account/toegang/", {"role": "klantregisseur", "section": "pip", "access": "1"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(event_type="section_access_changed").count() == 1
    refused = fenna.post("/account/toegang/", {"role": "financieel_consulent", "section": "gezondheid", "access": "1"})
    assert refused.status_code == 400
    assert "meer toegang kan de gemeente niet geven" in refused.content.decode()
    assert login("kim").get("/account/toegang/").status_code == 404
