from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    DUO = "duo", _("DUO")
    COA = "coa", _("COA")
    MANUAL = "manual", _("Handmatig")


class MessageStatus(models.TextChoices):
    """What happened to a stored message. ``duplicate`` is never stored: a duplicate changes nothing, it is only
    reported (and audited as ``signal_duplicate_ignored``)."""

    APPLIED = "applied", _("Verwerkt")
    QUARANTINED = "quarantined", _("In quarantaine")
    PURGED = "purged", _("Gewist")
    REJECTED = "rejected", _("Afgewezen")


class ResultCode(models.TextChoices):
    """The per-message result of an import, as the command, the API and the upload page report it."""

    APPLIED = "applied", _("Verwerkt")
    DUPLICATE = "duplicate", _("Al ontvangen")
    QUARANTINED = "quarantined", _("In quarantaine")
    REJECTED = "rejected", _("Afgewezen")


class FileSignalKind(models.TextChoices):
    PLICHT_MISMATCH = "plicht_mismatch", _("Inburgeringsplicht wijkt af van DUO")
    DOELGROEP_MISMATCH = "doelgroep_mismatch", _("Doelgroep wijkt af van DUO")
    TERMIJN_STARTED = "termijn_started", _("Inburgeringstermijn gestart (DUO)")
    TERMIJN_MISMATCH = "termijn_mismatch", _("Inburgeringstermijn wijkt af van DUO")
    LBT_RESULT = "lbt_result", _("Uitslag leerbaarheidstoets (DUO)")
    LBT_MISMATCH = "lbt_mismatch", _("Uitslag leerbaarheidstoets wijkt af")
    VRIJSTELLING = "vrijstelling", _("Vrijstelling (DUO)")
    ONTHEFFING = "ontheffing", _("Ontheffing (DUO)")
    PIP_PREVIOUS_GEMEENTE = "pip_previous_gemeente", _("PIP van de vorige gemeente (DUO)")
    WARME_OVERDRACHT = "warme_overdracht", _("Warme overdracht (COA)")
    HEALTH_SIGNAL = "health_signal", _("Gezondheidssignaal (COA, met toestemming)")
    REVIEW_NEEDED = "review_needed", _("Controle nodig")


MISMATCH_KINDS = (
    FileSignalKind.PLICHT_MISMATCH,
    FileSignalKind.DOELGROEP_MISMATCH,
    FileSignalKind.TERMIJN_MISMATCH,
    FileSignalKind.LBT_MISMATCH,
)
