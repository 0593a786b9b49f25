from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FileStatus(models.TextChoices):
    AANGEMELD = "aangemeld", _("Aangemeld")
    INTAKE = "intake", _("Intake")
    PIP = "pip", _("PIP")
    IN_TRAJECT = "in_traject", _("In traject")
    VOLDAAN = "voldaan", _("Voldaan")
    VRIJGESTELD_ONTHEVEN = "vrijgesteld_ontheven", _("Vrijgesteld of ontheven")
    VERHUISD = "verhuisd", _("Verhuisd")
    BEEINDIGD = "beeindigd", _("Beëindigd")


# A person has at most one file in these statuses per gemeente (database constraint on ClientFile).
OPEN_STATUSES = (
    FileStatus.AANGEMELD,
    FileStatus.INTAKE,
    FileStatus.PIP,
    FileStatus.IN_TRAJECT,
    FileStatus.VOLDAAN,
    FileStatus.VRIJGESTELD_ONTHEVEN,
)
CLOSED_STATUSES = (FileStatus.VERHUISD, FileStatus.BEEINDIGD)


class Doelgroep(models.TextChoices):
    ASIELSTATUSHOUDER = "asielstatushouder", _("Asielstatushouder")
    GEZINSMIGRANT = "gezinsmigrant", _("Gezinsmigrant")
    OVERIG = "overig", _("Overige migrant")


class Residence(models.TextChoices):
    ASIEL = "asiel", _("Asiel (Vw art. 8 c)")
    REGULIER = "regulier", _("Regulier (Vw art. 8 a)")
    EU = "eu", _("EU/EER/Zwitserland")
    OTHER = "other", _("Anders of geen")


class ResidencePurpose(models.TextChoices):
    GEZINSHERENIGING = "gezinshereniging", _("Gezinshereniging")
    GEZINSVORMING = "gezinsvorming", _("Gezinsvorming")
    GEZIN_BIJ_ASIELSTATUSHOUDER = "gezin_bij_asielstatushouder", _("Gezinslid van asielstatushouder")
    GEESTELIJK_BEDIENAAR = "geestelijk_bedienaar", _("Geestelijk bedienaar")
    OVERIG = "overig", _("Overig niet-tijdelijk doel")
    KENNISMIGRANT = "kennismigrant", _("Kennismigrant (tijdelijk)")
    STUDIE = "studie", _("Studie (tijdelijk)")
    ARBEID_IN_LOONDIENST = "arbeid_in_loondienst", _("Arbeid in loondienst (tijdelijk)")
    GEZIN_BIJ_TIJDELIJK = "gezin_bij_tijdelijk", _("Gezinslid bij tijdelijk verblijf")


class Sex(models.TextChoices):
    MAN = "M", _("Man")
    VROUW = "V", _("Vrouw")
    ONBEKEND = "O", _("Onbekend")
