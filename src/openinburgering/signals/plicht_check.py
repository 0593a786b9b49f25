"""Plicht and doelgroep as the rules module sees them, compared with what DUO says (W 3, W 13, W 19, W 54).

The gemeente does not decide the plicht (DUO does, B 9.1.3), but a difference between DUO and the facts in
the file (birth date, residence, purpose, residence start) usually means one of the two is wrong, so it is
shown on the file as an open signal. Nothing here computes a legal outcome itself: it asks
:func:`openinburgering.rules.inburgeringsplicht`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openinburgering import rules
from openinburgering.clients.models import ClientFile

from .choices import FileSignalKind

PLICHT_REASON_TEXT = {
    rules.PlichtReason.PLICHTIG: "inburgeringsplichtig",
    rules.PlichtReason.TOO_YOUNG: "jonger dan 16 jaar bij de start van het verblijf",
    rules.PlichtReason.AOW_AGE: "de AOW-leeftijd was al bereikt",
    rules.PlichtReason.EU: "EU-, EER- of Zwitserse burger of gezinslid",
    rules.PlichtReason.TEMPORARY_PURPOSE: "verblijf met een tijdelijk doel",
    rules.PlichtReason.NO_QUALIFYING_RESIDENCE: "geen verblijfsvergunning die tot inburgering verplicht",
    rules.PlichtReason.LONG_TERM_RESIDENT_ELSEWHERE: "langdurig ingezetene in een andere EU-lidstaat",
    rules.PlichtReason.TREATY: "vrijgesteld door een verdrag",
}

DUO_INDELING_ASIEL = "Asielstatushouder"

# DUO's gedetailleerde doelgroep -> (doelgroep, residence, residence_purpose) in the file. Used only to fill a
# file that DUO opens (the residence facts are the IND's; DUO's doelgroep is derived from them).
DUO_DOELGROEP_MAP: dict[str, tuple[str, str, str]] = {
    "Asielstatushouder": ("asielstatushouder", "asiel", ""),
    "Gezinshereniger met Asielstatushouder": ("asielstatushouder", "regulier", "gezin_bij_asielstatushouder"),
    "Gezinsvormer met Asielstatushouder": ("asielstatushouder", "regulier", "gezin_bij_asielstatushouder"),
    "Gezinshereniger": ("gezinsmigrant", "regulier", "gezinshereniging"),
    "Gezinsvormer": ("gezinsmigrant", "regulier", "gezinsvorming"),
    "Geestelijk bedienaar": ("overig", "regulier", "geestelijk_bedienaar"),
    "Overig": ("overig", "regulier", "overig"),
}


@dataclass(frozen=True)
class SignalDraft:
    kind: str
    summary: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def is_mismatch(self) -> bool:
        return self.kind in (FileSignalKind.PLICHT_MISMATCH, FileSignalKind.DOELGROEP_MISMATCH)


def file_facts_from_duo(doelgroep: dict[str, Any] | None) -> dict[str, str]:
    """File fields for a new file from DUO's doelgroep block (empty when DUO gives only the broad indeling of
    gezinsmigranten, which does not tell which of our doelgroepen applies)."""
    if not doelgroep:
        return {}
    detail = doelgroep.get("gedetailleerd")
    if detail in DUO_DOELGROEP_MAP:
        target, residence, purpose = DUO_DOELGROEP_MAP[detail]
        return {"doelgroep": target, "residence": residence, "residence_purpose": purpose}
    if doelgroep.get("indeling") == DUO_INDELING_ASIEL:
        return {"doelgroep": "asielstatushouder", "residence": "asiel", "residence_purpose": ""}
    return {}


def rules_plicht(client_file: ClientFile) -> rules.Inburgeringsplicht | None:
    """The rules' view of the file, or None when the file lacks the facts the rule needs."""
    if not client_file.residence or client_file.residence_from_on is None:
        return None
    purpose = client_file.residence_purpose or None
    try:
        return rules.inburgeringsplicht(
            birth_on=client_file.person.birth_on,
            residence=rules.Residence(client_file.residence),
            residence_from_on=client_file.residence_from_on,
            residence_purpose=rules.ResidencePurpose(purpose) if purpose else None,
        )
    except ValueError:  # RuleInputError or an unknown code: no verdict, so no signal
        return None


def plicht_mismatches(
    client_file: ClientFile, *, duo_plichtig: bool | None, duo_indeling: str | None
) -> list[SignalDraft]:
    verdict = rules_plicht(client_file)
    if verdict is None:
        return []
    drafts: list[SignalDraft] = []
    data = {
        "duo_plichtig": duo_plichtig,
        "duo_indeling": duo_indeling,
        "rules_plichtig": verdict.plichtig,
        "rules_reason": str(verdict.reason),
        "rules_doelgroep": str(verdict.doelgroep or ""),
        "rules_law": str(verdict.law or ""),
    }
    if duo_plichtig is not None and duo_plichtig != verdict.plichtig:
        if duo_plichtig:
            summary = (
                "DUO meldt dat deze persoon inburgeringsplichtig is. Volgens de gegevens in het dossier is dat niet "
                f"zo ({PLICHT_REASON_TEXT[verdict.reason]}). Controleer de gegevens in het dossier of neem contact op "
                "met DUO."
            )
        else:
            summary = (
                "DUO meldt dat deze persoon niet inburgeringsplichtig is. Volgens de gegevens in het dossier is de "
                "persoon dat wel. Controleer de gegevens in het dossier of neem contact op met DUO."
            )
        drafts.append(SignalDraft(FileSignalKind.PLICHT_MISMATCH, summary, data))
    elif verdict.plichtig and verdict.law == rules.Law.WI2013 and duo_plichtig:
        drafts.append(
            SignalDraft(
                FileSignalKind.PLICHT_MISMATCH,
                "Volgens de gegevens in het dossier begon het verblijf vóór 1 januari 2022. Dan geldt de Wet "
                "inburgering 2013, niet de wet van 2021. Controleer de startdatum van de verblijfsvergunning.",
                data,
            )
        )
    if verdict.plichtig and duo_indeling is not None:
        rules_asiel = verdict.doelgroep == rules.Doelgroep.ASIELSTATUSHOUDER
        duo_asiel = duo_indeling == DUO_INDELING_ASIEL
        if rules_asiel != duo_asiel:
            duo_text = "asielstatushouder" if duo_asiel else "gezinsmigrant of overige migrant"
            rules_text = "asielstatushouder" if rules_asiel else "gezinsmigrant of overige migrant"
            drafts.append(
                SignalDraft(
                    FileSignalKind.DOELGROEP_MISMATCH,
                    f"DUO deelt deze persoon in als {duo_text}. Volgens de verblijfsgegevens in het dossier is de "
                    f"persoon {rules_text}. Controleer de verblijfsvergunning en het verblijfsdoel.",
                    data,
                )
            )
    return drafts
