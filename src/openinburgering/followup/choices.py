from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from openinburgering.clients.choices import FileStatus


class Situation(models.TextChoices):
    """Where the person is after the inburgering: the "Aan de slag" outcomes (werk, opleiding, participatie)."""

    WERK = "werk", _("Betaald werk")
    OPLEIDING = "opleiding", _("Opleiding of studie")
    PARTICIPATIE = "participatie", _("Participatie (vrijwilligerswerk, participatieplek, dagbesteding)")
    ZOEKT = "zoekt", _("Zoekt werk of een opleiding")
    GEEN = "geen", _("Geen vervolg nodig of gewenst")
    ONBEKEND = "onbekend", _("Onbekend (geen contact gekregen)")


# The file statuses after the plicht in which the gemeente follows the person further (vervolg). Voldaan is
# the main case; a person with a vrijstelling or ontheffing can still get help towards work or participation.
FOLLOW_UP_STATUSES = (FileStatus.VOLDAAN, FileStatus.VRIJGESTELD_ONTHEVEN)
