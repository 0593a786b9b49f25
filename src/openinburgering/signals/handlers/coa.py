"""What a validated COA koppeling does (``handle_coa_koppeling``): a file for the person, with the warme overdracht."""

from __future__ import annotations

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.core.errors import ApplicationError

from ..choices import FileSignalKind, MessageStatus
from ..messages import (
    CoaKoppeling,
)
from ..plicht_check import PLICHT_REASON_TEXT, SignalDraft
from ..selectors import lock_file, open_file_for_bsn
from .common import Outcome, _changed_text, _register, update_file

# ---------------------------------------------------------------------------------------------------------------
# COA


def handle_coa_koppeling(*, actor: Actor, koppeling: CoaKoppeling, via: str) -> Outcome:
    """A person in an AZC, linked to this gemeente by the taakstelling: open (or update) the file, record the
    warme overdracht, and health signals only with recorded consent."""
    own_code = actor.gemeente.code.removeprefix("GM")
    if koppeling.gemeentecode != own_code:
        return Outcome.quarantine(
            f"COA koppelt deze persoon aan een andere gemeente (GM{koppeling.gemeentecode}). Het bericht hoort niet "
            "bij deze gemeente en is niet aan een dossier gekoppeld."
        )
    if not koppeling.in_azc:
        raise ApplicationError(
            "Volgens COA woont deze persoon niet meer in een AZC. Een COA-koppeling geldt alleen voor mensen die nog "
            "in een AZC wonen. Meld de persoon aan via een aanmelding of wacht op het bericht van DUO."
        )
    if koppeling.person is None or koppeling.residence_from_on is None:  # parse_coa_koppeling ensures both
        raise ApplicationError("De persoonsgegevens of de verblijfsgegevens ontbreken.")
    verdict = rules.inburgeringsplicht(
        birth_on=koppeling.person.birth_on,
        residence=rules.Residence.ASIEL,
        residence_from_on=koppeling.residence_from_on,
    )
    if not verdict.plichtig:
        return Outcome.quarantine(
            f"Volgens de regels is deze persoon niet inburgeringsplichtig ({PLICHT_REASON_TEXT[verdict.reason]}). "
            "Het bericht is niet aan een dossier gekoppeld."
        )
    file_data = {
        "doelgroep": str(verdict.doelgroep),
        "residence": "asiel",
        "residence_purpose": "",
        "residence_from_on": koppeling.residence_from_on,
        "coa_koppeling_on": koppeling.koppeling_on,
        "housed_under_taakstelling": True,
    }
    existing = open_file_for_bsn(gemeente_id=actor.gemeente_id, bsn=koppeling.bsn)
    if existing is None:
        handover = koppeling.handover
        person = koppeling.person.as_person_fields(bsn=koppeling.bsn, v_number=koppeling.v_number)
        person.update(
            {
                "languages": ", ".join(handover.get("talen", []))[:200],
                "interpreter_needed": bool(handover.get("tolkNodig")),
                "interpreter_language": handover.get("tolkTaal", "") if handover.get("tolkNodig") else "",
            }
        )
        client_file = _register(actor=actor, person=person, file_data=file_data, via=via)
        outcome = Outcome(
            status=MessageStatus.APPLIED,
            client_file=client_file,
            created_file=True,
            reason="Nieuw dossier aangemaakt vanuit de COA-koppeling.",
        )
    else:
        client_file = lock_file(existing.pk)
        changes = update_file(actor=actor, client_file=client_file, data=file_data, via=via)
        outcome = Outcome(
            status=MessageStatus.APPLIED,
            client_file=client_file,
            changes=changes,
            reason=f"Verwerkt in het bestaande dossier. {_changed_text(changes)}",
        )
    if koppeling.handover or koppeling.azc_location:
        summary = koppeling.handover.get("samenvatting") or "Warme overdracht van COA ontvangen."
        outcome.signals.append(
            SignalDraft(
                FileSignalKind.WARME_OVERDRACHT,
                summary,
                {**koppeling.handover, "azc_locatie": koppeling.azc_location},
            )
        )
    if koppeling.health is not None:
        outcome.signals.append(
            SignalDraft(
                FileSignalKind.HEALTH_SIGNAL,
                "COA gaf gezondheidssignalen door, met toestemming van de persoon. Lees ze alleen als dat nodig is "
                "voor de intake, het PIP of de begeleiding (Wet inburgering 2021 artikel 37 lid 2).",
                koppeling.health,
            )
        )
    return outcome
