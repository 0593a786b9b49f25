"""The sections of a client file, by category of data (#12 item 1).

A role sees only the sections its work needs: the need-to-know matrix (roles × sections × read/write) is built on
these codes, the register of processing activities (audit.processing) names them as the categories of data each
activity processes, and every read event names the sections shown. ``gezondheid`` holds special-category data (AVG
art. 9); it is never part of another section."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    BASIS = "basis", _("Basisgegevens: identiteit, contact, status en termijnen")
    INTAKE = "intake", _("Brede intake per leefgebied")
    GEZONDHEID = "gezondheid", _("Gezondheid (bijzonder persoonsgegeven)")
    FINANCIEN = "financien", _("Financiën en ontzorgen")
    PIP = "pip", _("PIP en beschikkingen")
    VOORTGANG = "voortgang", _("Voortgang en examens")
    HANDHAVING = "handhaving", _("Handhaving")
    BEGELEIDING = "begeleiding", _("Begeleiding en netwerk")
    DOCUMENTEN = "documenten", _("Documenten en brieven")
    AUDIT = "audit", _("Wie heeft het dossier ingezien")


SPECIAL_CATEGORY = frozenset({Section.GEZONDHEID})
"""Sections with special categories of personal data (AVG art. 9)."""
