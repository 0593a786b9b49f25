"""Enumerations shared by several rules (rules catalogue, "Enumerations").

Every code is a :class:`~enum.StrEnum`, so a member equals its lower-case code (``Leerroute.B1 == "b1"``).
"""

from __future__ import annotations

from enum import StrEnum


class Residence(StrEnum):
    """The kind of residence right (Vreemdelingenwet 2000 art. 8)."""

    ASIEL = "asiel"
    """Art. 8 sub c: an asylum permit."""
    REGULIER = "regulier"
    """Art. 8 sub a: a regular permit."""
    EU = "eu"
    """An EU/EEA/Swiss citizen or family member (W 3 lid 2 sub a and b)."""
    OTHER = "other"
    """Any other stay, or none."""


class ResidencePurpose(StrEnum):
    """The purpose of a regular residence permit; the first 17 are the temporary purposes of B 2.2 lid 1."""

    GEZIN_BIJ_TIJDELIJK = "gezin_bij_tijdelijk"
    ZELFSTANDIGE = "zelfstandige"
    KENNISMIGRANT = "kennismigrant"
    BLAUWE_KAART = "blauwe_kaart"
    SEIZOENARBEID = "seizoenarbeid"
    OVERPLAATSING = "overplaatsing"
    ARBEID_IN_LOONDIENST = "arbeid_in_loondienst"
    GRENSOVERSCHRIJDENDE_DIENSTVERLENING = "grensoverschrijdende_dienstverlening"
    ONDERZOEK = "onderzoek"
    LEREND_WERKEN = "lerend_werken"
    MILITAIR_PERSONEEL = "militair_personeel"
    STUDIE = "studie"
    ZOEKEN_ARBEID = "zoeken_arbeid"
    UITWISSELING = "uitwisseling"
    MEDISCHE_BEHANDELING = "medische_behandeling"
    TIJDELIJKE_HUMANITAIRE_GRONDEN = "tijdelijke_humanitaire_gronden"
    AFWACHTEN_NATIONALITEIT = "afwachten_nationaliteit"
    GEZINSHERENIGING = "gezinshereniging"
    GEZINSVORMING = "gezinsvorming"
    GEZIN_BIJ_ASIELSTATUSHOUDER = "gezin_bij_asielstatushouder"
    GEESTELIJK_BEDIENAAR = "geestelijk_bedienaar"
    OVERIG = "overig"


TEMPORARY_PURPOSES = frozenset(list(ResidencePurpose)[:17])
"""The temporary purposes of Besluit inburgering 2021 art. 2.2 lid 1 (sub a to q)."""


class Doelgroep(StrEnum):
    """The doelgroep of a plichtige (W 13 lid 1, W 19)."""

    ASIELSTATUSHOUDER = "asielstatushouder"
    """W 13.1: an asylum permit, or a regular permit as family of an asylum permit holder."""
    GEZINSMIGRANT = "gezinsmigrant"
    """Gezinshereniging or gezinsvorming."""
    OVERIG = "overig"
    """Other non-temporary regular permits, geestelijk bedienaar."""


class Leerroute(StrEnum):
    """The leerroute set in the PIP (W 7, 8, 9; DUO codes B, O, Z)."""

    B1 = "b1"
    ONDERWIJS = "onderwijs"
    Z = "z"


class Level(StrEnum):
    """A language level of the Common European Framework of Reference (CEFR), lowest first."""

    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"

    @property
    def rank(self) -> int:
        """Return the position of this level, so that levels compare (A1 is 0, B2 is 3)."""
        return list(Level).index(self)


class ExamPart(StrEnum):
    """A part of the inburgeringsexamen: the four language skills (B 3.3) and KNM (B 3.4)."""

    LEZEN = "lezen"
    LUISTEREN = "luisteren"
    SCHRIJVEN = "schrijven"
    SPREKEN = "spreken"
    KNM = "knm"


LANGUAGE_PARTS = (ExamPart.LEZEN, ExamPart.LUISTEREN, ExamPart.SCHRIJVEN, ExamPart.SPREKEN)
"""The four language parts, in the order of the catalogue."""
