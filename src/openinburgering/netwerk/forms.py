"""Forms of zorg en netwerk. They parse input; ``netwerk.services``, ``netwerk.begeleiding`` and ``netwerk.kaart``
decide, and their Dutch errors are put back on these fields with ``clients.forms.run_form_service``."""

from __future__ import annotations

from typing import Any

from django import forms

from openinburgering.core.widgets import LongSelect, RadioButtons
from openinburgering.intakes.choices import Leefgebied

from .models import BegeleidingKind, BuddyKind, ContactRole, Offer, Organisation, Urgency
from .package import PACKAGE_SECTIONS

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
DATE = {**TEXT, "type": "date"}
AREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
DATE_ERRORS = {"invalid": "Vul een bestaande datum in, bijvoorbeeld 15-03-2027."}


def _by_service(field: forms.Field) -> forms.Field:
    field.required_by_service = True  # type: ignore[attr-defined]  # read by partials/field.html
    return field


def _date(label: str, help_text: str = "", *, service: bool = False) -> forms.Field:
    field = forms.DateField(
        label=label, help_text=help_text, required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), error_messages=DATE_ERRORS,
    )  # fmt: skip
    return _by_service(field) if service else field


class ReferralForm(forms.Form):
    """A new referral: the offer, the question, the data set and the client's consent for exactly this."""

    offer = _by_service(
        forms.ChoiceField(label="Aanbod van de sociale kaart", required=False, widget=LongSelect(SELECT))
    )
    question = _by_service(
        forms.CharField(
            label="Hulpvraag", help_text="Wat vraagt u de organisatie? Schrijf het kort en duidelijk op.",
            required=False, max_length=2_000, widget=forms.Textarea(attrs=AREA),
        )
    )  # fmt: skip
    urgency = forms.ChoiceField(
        label="Urgentie", choices=Urgency.choices, initial=Urgency.NORMAAL, widget=RadioButtons()
    )
    follow_up_on = _date(
        "Opvolgen op", "Dan staat de verwijzing op uw caseload. Leeg: na de antwoordtermijn van de gemeente."
    )
    sections = forms.MultipleChoiceField(
        label="Welke gegevens gaan mee in de warme overdracht?",
        help_text="Alleen wat nodig is. Gezondheid kan alleen mee met toestemming voor gezondheid in het dossier.",
        choices=[(str(code), label) for code, label in PACKAGE_SECTIONS.items()], required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
    )  # fmt: skip
    consent_given_by = _by_service(
        forms.CharField(
            label="Toestemming gegeven door",
            help_text="Bijvoorbeeld: de inburgeraar zelf, of de wettelijk vertegenwoordiger.",
            required=False, max_length=200, widget=forms.TextInput(attrs=TEXT),
        )
    )  # fmt: skip
    consent_given_on = _date("Toestemming gegeven op", service=True)
    consent_basis = _by_service(
        forms.CharField(
            label="Hoe is de toestemming gegeven?",
            help_text="Bijvoorbeeld: mondeling in het gesprek, of op papier getekend.",
            required=False, max_length=200, widget=forms.TextInput(attrs=TEXT),
        )
    )  # fmt: skip
    consent_confirmed = _by_service(
        forms.BooleanField(
            label=(
                "De inburgeraar geeft toestemming om deze gegevens voor deze verwijzing aan deze organisatie te geven."
            ),
            required=False,
            widget=forms.CheckboxInput(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
        )
    )  # fmt: skip

    def __init__(self, *args: Any, offers: list[Offer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["offer"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Kies een aanbod")] + [
            (str(offer.pk), f"{offer.name}, {offer.organisation.name} ({offer.get_theme_display()})")
            for offer in offers
        ]


class WithdrawForm(forms.Form):
    withdrawn_on = _date("Ingetrokken op", "De dag waarop de inburgeraar de toestemming introk.", service=True)


class FollowUpForm(forms.Form):
    follow_up_on = _date("Volgende keer opvolgen op", "Leeg laten als u de verwijzing niet meer hoeft op te volgen.")


class PartnerAnswerForm(forms.Form):
    """The partner's answer; the button chooses the step (``to_status``)."""

    to_status = forms.CharField(widget=forms.HiddenInput(), required=True)
    message = forms.CharField(
        label="Reden of terugmelding",
        help_text="Nodig bij weigeren, afronden en terugmelden. Alleen wat de klantregisseur moet weten.",
        required=False, max_length=2_000, widget=forms.Textarea(attrs=AREA),
    )  # fmt: skip


class BegeleidingForm(forms.Form):
    kind = _by_service(forms.ChoiceField(label="Wat legt u vast?", choices=BegeleidingKind.choices, required=False,
                                         widget=RadioButtons()))  # fmt: skip
    on = _date("Datum", "Alleen een activiteit kan in de toekomst liggen.", service=True)
    text = _by_service(
        forms.CharField(label="Omschrijving", help_text="Kort. Geen medische gegevens.", required=False,
                        max_length=2_000, widget=forms.Textarea(attrs=AREA))
    )  # fmt: skip


class BuddyForm(forms.Form):
    kind = _by_service(forms.ChoiceField(label="Soort vrijwilliger", choices=BuddyKind.choices, required=False,
                                         widget=RadioButtons()))  # fmt: skip
    organisation = _by_service(forms.ChoiceField(label="Via organisatie", required=False, widget=LongSelect(SELECT)))
    volunteer_name = _by_service(forms.CharField(label="Naam vrijwilliger", required=False, max_length=200,
                                                 widget=forms.TextInput(attrs=TEXT)))  # fmt: skip
    volunteer_contact = _by_service(
        forms.CharField(label="Telefoon of e-mail van de vrijwilliger", required=False, max_length=200,
                        help_text="Meer gegevens van de vrijwilliger slaan we niet op.",
                        widget=forms.TextInput(attrs=TEXT))
    )  # fmt: skip
    started_on = _date("Start", service=True)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Kies een organisatie")] + [(str(o.pk), o.name) for o in organisations]


class BuddyEndForm(forms.Form):
    ended_on = _date("Einde", service=True)


class ContactForm(forms.Form):
    role = _by_service(forms.ChoiceField(label="Wie is het?", choices=[("", "Kies"), *list(ContactRole.choices)],
                                         required=False, widget=LongSelect(SELECT)))  # fmt: skip
    about = _by_service(forms.CharField(label="Waarvoor", help_text="Bijvoorbeeld: school van Sara.", required=False,
                                        max_length=200, widget=forms.TextInput(attrs=TEXT)))  # fmt: skip
    name = _by_service(forms.CharField(label="Naam", required=False, max_length=200,
                                       widget=forms.TextInput(attrs=TEXT)))  # fmt: skip
    reach = _by_service(
        forms.CharField(label="Bereikbaar via", help_text="Telefoon, e-mail of adres.", required=False,
                        max_length=200, widget=forms.TextInput(attrs=TEXT))
    )  # fmt: skip


class KaartSearchForm(forms.Form):
    theme = forms.ChoiceField(label="Leefgebied", choices=[("", "Alle leefgebieden"), *list(Leefgebied.choices)],
                              required=False, widget=LongSelect(SELECT))  # fmt: skip
    language = forms.CharField(label="Taal", help_text="Bijvoorbeeld: Arabisch.", required=False, max_length=50,
                               widget=forms.TextInput(attrs=TEXT))  # fmt: skip
    place = forms.CharField(label="Plaats", required=False, max_length=100, widget=forms.TextInput(attrs=TEXT))
    q = forms.CharField(label="Naam van aanbod of organisatie", required=False, max_length=100,
                        widget=forms.TextInput(attrs={**TEXT, "type": "search"}))  # fmt: skip


class OfferForm(forms.Form):
    """One offer in the columns of the CSV, so form, API and import share ``kaart.clean_offer_row``."""

    organisatie = _by_service(forms.CharField(label="Organisatie", required=False, max_length=200,
                                              widget=forms.TextInput(attrs=TEXT)))  # fmt: skip
    gedeeld_in_regio = forms.ChoiceField(
        label="Voor wie is deze organisatie?",
        choices=[("nee", "Alleen onze gemeente"), ("ja", "Alle gemeenten van de arbeidsmarktregio")],
        initial="nee", widget=RadioButtons(),
    )  # fmt: skip
    aanbod = _by_service(forms.CharField(label="Naam van het aanbod", required=False, max_length=200,
                                         widget=forms.TextInput(attrs=TEXT)))  # fmt: skip
    leefgebied = _by_service(forms.ChoiceField(label="Leefgebied", choices=[("", "Kies"), *list(Leefgebied.choices)],
                                               required=False, widget=LongSelect(SELECT)))  # fmt: skip
    doelgroep = forms.CharField(label="Doelgroep", required=False, max_length=200, widget=forms.TextInput(attrs=TEXT))
    talen = forms.CharField(label="Talen", help_text="Gescheiden door komma's.", required=False, max_length=200,
                            widget=forms.TextInput(attrs=TEXT))  # fmt: skip
    contact = forms.CharField(label="Contact", required=False, max_length=200, widget=forms.TextInput(attrs=TEXT))
    adres = forms.CharField(label="Adres", required=False, max_length=200, widget=forms.TextInput(attrs=TEXT))
    plaats = forms.CharField(label="Plaats", required=False, max_length=100, widget=forms.TextInput(attrs=TEXT))
    openingstijden = forms.CharField(label="Openingstijden", required=False, max_length=200,
                                     widget=forms.TextInput(attrs=TEXT))  # fmt: skip
    wachttijd_weken = forms.CharField(label="Wachttijd in weken", required=False, max_length=3,
                                      widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric"}))  # fmt: skip
    toelatingscriteria = forms.CharField(label="Toelatingscriteria", required=False, max_length=2_000,
                                         widget=forms.Textarea(attrs=AREA))  # fmt: skip


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV-bestand", help_text="Met de kolommen van de export. Alle regels goed, of er wordt niets ingelezen.",
        error_messages={"required": "Kies een CSV-bestand.", "empty": "Het bestand is leeg."},
        widget=forms.ClearableFileInput(attrs={**TEXT, "accept": ".csv"}),
    )  # fmt: skip


class BegeleiderForm(forms.Form):
    begeleider = forms.ChoiceField(label="Maatschappelijk begeleider", required=False, widget=LongSelect(SELECT))

    def __init__(self, *args: Any, begeleiders: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["begeleider"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Geen")] + [(str(u.pk), u.display_name) for u in begeleiders]
