"""Texts the portal shows for codes of other apps (roles, processing purposes, sections, routes), in the client's
language. Msgids are Dutch (the source language); every language's .po has them (tests/mijn/test_translations.py)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ROLE_LABELS: dict[str, Promise] = {
    "klantregisseur": _("Klantregisseur"),
    "teamleider": _("Teamleider"),
    "financieel_consulent": _("Financieel consulent"),
    "contractmanager": _("Contractmanager"),
    "beleidsmedewerker": _("Beleidsmedewerker"),
    "aanbieder": _("Taalschool of andere aanbieder"),
    "maatschappelijk_begeleider": _("Maatschappelijk begeleider"),
    "functioneel_beheerder": _("Functioneel beheerder"),
    "ketenpartner": _("Partner in de zorg"),
    "regiocoordinator": _("Regiocoördinator"),
}
SYSTEM_ROLE = _("Het systeem (automatisch)")

PURPOSE_LABELS: dict[str, Promise] = {
    "regie": _("Uw inburgering regelen"),
    "signalen": _("Berichten van DUO of COA verwerken"),
    "brede_intake": _("Het gesprek over uw situatie (brede intake)"),
    "pip": _("Uw plan maken of veranderen"),
    "ontzorgen": _("Uw vaste lasten betalen (ontzorgen)"),
    "voortgang": _("Uw lessen en examens volgen"),
    "handhaving": _("Controleren of u meedoet"),
    "begeleiding": _("Hulp en begeleiding"),
    "documenten": _("Brieven en documenten"),
    "sturing": _("Cijfers zonder namen"),
    "beveiliging": _("Beveiliging en controle"),
}

SECTION_LABELS: dict[str, Promise] = {
    "basis": _("Uw gegevens"),
    "intake": _("Brede intake"),
    "gezondheid": _("Gezondheid"),
    "financien": _("Geld en ontzorgen"),
    "pip": _("Uw plan"),
    "voortgang": _("Lessen en examens"),
    "handhaving": _("Controle en boetes"),
    "begeleiding": _("Begeleiding"),
    "documenten": _("Documenten en brieven"),
    "notities": _("Notities"),
    "audit": _("Wie heeft uw dossier bekeken"),
}

LEERROUTE_LABELS: dict[str, Promise] = {
    "b1": _("B1-route"),
    "onderwijs": _("Onderwijsroute"),
    "z": _("Z-route (zelfredzaamheid)"),
}
LEERROUTE_EXPLAINED: dict[str, Promise] = {
    "b1": _("U leert Nederlands tot taalniveau B1 (of het niveau in uw plan). U doet ook de PVT en de MAP."),
    "onderwijs": _("U leert Nederlands en gaat daarna naar een opleiding in het mbo, hbo of de universiteit."),
    "z": _("U leert Nederlands op uw eigen tempo en leert meedoen in Nederland. U doet geen taalexamen."),
}

ONTZORGEN_LABELS: dict[str, Promise] = {
    "huur": _("de huur"),
    "gas": _("gas"),
    "water": _("water"),
    "stroom": _("stroom"),
    "zorgverzekering": _("de zorgverzekering"),
}

RESPONSIBLE_LABELS: dict[str, Promise] = {
    "klant": _("U zelf"),
    "klantregisseur": _("Uw klantregisseur"),
    "aanbieder": _("De taalschool of aanbieder"),
    "begeleider": _("Uw maatschappelijk begeleider"),
    "partner": _("Een partner van de gemeente"),
}

APPOINTMENT_LABELS: dict[str, Promise] = {
    "oproep": _("Gesprek over uw inburgering (oproep)"),
    "voortgang": _("Voortgangsgesprek"),
}

COMPONENT_LABELS: dict[str, Promise] = {
    "b1_lessen": _("Taallessen"),
    "onderwijsroute": _("Onderwijsroute"),
    "z_route_cursus": _("Z-route cursus"),
    "participatie": _("Meedoen (participatie)"),
    "pvt": _("Participatieverklaring (PVT)"),
    "map": _("Module arbeidsmarkt en participatie (MAP)"),
    "duaal": _("Taal en werk (duaal)"),
}

EXAM_PART_LABELS: dict[str, Promise] = {
    "lezen": _("Lezen"),
    "luisteren": _("Luisteren"),
    "schrijven": _("Schrijven"),
    "spreken": _("Spreken"),
    "knm": _("Kennis van de Nederlandse maatschappij (KNM)"),
}

# The contact card of netwerk.selectors.contact_card_for names roles in Dutch; the ones the portal can say in the
# client's language (others stay Dutch, marked lang="nl").
CONTACT_ROLE_LABELS: dict[str, Promise] = {
    "Klantregisseur": ROLE_LABELS["klantregisseur"],
    "Maatschappelijk begeleider": ROLE_LABELS["maatschappelijk_begeleider"],
}

EDUCATION_LABELS: dict[str, Promise] = {
    "kinderopvang": _("Kinderopvang"),
    "vve": _("Voorschoolse educatie (VVE)"),
    "basisschool": _("Basisschool"),
    "nieuwkomersklas": _("Nieuwkomersklas (ISK)"),
    "voortgezet": _("Voortgezet onderwijs"),
    "mbo_hbo_wo": _("Mbo, hbo of universiteit"),
}
