"""Handhaving pages: permission matrix, audit of reads, the proposal form with "Bereken", Keren, four eyes, the
decision, bezwaar, achievements, the extension check, the queue, and constant query counts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from openinburgering.accounts.section_limits import set_section_access
from openinburgering.accounts.sections import Access
from openinburgering.audit.models import AuditEvent
from openinburgering.core.dates import today
from openinburgering.demo.personas import HAARLEM, ZANDVOORT
from openinburgering.handhaving import services
from openinburgering.handhaving.models import Achievement, FineBezwaar, FineDecision, FineProposal
from openinburgering.plans.services import termijn_of

from .conftest import proposal_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(fine_file, actor):
    client_file = fine_file()
    proposal = services.propose_fine(actor=actor("kim"), client_file=client_file, data=proposal_data())
    return client_file, proposal


def reads(client_file) -> int:
    return AuditEvent.objects.filter(client_file=client_file, event_type="handhaving_viewed").count()


def state() -> tuple[int, ...]:
    return (FineProposal.objects.count(), FineDecision.objects.count(), FineBezwaar.objects.count(),
            Achievement.objects.count())  # fmt: skip


def form_post(prefix: str, **data: object) -> dict[str, object]:
    return {f"{prefix}-{key}" if prefix else key: value for key, value in data.items()}


def page_urls(client_file, proposal) -> dict[str, str]:
    return {
        "index": reverse("handhaving:index", kwargs={"file_id": client_file.pk}),
        "proposal": reverse("handhaving:proposal", kwargs={"file_id": client_file.pk, "proposal_id": proposal.pk}),
    }


@pytest.mark.parametrize(("username", "gemeente", "status"), [
    ("kim", HAARLEM, 200), ("tamara", HAARLEM, 200), ("frank", HAARLEM, 404),  # frank: no handhaving (#12 item 1)
    ("zeynep", ZANDVOORT, 404), ("anouk", HAARLEM, 404), ("fenna", HAARLEM, 404),
])  # fmt: skip
def test_read_pages_permission_matrix(setup, login, username, gemeente, status):
    client_file, proposal = setup
    for url in page_urls(client_file, proposal).values():
        before = reads(client_file)
        response = login(username, gemeente).get(url)
        assert response.status_code == status, (username, url)
        assert reads(client_file) == before + (1 if status == 200 else 0)


def test_who_may_only_read_handhaving_gets_no_forms(setup, login, actor):
    """The gemeente narrows the teamleider to reading handhaving (#12 item 1): she reads both pages, without the
    propose link and the forms (achievement, decide) whose posts would answer 404."""
    client_file, proposal = setup
    set_section_access(actor=actor("fenna"), role_code="teamleider", section="handhaving", access=Access.READ)
    file_kwargs = {"file_id": client_file.pk}
    decide = reverse("handhaving:decide", kwargs={**file_kwargs, "proposal_id": proposal.pk})
    actions = [reverse(f"handhaving:{name}", kwargs=file_kwargs) for name in ("propose", "achievement")] + [decide]
    tamara = login("tamara")
    before = state()
    for url in page_urls(client_file, proposal).values():
        response = tamara.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert [action for action in actions if f'"{action}"' in html] == [], url
    assert tamara.post(decide, {"decide-outcome": "afgezien", "decide-reason": "x"}).status_code == 404
    assert state() == before


def test_propose_page_only_for_who_may_change(setup, login):
    client_file, _ = setup
    url = reverse("handhaving:propose", kwargs={"file_id": client_file.pk})
    assert login("kim").get(url).status_code == 200
    assert login("frank").get(url).status_code == 404
    assert login("zeynep", ZANDVOORT).get(url).status_code == 404


def test_anonymous_is_sent_to_login_everywhere(setup):
    client_file, proposal = setup
    urls = [*page_urls(client_file, proposal).values(), reverse("handhaving-team:queue"),
            reverse("handhaving:propose", kwargs={"file_id": client_file.pk})]  # fmt: skip
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302, url
        assert "/account/inloggen/" in response["Location"], url


@pytest.mark.parametrize(("username", "gemeente"), [("frank", HAARLEM), ("zeynep", ZANDVOORT), ("anouk", HAARLEM),
                                                    ("fenna", HAARLEM)])  # fmt: skip
def test_changes_are_404_without_the_right_and_change_nothing(setup, login, username, gemeente):
    client_file, proposal = setup
    before = state()
    client = login(username, gemeente)
    kw = {"file_id": client_file.pk, "proposal_id": proposal.pk}
    assert client.post(reverse("handhaving:propose", kwargs={"file_id": client_file.pk}),
                       proposal_data()).status_code == 404  # fmt: skip
    assert client.post(reverse("handhaving:achievement", kwargs={"file_id": client_file.pk}),
                       form_post("achievement", kind="pvt", achieved_on=today())).status_code == 404  # fmt: skip
    assert client.post(reverse("handhaving:decide", kwargs=kw),
                       form_post("decision", outcome="afgezien", reason="x")).status_code == 404  # fmt: skip
    assert client.get(reverse("handhaving-team:queue")).status_code == 404
    assert state() == before


def test_kim_cannot_decide_and_tamara_cannot_decide_her_own(setup, login, fine_file, actor):
    client_file, proposal = setup
    kw = {"file_id": client_file.pk, "proposal_id": proposal.pk}
    assert login("kim").post(reverse("handhaving:decide", kwargs=kw),
                             form_post("decision", outcome="opgelegd")).status_code == 404  # fmt: skip
    assert login("kim").get(reverse("handhaving-team:queue")).status_code == 404
    own = services.propose_fine(actor=actor("tamara"), client_file=client_file, data=proposal_data())
    kw_own = {"file_id": client_file.pk, "proposal_id": own.pk}
    page = login("tamara").get(reverse("handhaving:proposal", kwargs=kw_own)).content.decode()
    assert "zelf voorgesteld" in page
    assert 'name="decision-outcome"' not in page
    response = login("tamara").post(
        reverse("handhaving:decide", kwargs=kw_own), form_post("decision", outcome="opgelegd")
    )
    assert response.status_code == 400
    assert "vier ogen" in response.content.decode()
    assert not FineDecision.objects.exists()


def test_propose_bereken_shows_the_amount_then_saves(fine_file, login):
    client_file = fine_file(doelgroep="gezinsmigrant")
    url = reverse("handhaving:propose", kwargs={"file_id": client_file.pk})
    data = {**proposal_data(culpability="grove_schuld"), "established_on": today().isoformat()}
    data.pop("persistent_onwil")
    data.pop("keren_reasoning")
    response = login("kim").post(url, {**data, "calculate": "1"})
    assert response.status_code == 200
    assert "€ 37.50" in response.content.decode() or "€ 37,50" in response.content.decode()
    assert not FineProposal.objects.exists()
    response = login("kim").post(url, data)
    assert response.status_code == 302
    proposal = FineProposal.objects.get()
    assert proposal.amount == Decimal("37.50")
    assert proposal.reasoning == data["reasoning"]


def test_propose_errors_rerender_with_summary_and_keren(fine_file, login):
    client_file = fine_file()
    url = reverse("handhaving:propose", kwargs={"file_id": client_file.pk})
    page = login("kim").get(url).content.decode()
    assert "Keren" in page
    assert "C-158/23" in page
    assert 'name="persistent_onwil"' in page
    response = login("kim").post(url, {"ground": "pvt", "culpability": "normaal", "established_on": today()})
    body = response.content.decode()
    assert response.status_code == 400
    assert "<title>Fout: " in body
    assert "Schrijf de motivering op" in body
    assert "persistente onwil" in body.lower()
    assert not FineProposal.objects.exists()


def test_decide_opgelegd_and_bezwaar_through_the_pages(setup, login):
    client_file, proposal = setup
    kw = {"file_id": client_file.pk, "proposal_id": proposal.pk}
    response = login("tamara").post(reverse("handhaving:decide", kwargs=kw),
                                    form_post("decision", outcome="opgelegd", reason=""))  # fmt: skip
    assert response.status_code == 302
    decision = FineDecision.objects.get()
    assert decision.letter_id is not None
    assert decision.decided_by.username == "tamara"
    bezwaar_url = reverse("handhaving:bezwaar", kwargs={**kw, "decision_id": decision.pk})
    prefix = f"bezwaar-{decision.pk}"
    bad = login("kim").post(bezwaar_url, form_post(prefix, received_on="", grounds=""))
    assert bad.status_code == 400
    assert "Fout: " in bad.content.decode()
    ok = login("kim").post(bezwaar_url, form_post(prefix, received_on=today().isoformat(), grounds="Ziek"))
    assert ok.status_code == 302
    assert FineBezwaar.objects.get().on_time is True
    page = login("kim").get(reverse("handhaving:proposal", kwargs=kw)).content.decode()  # reads, does not decide
    assert "Besluit boete (pdf)" in page
    assert "op tijd" in page
    assert 'name="decision-outcome"' not in page


def test_achievement_and_voldaan_section(fine_file, login):
    client_file = fine_file(doelgroep="gezinsmigrant")
    url = reverse("handhaving:index", kwargs={"file_id": client_file.pk})
    post = reverse("handhaving:achievement", kwargs={"file_id": client_file.pk})
    bad = login("kim").post(post, form_post("achievement", kind="exam", exam_part="lezen", achieved_on=today()))
    assert bad.status_code == 400
    assert "Kies het niveau" in bad.content.decode()
    assert login("kim").post(post, form_post("achievement", kind="pvt", achieved_on=today())).status_code == 302
    page = login("kim").get(url).content.decode()
    assert "Nog niet." in page
    assert "Module arbeidsmarkt en participatie (MAP) afgerond" in page
    assert "Participatieverklaringstraject (PVT) ondertekend" not in page.split('id="ontbreekt"')[1].split("</ul>")[0]


def test_extension_check_on_the_page(fine_file, login):
    client_file = fine_file(doelgroep="gezinsmigrant")
    url = reverse("handhaving:index", kwargs={"file_id": client_file.pk})
    termijn = termijn_of(client_file)
    assert termijn is not None
    page = login("kim").get(url).content.decode()
    assert "de aanvraag kan op die dag niet" in page
    assert "nog te vroeg" in page
    later = (termijn.termijn_end_on - timedelta(days=10)).isoformat()
    page = login("kim").get(url, {"requested_on": later, "lesson_hours": "500"}).content.decode()
    assert "de aanvraag kan nu worden gedaan" in page
    assert "De PVT is nog niet klaar." in page
    bad = login("kim").get(url, {"requested_on": "gisteren"}).content.decode()
    assert "<title>Fout: " in bad


def test_queue_lists_undecided_proposals_of_the_gemeente(setup, login, fine_file, actor):
    client_file, proposal = setup
    other = fine_file(doelgroep="gezinsmigrant")
    decided = services.propose_fine(actor=actor("kim"), client_file=other, data=proposal_data())
    services.decide_fine(actor=actor("tamara"), client_file=other, proposal=decided, outcome="afgezien", reason="x")
    response = login("tamara").get(reverse("handhaving-team:queue"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("handhaving:proposal", kwargs={"file_id": client_file.pk, "proposal_id": proposal.pk}) in body
    assert f"proposal_id={decided.pk}" not in body
    assert f"/boetes/{decided.pk}/" not in body
    assert AuditEvent.objects.filter(event_type="fine_queue_viewed").count() == 1


def test_file_page_links_to_handhaving(setup, login):
    client_file, _ = setup
    link = reverse("handhaving:index", kwargs={"file_id": client_file.pk})
    # The PIP block, with its link to handhaving, shows only to who may read the PIP (need to know, #12 item 1):
    # the financieel consulent sees the basis of the file and no link to what is closed to him.
    detail = login("kim").get(reverse("clients:detail", kwargs={"file_id": client_file.pk}))
    assert link in detail.content.decode()
    frank = login("frank").get(reverse("clients:detail", kwargs={"file_id": client_file.pk}))
    assert frank.status_code == 200
    assert link not in frank.content.decode()


def test_pages_use_a_constant_number_of_queries(fine_file, actor, login, django_assert_max_num_queries):
    client_file = fine_file(doelgroep="gezinsmigrant")

    def grow() -> None:
        proposal = services.propose_fine(actor=actor("kim"), client_file=client_file, data=proposal_data())
        decision = services.decide_fine(actor=actor("tamara"), client_file=client_file, proposal=proposal,
                                        outcome="opgelegd")  # fmt: skip
        services.register_fine_bezwaar(actor=actor("kim"), client_file=client_file, decision=decision,
                                       received_on=today(), grounds="x")  # fmt: skip
        services.record_achievement(
            actor=actor("kim"),
            client_file=client_file,
            data={"kind": "exam", "exam_part": "lezen", "level": "A2", "achieved_on": today()},
        )

    counts = []
    for _ in range(2):
        grow()
        grow()
        client = login("tamara")
        with django_assert_max_num_queries(40) as ctx:
            assert client.get(reverse("handhaving:index", kwargs={"file_id": client_file.pk})).status_code == 200
        counts.append(len(ctx.captured_queries))
        with django_assert_max_num_queries(40):
            assert client.get(reverse("handhaving-team:queue")).status_code == 200
    assert counts[0] == counts[1]
