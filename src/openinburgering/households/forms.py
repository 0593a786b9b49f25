"""Forms of the household section of a client file. Meaningful checks live in households.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.choices import Sex
from openinburgering.clients.forms import NO_CHOICE, date_field, select_field, text_field

from .models import EducationKind, Relation

MEMBER_RELATIONS = [(r.value, r.label) for r in Relation if r != Relation.AANVRAGER]


class AddMemberForm(forms.Form):
    relation = select_field(_("Relatie"), [NO_CHOICE, *MEMBER_RELATIONS], required=True)
    given_names = text_field(
        _("Voornamen"), required=True, autocomplete="off", required_message=_("Vul de voornamen in.")
    )
    surname_prefix = text_field(_("Voorvoegsel"), max_length=20, autocomplete="off")
    surname = text_field(
        _("Achternaam"), required=True, autocomplete="off", required_message=_("Vul de achternaam in.")
    )
    birth_on = date_field(_("Geboortedatum"), required=True)
    sex = select_field(_("Geslacht"), Sex.choices, required=True)
    bsn = text_field(_("BSN (als bekend)"), max_length=11, inputmode="numeric", autocomplete="off")
    started_on = date_field(_("Hoort bij het huishouden vanaf"), required=True)
    education_kind = select_field(_("School of opvang"), EducationKind.choices)
    education_name = text_field(_("Naam van de school of opvang"))

    PERSON_FIELDS = ("given_names", "surname_prefix", "surname", "birth_on", "sex", "bsn")

    def person_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.PERSON_FIELDS}
        for name in ("given_names", "surname_prefix", "surname", "bsn"):
            data[name] = data[name].strip()
        return data


class EndMemberForm(forms.Form):
    ended_on = date_field(_("Einddatum"), required=True)
    reason = text_field(_("Reden"), required=True, required_message=_("Geef een reden."))
