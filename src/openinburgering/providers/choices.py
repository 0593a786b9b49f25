"""Choices of the providers app: kinds of provider, price models, components and enrolment statuses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderKind(models.TextChoices):
    TAALAANBIEDER = "taalaanbieder", _("Taalaanbieder")
    ONDERWIJSROUTE = "onderwijsroute", _("Onderwijsroute of taalschakeltraject")
    MAP = "map", _("Module arbeidsmarkt en participatie (MAP)")
    PVT = "pvt", _("Participatieverklaringstraject (PVT)")
    Z_ROUTE = "z_route", _("Z-route participatie")
    WERKGEVER = "werkgever", _("Werkgever of participatieplek")


class PriceModel(models.TextChoices):
    PER_ROUTE = "per_route", _("Per route (vast bedrag per persoon)")
    PER_HOUR = "per_hour", _("Per uur")
    PER_RESULT = "per_result", _("Per resultaat")
    MIXED = "mixed", _("Gemengd")


class ReportingFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Elke week")
    FOUR_WEEKLY = "four_weekly", _("Elke 4 weken")
    MONTHLY = "monthly", _("Elke maand")


class Component(models.TextChoices):
    B1_LESSEN = "b1_lessen", _("Taallessen B1-route")
    ONDERWIJSROUTE = "onderwijsroute", _("Onderwijsroute")
    Z_ROUTE_CURSUS = "z_route_cursus", _("Z-route cursus")
    PARTICIPATIE = "participatie", _("Participatie-activiteit")
    PVT = "pvt", _("Participatieverklaringstraject (PVT)")
    MAP = "map", _("Module arbeidsmarkt en participatie (MAP)")
    DUAAL = "duaal", _("Duaal traject (taal en werk)")


class EnrolmentStatus(models.TextChoices):
    VOORGESTELD = "voorgesteld", _("Voorgesteld")
    GEACCEPTEERD = "geaccepteerd", _("Geaccepteerd")
    GEWEIGERD = "geweigerd", _("Geweigerd")
    GESTOPT = "gestopt", _("Gestopt")
    AFGEROND = "afgerond", _("Afgerond")


# Enrolments that take a place under the contract's capacity.
ACTIVE_STATUSES = (EnrolmentStatus.VOORGESTELD, EnrolmentStatus.GEACCEPTEERD)
# Enrolments a provider reports hours and results for (also after the end, for the last weeks).
REPORTABLE_STATUSES = (EnrolmentStatus.GEACCEPTEERD, EnrolmentStatus.GESTOPT, EnrolmentStatus.AFGEROND)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    EnrolmentStatus.VOORGESTELD: (EnrolmentStatus.GEACCEPTEERD, EnrolmentStatus.GEWEIGERD, EnrolmentStatus.GESTOPT),
    EnrolmentStatus.GEACCEPTEERD: (EnrolmentStatus.GESTOPT, EnrolmentStatus.AFGEROND),
    EnrolmentStatus.GEWEIGERD: (),
    EnrolmentStatus.GESTOPT: (),
    EnrolmentStatus.AFGEROND: (),
}


class ExamLevel(models.TextChoices):
    A2 = "A2", _("A2")
    B1 = "B1", _("B1")


class ReportSource(models.TextChoices):
    FORM = "form", _("Formulier")
    API = "api", _("API")
    CSV = "csv", _("CSV-bestand")


class MilestoneKind(models.TextChoices):
    """What a provider reports besides hours and exams (issue #6 item 3)."""

    VOORTGANGSVERSLAG = "voortgangsverslag", _("Voortgangsverslag")
    PVT_ONDERTEKEND = "pvt_ondertekend", _("Participatieverklaring ondertekend (PVT)")
    MAP_THEMA = "map_thema", _("MAP-thema afgerond")
    MAP_KLAAR = "map_klaar", _("MAP: klaar voor het eindgesprek")


class MapTheme(models.TextChoices):
    """The eight themes of the Module Arbeidsmarkt en Participatie (B 3.3; wi2021.md section 6)."""

    BEROEPENORIENTATIE = "beroepenorientatie", _("Beroepenoriëntatie")
    WERKNEMERSCOMPETENTIES = "werknemerscompetenties", _("Werknemerscompetenties")
    BEROEPSBEELD = "beroepsbeeld", _("Realistisch beroepsbeeld")
    BEROEPSKANSEN = "beroepskansen", _("Beroepskansen")
    BEROEPSCOMPETENTIES = "beroepscompetenties", _("Beroepscompetenties verwerven")
    NETWERK = "netwerk", _("Netwerk")
    WERK_VINDEN = "werk_vinden", _("Werk vinden")
    WERKCULTUUR = "werkcultuur", _("Werkcultuur")


# Which milestone a provider may report for which component (a progress report for every component).
MILESTONE_COMPONENTS: dict[str, tuple[str, ...]] = {
    MilestoneKind.VOORTGANGSVERSLAG: tuple(Component.values),
    MilestoneKind.PVT_ONDERTEKEND: (Component.PVT,),
    MilestoneKind.MAP_THEMA: (Component.MAP,),
    MilestoneKind.MAP_KLAAR: (Component.MAP,),
}
