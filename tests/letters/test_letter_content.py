"""What every letter tells the person (issue #11 item 7): the gemeente's contact block, the bezwaar address on
every beschikking, the boetebeschikking in its own words with how and by when to pay, no staff labels, boxes that
never split over two pages. Every letter kind is made through its real service."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from openinburgering import rules
from openinburgering.accounts.models import Gemeente
from openinburgering.core.dates import today
from openinburgering.demo.personas import HAARLEM
from openinburgering.handhaving import services as handhaving
from openinburgering.intakes import services as intakes
from openinburgering.letters.models import Letter, LetterKind, LetterSettings
from openinburgering.letters.payment import betalingskenmerk
from openinburgering.letters.services import render_pdf
from tests.handhaving.conftest import PROPOSAL, fine_file, proposal_data  # noqa: F401 -- fixture by name
from tests.intakes.helpers import fail, plan
from tests.ontzorgen.conftest import obligation, ontzorgen_file  # noqa: F401 -- fixtures by name
from tests.plans.conftest import draft_ready, pip_file, vastgesteld  # noqa: F401 -- fixtures by name

pytestmark = pytest.mark.django_db

BESCHIKKINGEN = {LetterKind.PIP_BESCHIKKING, LetterKind.BOETE_W23}
SETTINGS = {
    "team_name": "Team Inburgering en Participatie",
    "phone": "14 023",
    "email": "inburgering@haarlem.example",
    "contact_hours": "Op werkdagen van 9.00 tot 17.00 uur",
    "postal_address": "Postbus 511\n2003 PB Haarlem",
    "visiting_address": "Zijlvest 39\n2011 VB Haarlem",
    "bezwaar_address": (
        "College van burgemeester en wethouders\nt.a.v. Team Bezwaar en Beroep\nPostbus 3700\n2001 DA Haarlem"
    ),
    "iban": "NL91ABNA0417164300",
    "iban_name": "Gemeente Haarlem, Belastingen",
}


def text_of(letter: Letter) -> str:
    """The PDF's text with runs of whitespace made one space (non-breaking spaces kept apart as \\u00a0)."""
    reader = PdfReader(io.BytesIO(bytes(letter.content)))
    raw = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(raw.replace("\u00a0", "\x00").split()).replace("\x00", "\u00a0")


def flat(text: str) -> str:
    return text.replace("\u00a0", " ")


@pytest.fixture
def with_settings() -> LetterSettings:
    return LetterSettings.objects.create(gemeente=Gemeente.objects.get(code=HAARLEM), **SETTINGS)


@pytest.fixture
def every_letter(actor, make_file, fine_file, ontzorgen_file, obligation):  # noqa: F811 -- fixtures imported by name
    """One letter of each kind, each through its own service."""
    kim = actor("kim")
    letters: dict[str, Letter] = {}
    intake_file = make_file(assigned_to="kim")
    call, letters[LetterKind.OPROEP] = plan(kim, intake_file)
    call, letters[LetterKind.WAARSCHUWING] = plan(kim, intake_file) if fail(kim, intake_file, call) else (None, None)
    call, letters[LetterKind.BOETE_NIEUWE_TERMIJN] = plan(kim, fail(kim, intake_file, call).client_file)
    fail(kim, intake_file, call)
    letters[LetterKind.INTAKE_IN_AFWEZIGHEID] = intakes.create_absence_letter(actor=kim, client_file=intake_file)
    lbt_file = make_file(assigned_to="kim")
    plan(kim, lbt_file)
    _lbt, letters[LetterKind.LBT_UITNODIGING] = intakes.plan_lbt(
        actor=kim, client_file=lbt_file, planned_at=timezone.now() + timedelta(days=3), location="Stadhuis",
        send_letter=True,
    )  # fmt: skip
    client_file = fine_file(doelgroep="asielstatushouder")
    letters[LetterKind.PIP_BESCHIKKING] = Letter.objects.get(client_file=client_file, kind=LetterKind.PIP_BESCHIKKING)
    proposal = handhaving.propose_fine(actor=kim, client_file=client_file, data=proposal_data())
    decision = handhaving.decide_fine(
        actor=actor("tamara"), client_file=client_file, proposal=proposal, outcome="opgelegd",
        reason="Intern: teamleider akkoord, evenredig.",
    )  # fmt: skip
    letters[LetterKind.BOETE_W23] = decision.letter
    letters[LetterKind.ONTZORGEN_EINDE] = _end_of_ontzorgen_letter(actor("frank"), ontzorgen_file, obligation)
    assert set(letters) == set(LetterKind.values)
    return letters


