"""Parsing and validating incoming messages, one at a time, with a Dutch reason for every problem.

A DUO event here is DUO's notificatie envelope (``berichtId``, ``gebeurtenisId``, ``registratieDatumTijd``,
``bsn``, ``vNummer``) plus the gemeente DUO relates the person to (``gemeentecode``, 4 digits as in DUO's PIP
API) and the data block of the DUO API that the event code points at, with DUO's field names:

- ``inburgeringsplicht`` (Inburgeringsplicht API): ``indicatorInburgeringsplicht``, ``begindatum``,
  ``einddatum``, ``datumKennisgevingInburgeringsplicht``, ``redenGeenInburgeringsplicht``
- ``doelgroep`` (Inburgeringsplicht API): ``indeling``, ``begindatum``, ``gedetailleerdeDoelgroep``
- ``inburgeringstermijn`` (Inburgeringstermijn API): ``startdatum`` (inclusive), ``einddatum`` (exclusive)
- ``leerbaarheidstoets`` (Leerbaarheidstoets API ``Resultaat``): ``resultaat``, ``behaaldeScore``,
  ``benodigdeScore`` (decimal comma, "28,00"), ``datumAfname``
- ``vrijstelling`` / ``ontheffing`` (Vrijstelling / Ontheffing API): ``GeheleVrijstelling``,
  ``TijdelijkeVrijstelling``, ``GeheleOntheffing``, ``GedeeltelijkeOntheffing`` with ``oordeel``, ``reden`` or
  ``grond``, ``datumOordeel``
- ``vestiging`` (SS120/SS121: ``datumVestiging``, ``vorigeGemeentecode``; SS121 also ``pip`` as in DUO's PIP
  API: ``dagtekeningPip``, ``leerroute``) and ``vertrek`` (SS122: ``datumVertrek``, ``nieuweGemeentecode``)
- ``persoon``: the person as DUO gives it (``voornamen``, ``voorvoegsel``, ``geslachtsnaam``,
  ``geboortedatum``, ``geslacht``); needed only when a message opens a new file.

A correction carries ``correctieVan`` and a retraction ``intrekkingVan``: the ``berichtId`` of the earlier
message. A retraction needs no data block.
"""

from .coa import HANDOVER_TEXT_FIELDS, CoaKoppeling, parse_coa_koppeling, without_health_data
from .duo import DuoEvent, PersonData, parse_duo_event
from .fields import (
    DOELGROEP_CODES,
    DOELGROEP_INDELINGEN,
    EVENT_CODE,
    EVENT_LABELS,
    EXTERNAL_ID,
    GEDETAILLEERDE_DOELGROEPEN,
    GEMEENTECODE,
    HANDLED_CODES,
    ISO_DATE,
    LBT_CODES,
    LBT_RESULTATEN,
    LEERROUTES,
    MOVE_IN_CODES,
    MOVE_OUT_CODES,
    ONTHEFFING_CODES,
    ONTHEFFING_GRONDEN,
    OORDELEN,
    PLICHT_CODES,
    PLICHT_ENDED_CODES,
    REDENEN_GEEN_PLICHT,
    SCORE,
    SEXES,
    TERMIJN_CODES,
    VRIJSTELLING_CODES,
    VRIJSTELLING_REDENEN,
    InvalidEnvelopeError,
    MessageRejectedError,
    Problems,
    canonical_hash,
    external_id_of,
)

__all__ = [
    "DOELGROEP_CODES",
    "DOELGROEP_INDELINGEN",
    "EVENT_CODE",
    "EVENT_LABELS",
    "EXTERNAL_ID",
    "GEDETAILLEERDE_DOELGROEPEN",
    "GEMEENTECODE",
    "HANDLED_CODES",
    "HANDOVER_TEXT_FIELDS",
    "ISO_DATE",
    "LBT_CODES",
    "LBT_RESULTATEN",
    "LEERROUTES",
    "MOVE_IN_CODES",
    "MOVE_OUT_CODES",
    "ONTHEFFING_CODES",
    "ONTHEFFING_GRONDEN",
    "OORDELEN",
    "PLICHT_CODES",
    "PLICHT_ENDED_CODES",
    "REDENEN_GEEN_PLICHT",
    "SCORE",
    "SEXES",
    "TERMIJN_CODES",
    "VRIJSTELLING_CODES",
    "VRIJSTELLING_REDENEN",
    "CoaKoppeling",
    "DuoEvent",
    "InvalidEnvelopeError",
    "MessageRejectedError",
    "PersonData",
    "Problems",
    "canonical_hash",
    "external_id_of",
    "parse_coa_koppeling",
    "parse_duo_event",
    "without_health_data",
]
