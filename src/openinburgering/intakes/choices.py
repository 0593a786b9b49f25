"""Codes of the oproepen, the brede intake and the leerbaarheidstoets.

Call outcomes and steps are the rules module's codes (``rules.CallStatus``, ``rules.IntakeStep``,
``rules.LbtOutcome``) with Dutch labels, so what is stored can be handed to the rules unchanged.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallOutcome(models.TextChoices):
    PENDING = "pending", _("Gepland")
    APPEARED = "appeared", _("Verschenen")
    NO_SHOW = "no_show", _("Niet verschenen")
    INSUFFICIENT_COOPERATION = "insufficient_cooperation", _("Onvoldoende meegewerkt")


class IntakeStep(models.TextChoices):
    FIRST_CALL = "first_call", _("Eerste oproep plannen")
    NONE = "none", _("Geen: de persoon is verschenen")
    WAIT = "wait", _("Wachten op de afspraak")
    WARNING_AND_REPEAT_CALL = "warning_and_repeat_call", _("Schriftelijke waarschuwing en herhaalde oproep")
    FINE_AND_NEW_TERM = "fine_and_new_term", _("Boete van € 250 en een nieuwe termijn")
    FINE_AND_INTAKE_IN_ABSENCE = "fine_and_intake_in_absence", _("Boete van € 250 en intake zonder de persoon")


class Leefgebied(models.TextChoices):
    HUISVESTING = "huisvesting", _("Huisvesting")
    WERK_INKOMEN = "werk_inkomen", _("Werk en inkomen")
    TAAL_INBURGERING = "taal_inburgering", _("Taal en inburgering")
    ONDERWIJS = "onderwijs", _("Opleiding en diploma's")
    SOCIAAL_NETWERK = "sociaal_netwerk", _("Sociaal netwerk")
    GEZONDHEID = "gezondheid", _("Gezondheid")
    FINANCIEN = "financien", _("Geld en financiën")
    KINDEREN = "kinderen", _("Kinderen")
    RANDVOORWAARDEN = "randvoorwaarden", _("Kinderopvang en reiskosten")


class IntakeStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Bezig")
    COMPLETED = "completed", _("Afgerond")


class LbtOutcome(models.TextChoices):
    HAALBAAR = "haalbaar", _("B1-route haalbaar")
    NIET_HAALBAAR = "niet_haalbaar", _("B1-route niet haalbaar")
    ONBEKEND = "onbekend", _("Onbekend")
    ONTHEFFING = "ontheffing", _("Ontheffing van de toets")


class LbtOntheffing(models.TextChoices):
    GEEN = "", _("Geen ontheffing")
    VISUEEL = "visual", _("Visuele beperking")
    AUDITIEF = "auditive", _("Auditieve beperking, toets niet mogelijk")


class Leerroute(models.TextChoices):
    B1 = "b1", _("B1-route")
    ONDERWIJS = "onderwijs", _("Onderwijsroute")
    Z = "z", _("Z-route")