def _end_of_ontzorgen_letter(frank, make_ontzorgen_file, make_obligation) -> Letter:
    """The letter of the last step of begeleid loslaten (#13), through the loslaten services."""
    from openinburgering.ontzorgen import loslaten
    from openinburgering.ontzorgen.periods import month_start
    from openinburgering.rules.dates import add_months

    start = month_start(add_months(today(), -5))
    client_file = make_ontzorgen_file(start=start)
    huur = make_obligation(client_file, start_on=start)
    steps = loslaten.plan_loslaten(actor=frank, client_file=client_file, data={"obligation": huur.pk})
    done = loslaten.complete_step(actor=frank, client_file=client_file, step=steps[-1], data={}, today=today())
    return Letter.objects.get(pk=done.letter_id)


def test_every_letter_has_the_contact_block_from_the_settings(with_settings, every_letter):
    for kind, letter in every_letter.items():
        text = flat(text_of(letter))
        for expected in ("Contact met de gemeente", "Bel ons 14 023", "Op werkdagen van 9.00 tot 17.00 uur",
                         "Mail ons inburgering@haarlem.example", "Postbus 511 2003 PB Haarlem",
                         "Kom langs Zijlvest 39 2011 VB Haarlem", "Team Inburgering en Participatie"):  # fmt: skip
            assert expected in text, (kind, expected)


def test_every_beschikking_says_where_to_send_a_bezwaar(with_settings, every_letter):
    address = "College van burgemeester en wethouders t.a.v. Team Bezwaar en Beroep Postbus 3700 2001 DA Haarlem"
    for kind, letter in every_letter.items():
        text = flat(text_of(letter))
        assert (f"Stuur uw bezwaar naar: {address}" in text) is (kind in BESCHIKKINGEN), kind


def test_without_settings_every_letter_still_says_how_to_reach_the_gemeente(every_letter):
    for kind, letter in every_letter.items():
        text = flat(text_of(letter))
        assert (
            "Bel de gemeente Haarlem en vraag naar team inburgering. Het telefoonnummer en het adres van de gemeente "
            "staan op de website van de gemeente Haarlem." in text
        ), kind
        if kind in BESCHIKKINGEN:
            assert (
                "Stuur uw bezwaar naar: Het college van burgemeester en wethouders van de gemeente Haarlem. Het adres "
                "staat op de website van de gemeente Haarlem." in text
            ), kind
    fine = flat(text_of(every_letter[LetterKind.BOETE_W23]))
    assert "Het rekeningnummer staat nog niet in deze brief. Bel of mail ons voor het rekeningnummer." in fine


def test_the_fine_letter_has_none_of_the_internal_reasoning(every_letter):
    text = flat(text_of(every_letter[LetterKind.BOETE_W23]))
    internal = [PROPOSAL["facts"], PROPOSAL["reasoning"], PROPOSAL["keren_reasoning"],
                "Intern: teamleider akkoord", "evenredig", "Geen opzet en geen grove schuld", "Onze uitleg",
                "Reden: Doet niet mee"]  # fmt: skip
    for phrase in internal:
        assert phrase not in text, phrase
    for fragment in ("Drie keer niet naar de PVT", "waarschuwing gestuurd", "persistente", "drempel"):
        assert fragment.lower() not in text.lower(), fragment


