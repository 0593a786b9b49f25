from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PipStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    TER_GOEDKEURING = "ter_goedkeuring", _("Ter goedkeuring bij teamleider")
    VASTGESTELD = "vastgesteld", _("Vastgesteld")
    VERVANGEN = "vervangen", _("Vervangen door een nieuwe versie")


# At most one version per file is being worked on (database constraint).
OPEN_PIP_STATUSES = (PipStatus.CONCEPT, PipStatus.TER_GOEDKEURING)


class PipEventKind(models.TextChoices):
    DRAFTED = "drafted", _("Concept gemaakt")
    SUBMITTED = "submitted", _("Ter goedkeuring aangeboden")
    APPROVED = "approved", _("Goedgekeurd en vastgesteld")
    REJECTED = "rejected", _("Teruggestuurd met opmerkingen")
    SUPERSEDED = "superseded", _("Vervangen door een nieuwe versie")
    CLIENT_RESPONSE = "client_response", _("Reactie van de persoon vastgelegd")


class ClientAgreement(models.TextChoices):
    ONBEKEND = "", _("Nog niet gevraagd")
    EENS = "eens", _("Eens met het plan")
    DEELS = "deels", _("Deels eens")
    ONEENS = "oneens", _("Niet eens met het plan")


class Responsible(models.TextChoices):
    KLANT = "klant", _("De persoon zelf")
    KLANTREGISSEUR = "klantregisseur", _("Klantregisseur")
    AANBIEDER = "aanbieder", _("Taal- of participatieaanbieder")
    BEGELEIDER = "begeleider", _("Maatschappelijk begeleider")
    PARTNER = "partner", _("Ketenpartner")


class BezwaarStatus(models.TextChoices):
    ONTVANGEN = "ontvangen", _("Ontvangen")
    GEGROND = "gegrond", _("Gegrond")
    DEELS_GEGROND = "deels_gegrond", _("Deels gegrond")
    ONGEGROND = "ongegrond", _("Ongegrond")
    NIET_ONTVANKELIJK = "niet_ontvankelijk", _("Niet-ontvankelijk")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")
