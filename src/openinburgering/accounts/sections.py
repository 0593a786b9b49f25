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
    NOTITIES = "notities", _("Notities van de regie")
    AUDIT = "audit", _("Wie heeft het dossier ingezien")


SPECIAL_CATEGORY = frozenset({Section.GEZONDHEID})
"""Sections with special categories of personal data (AVG art. 9)."""


class Access(models.IntegerChoices):
    """How far a role may go in a section: nothing, read, or read and write (ordered, so a limit is a minimum)."""

    NONE = 0, _("Geen toegang")
    READ = 1, _("Inzien")
    WRITE = 2, _("Inzien en wijzigen")


_R, _W = Access.READ, Access.WRITE
_ALL_WRITE: dict[Section, Access] = {section: _W for section in Section if section != Section.AUDIT}

# The legal maximum per role: what the work of the role can need (product brief; #12 item 1). A gemeente narrows it
# (SectionLimit), never widens it. A role or section missing here is Access.NONE.
#  - The financieel consulent: basis, and financiën/ontzorgen, which includes the ontzorgen part of the PIP (the
#    PIP's decision on ontzorgen is shown and read in that section). Never gezondheid, never the intake.
#  - The maatschappelijk begeleider: basis and begeleiding (with the contact card), only for files assigned to them.
#  - The functioneel beheerder: who read the file (audit), none of its content.
#  - Aanbieder, contractmanager and beleidsmedewerker: no file at all (the aanbieder's portal shows its own cursisten
#    with minimum data, outside the file).
#  - Money is changed only by the financieel consulent and the teamleider; the klantregisseur reads the ontzorgen
#    status (#13 item 7).
LEGAL_MAXIMUM: dict[str, dict[Section, Access]] = {
    "klantregisseur": {**_ALL_WRITE, Section.FINANCIEN: _R},
    "teamleider": {**_ALL_WRITE, Section.AUDIT: _R},
    "financieel_consulent": {Section.BASIS: _R, Section.FINANCIEN: _W},
    "maatschappelijk_begeleider": {Section.BASIS: _R, Section.BEGELEIDING: _W},
    "functioneel_beheerder": {Section.AUDIT: _R},
}

ASSIGNED_ONLY = frozenset({"maatschappelijk_begeleider"})
"""Roles that reach only the files assigned to them personally (ClientFile.begeleider)."""


def legal_maximum(role_code: str, section: Section | str) -> Access:
    return LEGAL_MAXIMUM.get(role_code, {}).get(Section(section), Access.NONE)