def test_the_fine_letter_says_in_plain_words_what_happened_and_why_this_amount(every_letter):
    text = flat(text_of(every_letter[LetterKind.BOETE_W23]))
    established = today().strftime("%-d")
    for expected in (
        "U krijgt een boete van € 25,00. U moet deze boete betalen.",
        "In uw PIP staat dat u meedoet aan het participatieverklaringstraject (PVT). Dat heeft u niet gedaan.",
        f"Wij hebben dit vastgesteld op {established} ",
        "Boete voor het niet nakomen van het PIP € 50,00",
        "Deel dat u betaalt 50 procent",
        "Dit is uw eerste boete voor het PIP. Daarom is de boete € 50,00.",
        "U deed het niet met opzet. Maar u had het wel kunnen voorkomen. Daarom betaalt u de helft (50 procent) "
        "van de boete.",
    ):
        assert expected in text, expected


def test_the_fine_letter_says_how_and_by_when_to_pay(with_settings, every_letter):
    letter = every_letter[LetterKind.BOETE_W23]
    text = text_of(letter)
    plain = flat(text)
    pay_by = rules.betalingstermijn(bekendgemaakt_on=letter.created_at.date()).pay_by_on
    proposal_id = int(letter.subject_id)
    reference = betalingskenmerk(gemeente_code=HAARLEM, fine_id=proposal_id)
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
              "november", "december"]  # fmt: skip
    pay_by_text = f"{pay_by.day} {months[pay_by.month - 1]} {pay_by.year}"
    for expected in (
        "Bedrag € 25,00",
        "Rekeningnummer (IBAN) NL91 ABNA 0417 1643 00",
        "Ten name van Gemeente Haarlem, Belastingen",
        f"Betalingskenmerk {reference}",
        f"Betaal uiterlijk op {pay_by_text}",
        "artikel 4:87 van de Algemene wet bestuursrecht",
    ):
        assert expected in plain, expected
    assert "€\u00a025,00" in text  # the amount never breaks over a line


def test_the_pip_beschikking_uses_client_words_not_staff_labels(every_letter):
    text = flat(text_of(every_letter[LetterKind.PIP_BESCHIKKING]))
    for staff_label in ("De persoon zelf", "Taal- of participatieaanbieder", "Ketenpartner", "Doel Wat Wie Wanneer"):
        assert staff_label not in text, staff_label
    assert "Doel Wat gaat er gebeuren? Wie doet het? Wanneer klaar? Werk vinden Solliciteren U 1 januari 2027" in text


def test_money_in_the_intake_letters_does_not_break(every_letter):
    text = text_of(every_letter[LetterKind.WAARSCHUWING])
    assert "boete van €\u00a0250,00" in text


BOX_TEMPLATE = (
    '{% extends "letters/base_letter.html" %}{% block body %}'
    "{% for line in filler %}<p>Regel {{ line }} van de tekst voor het vak.</p>{% endfor %}"
    '<div class="box"><p>BEGIN-VAK</p>{% for line in box %}<p>Regel {{ line }} in het vak.</p>{% endfor %}'
    "<p>EINDE-VAK</p></div>{% endblock %}"
)


@pytest.fixture
def box_template(settings, tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "box_test.html").write_text(BOX_TEMPLATE)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    return "letters/box_test.html"


def test_a_box_never_splits_over_two_pages(box_template, make_file, actor):
    """Wherever the page ends, the whole box is on one page (break-inside: avoid)."""
    from openinburgering.letters.services import letter_context

    client_file = make_file()
    split = []
    for filler in range(4, 18):
        context = letter_context(actor=actor("kim"), client_file=client_file,
                                 context={"title": "Vak", "filler": range(filler), "box": range(8)})  # fmt: skip
        reader = PdfReader(io.BytesIO(render_pdf(box_template, context)))
        pages = [page.extract_text() for page in reader.pages]
        begin = next(index for index, page in enumerate(pages) if "BEGIN-VAK" in page)
        end = next(index for index, page in enumerate(pages) if "EINDE-VAK" in page)
        if begin != end:
            split.append(filler)
    assert split == []
