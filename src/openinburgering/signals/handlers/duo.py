"""What a validated DUO event does to the gemeente's file (``handle_duo_event``): plicht, move in and out, termijn,
leerbaarheidstoets, doelgroep, vrijstelling or ontheffing, end of the plicht."""

from __future__ import annotations

from typing import Any

from openinburgering import rules
from openinburgering.accounts.actor import Actor
from openinburgering.clients.models import ClientFile
from openinburgering.core.errors import ApplicationError

from ..choices import FileSignalKind, MessageStatus
from ..messages import (
    DOELGROEP_CODES,
    LBT_CODES,
    MOVE_IN_CODES,
    MOVE_OUT_CODES,
    ONTHEFFING_CODES,
    PLICHT_CODES,
    PLICHT_ENDED_CODES,
    TERMIJN_CODES,
    VRIJSTELLING_CODES,
    DuoEvent,
)
from ..plicht_check import SignalDraft, file_facts_from_duo, plicht_mismatches, rules_plicht
from ..selectors import lock_file, open_file_for_bsn
from .common import NO_FILE, Outcome, _changed_text, _json, _other_gemeente, _register, change_status, update_file

# ---------------------------------------------------------------------------------------------------------------
# DUO


def handle_duo_event(*, actor: Actor, event: DuoEvent, via: str) -> Outcome:
    own_code = actor.gemeente.code.removeprefix("GM")
    existing = open_file_for_bsn(gemeente_id=actor.gemeente_id, bsn=event.bsn)
    client_file = lock_file(existing.pk) if existing is not None else None
    if event.code in MOVE_OUT_CODES:
        if client_file is None:
            return Outcome.quarantine(NO_FILE)
        return _move_out(actor, event, client_file, via)
    if event.gemeentecode != own_code:
        return _other_gemeente(event.gemeentecode)
    if event.code in PLICHT_CODES:
        return _plicht(actor, event, client_file, via)
    if event.code in MOVE_IN_CODES:
        return _move_in(actor, event, client_file, via)
    if client_file is None:
        return Outcome.quarantine(NO_FILE)
    if event.code in TERMIJN_CODES:
        return _termijn(event, client_file)
    if event.code in LBT_CODES:
        return _lbt(event, client_file)
    if event.code in DOELGROEP_CODES:
        return _doelgroep(actor, event, client_file, via)
    if event.code in VRIJSTELLING_CODES | ONTHEFFING_CODES:
        return _exemption(actor, event, client_file, via)
    if event.code in PLICHT_ENDED_CODES:
        return _plicht_ended(actor, event, client_file, via)
    raise ApplicationError(f"De gebeurteniscode {event.code} wordt niet verwerkt.")  # parse_duo_event prevents it


def _new_file_from_duo(actor: Actor, event: DuoEvent, file_data: dict[str, Any], via: str) -> ClientFile:
    if event.person is None:
        raise ApplicationError(
            "Deze persoon is nog niet bekend in deze gemeente en het bericht bevat geen persoonsgegevens "
            "(onderdeel 'persoon'). Er is geen dossier aangemaakt."
        )
    return _register(
        actor=actor,
        person=event.person.as_person_fields(bsn=event.bsn, v_number=event.v_number),
        file_data=file_data,
        via=via,
    )


def _plicht(actor: Actor, event: DuoEvent, client_file: ClientFile | None, via: str) -> Outcome:
    plicht = event.data["plicht"]
    doelgroep = event.data.get("doelgroep")
    file_data: dict[str, Any] = {}
    if plicht.get("kennisgeving_on"):
        file_data["kennisgeving_on"] = plicht["kennisgeving_on"]
    if client_file is None:
        if not plicht["plichtig"]:
            reden = plicht.get("reden_geen_plicht") or "geen reden opgegeven"
            return Outcome.quarantine(
                f"DUO meldt dat deze persoon niet inburgeringsplichtig is ({reden}) en de persoon heeft geen "
                "dossier in deze gemeente. Het bericht is niet aan een dossier gekoppeld."
            )
        file_data.update(file_facts_from_duo(doelgroep))
        if plicht.get("begindatum") and file_data.get("residence"):
            file_data["residence_from_on"] = plicht["begindatum"]
        client_file = _new_file_from_duo(actor, event, file_data, via)
        outcome = Outcome(
            status=MessageStatus.APPLIED,
            client_file=client_file,
            created_file=True,
            reason="Nieuw dossier aangemaakt: DUO meldt dat deze persoon inburgeringsplichtig is.",
        )
    else:
        if doelgroep:
            file_data.update({k: v for k, v in file_facts_from_duo(doelgroep).items() if k == "doelgroep"})
        changes = update_file(actor=actor, client_file=client_file, data=file_data, via=via)
        outcome = Outcome(
            status=MessageStatus.APPLIED,
            client_file=client_file,
            changes=changes,
            reason=f"Verwerkt in het bestaande dossier. {_changed_text(changes)}",
        )
    outcome.signals += plicht_mismatches(
        client_file, duo_plichtig=plicht["plichtig"], duo_indeling=(doelgroep or {}).get("indeling")
    )
    return outcome


def _move_in(actor: Actor, event: DuoEvent, client_file: ClientFile | None, via: str) -> Outcome:
    vestiging = event.data["vestiging"]
    doelgroep = event.data.get("doelgroep")
    if client_file is None:
        file_data = {"registered_on": vestiging["datum"], **file_facts_from_duo(doelgroep)}
        client_file = _new_file_from_duo(actor, event, file_data, via)
        outcome = Outcome(
            status=MessageStatus.APPLIED,
            client_file=client_file,
            created_file=True,
            reason="Nieuw dossier aangemaakt: de persoon is in deze gemeente komen wonen.",
        )
    else:
        changes = update_file(actor=actor, client_file=client_file, data={"registered_on": vestiging["datum"]}, via=via)
        outcome = Outcome(
            status=MessageStatus.APPLIED,
            client_file=client_file,
            changes=changes,
            reason=f"Verwerkt in het bestaande dossier. {_changed_text(changes)}",
        )
    if event.code == "SS121":
        pip = event.data["pip"]
        outcome.signals.append(
            SignalDraft(
                FileSignalKind.PIP_PREVIOUS_GEMEENTE,
                f"De persoon heeft een PIP van de vorige gemeente (dagtekening {pip['dagtekening']:%d-%m-%Y}, "
                f"leerroute {pip['leerroute']}). Stel binnen 10 weken na inschrijving een nieuw PIP vast, met dezelfde "
                "leerroute (Wet inburgering 2021 artikel 15 lid 4). De termijn loopt door.",
                {
                    "dagtekening": pip["dagtekening"].isoformat(),
                    "leerroute": pip["leerroute"],
                    "vorige_gemeentecode": vestiging.get("vorige_gemeentecode", ""),
                },
            )
        )
    if doelgroep:
        outcome.signals += plicht_mismatches(client_file, duo_plichtig=None, duo_indeling=doelgroep.get("indeling"))
    return outcome


def _move_out(actor: Actor, event: DuoEvent, client_file: ClientFile, via: str) -> Outcome:
    vertrek = event.data["vertrek"]
    outcome = Outcome(
        status=MessageStatus.APPLIED,
        client_file=client_file,
        reason=f"De persoon is verhuisd naar gemeente GM{vertrek['nieuwe_gemeentecode']}.",
    )
    change_status(
        actor=actor,
        outcome=outcome,
        client_file=client_file,
        to_status="verhuisd",
        via=via,
        reason=f"DUO: vertrokken naar gemeente GM{vertrek['nieuwe_gemeentecode']} op {vertrek['datum']:%d-%m-%Y}.",
    )
    return outcome


def _termijn(event: DuoEvent, client_file: ClientFile) -> Outcome:
    """DUO reports the inburgeringstermijn (SS102). DUO decides on an extension (W 12, B 4.4) and then reports the
    longer termijn; ``rules.file_termijn`` says whether DUO's termijn fits the PIP (same start, the PIP's end plus
    whole months), the same reading every page makes of the stored report. A fitting extension is recorded as one;
    a termijn that does not fit is a 'termijn wijkt af' signal (and the file keeps the PIP's termijn)."""
    termijn = event.data["termijn"]
    start, end = termijn["startdatum"], termijn["einddatum"]
    data: dict[str, Any] = {"startdatum": start.isoformat(), "einddatum": end.isoformat()}
    text = f"DUO: de inburgeringstermijn loopt van {start:%d-%m-%Y} tot {end:%d-%m-%Y} (de einddatum telt niet mee)."
    reason = "De inburgeringstermijn is gestart. Dit staat als signaal op het dossier."
    mismatch = None
    if client_file.pip_dagtekening_on is not None:
        reported = rules.file_termijn(
            pip_dagtekening_on=client_file.pip_dagtekening_on, duo_startdatum_on=start, duo_einddatum_on=end
        )
        if reported.duo_report == rules.DuoTermijnReport.DOES_NOT_FIT:
            # the termijn that applies is then the PIP's own (reported.extension_months == 0)
            mismatch = SignalDraft(
                FileSignalKind.TERMIJN_MISMATCH,
                f"De termijn van DUO ({start:%d-%m-%Y} tot {end:%d-%m-%Y}) past niet bij de dagtekening "
                "van het PIP in het dossier. Volgens de regels start de termijn op "
                f"{reported.termijn_start_on:%d-%m-%Y}. "
                "Controleer de dagtekening of neem contact op met DUO.",
                {
                    **data,
                    "rules_start": reported.termijn_start_on.isoformat(),
                    "rules_duo_einddatum": reported.duo_einddatum_on.isoformat(),
                },
            )
        elif reported.extension_months:
            months = reported.extension_months
            data["verlenging_maanden"] = months
            text = (
                f"DUO heeft de inburgeringstermijn verlengd met {months} {'maand' if months == 1 else 'maanden'}. "
                f"De termijn loopt nu tot en met {reported.termijn_end_on:%d-%m-%Y}."
            )
            reason = "DUO heeft de inburgeringstermijn verlengd. Dit staat als signaal op het dossier."
    outcome = Outcome(status=MessageStatus.APPLIED, client_file=client_file, reason=reason)
    outcome.signals.append(SignalDraft(FileSignalKind.TERMIJN_STARTED, text, data))
    if mismatch is not None:
        outcome.signals.append(mismatch)
    return outcome


LBT_DUO_TO_RULES = {
    "B1-route haalbaar": rules.LbtOutcome.HAALBAAR,
    "B1-route niet haalbaar": rules.LbtOutcome.NIET_HAALBAAR,
    "Onbekend": rules.LbtOutcome.ONBEKEND,
}


def _lbt(event: DuoEvent, client_file: ClientFile) -> Outcome:
    lbt = event.data["lbt"]
    score = lbt["behaalde_score"]
    data = {
        "resultaat": lbt["resultaat"],
        "behaalde_score": str(score),
        "benodigde_score": str(lbt["benodigde_score"]),
        "datum_afname": lbt["datum_afname"].isoformat(),
    }
    outcome = Outcome(
        status=MessageStatus.APPLIED,
        client_file=client_file,
        reason="De uitslag van de leerbaarheidstoets staat als signaal op het dossier.",
    )
    outcome.signals.append(
        SignalDraft(
            FileSignalKind.LBT_RESULT,
            f"Leerbaarheidstoets op {lbt['datum_afname']:%d-%m-%Y}: {lbt['resultaat']} "
            f"(score {data['behaalde_score'].replace('.', ',')}, nodig {data['benodigde_score'].replace('.', ',')}).",
            data,
        )
    )
    ours = rules.lbt_outcome(taken_on=lbt["datum_afname"], score=int(score))
    if lbt["resultaat"] != "Onbekend" and ours.outcome != LBT_DUO_TO_RULES[lbt["resultaat"]]:
        outcome.signals.append(
            SignalDraft(
                FileSignalKind.LBT_MISMATCH,
                f"DUO meldt '{lbt['resultaat']}', maar volgens de regels is de uitslag bij deze score anders "
                f"(grens {ours.threshold} van 40 op de datum van afname). Vraag DUO om uitleg.",
                {**data, "rules_outcome": str(ours.outcome), "rules_threshold": ours.threshold},
            )
        )
    return outcome


def _doelgroep(actor: Actor, event: DuoEvent, client_file: ClientFile, via: str) -> Outcome:
    doelgroep = event.data["doelgroep"]
    facts = file_facts_from_duo(doelgroep)
    target = facts.get("doelgroep")
    if target is None and doelgroep["indeling"] != "Asielstatushouder" and client_file.doelgroep == "asielstatushouder":
        verdict = rules_plicht(client_file)
        target = (
            str(verdict.doelgroep)
            if verdict and verdict.doelgroep and verdict.doelgroep != "asielstatushouder"
            else "overig"
        )
    changes = update_file(actor=actor, client_file=client_file, data={"doelgroep": target} if target else {}, via=via)
    outcome = Outcome(
        status=MessageStatus.APPLIED,
        client_file=client_file,
        changes=changes,
        reason=f"De doelgroep is gewijzigd door DUO. {_changed_text(changes)}",
    )
    outcome.signals += plicht_mismatches(client_file, duo_plichtig=None, duo_indeling=doelgroep["indeling"])
    return outcome


EXEMPTION_TEXT = {
    "GeheleVrijstelling": "gehele vrijstelling",
    "TijdelijkeVrijstelling": "tijdelijke vrijstelling",
    "GeheleOntheffing": "gehele ontheffing",
    "GedeeltelijkeOntheffing": "gedeeltelijke ontheffing",
}


def _exemption(actor: Actor, event: DuoEvent, client_file: ClientFile, via: str) -> Outcome:
    is_vrijstelling = event.code in VRIJSTELLING_CODES
    block = event.data["vrijstelling" if is_vrijstelling else "ontheffing"]
    data = {k: _json(v) for k, v in block.items()}
    granted = block["oordeel"] == "Toekenning"
    whole = block["soort"] in ("GeheleVrijstelling", "GeheleOntheffing")
    word = "vrijstelling" if is_vrijstelling else "ontheffing"
    kind_text = EXEMPTION_TEXT[block["soort"]]
    outcome = Outcome(
        status=MessageStatus.APPLIED,
        client_file=client_file,
        reason=f"DUO: {kind_text} {'toegekend' if granted else 'afgewezen'}.",
    )
    period = ""
    if block.get("startdatum") and block.get("einddatum"):
        period = f" van {block['startdatum']:%d-%m-%Y} tot en met {block['einddatum']:%d-%m-%Y}"
    outcome.signals.append(
        SignalDraft(
            FileSignalKind.VRIJSTELLING if is_vrijstelling else FileSignalKind.ONTHEFFING,
            f"DUO heeft een {kind_text}{period} {'toegekend' if granted else 'afgewezen'}.",
            data,
        )
    )
    if granted and whole:
        change_status(
            actor=actor,
            outcome=outcome,
            client_file=client_file,
            to_status="vrijgesteld_ontheven",
            via=via,
            reason=f"DUO: {kind_text} toegekend ({event.code}).",
        )
    elif granted:
        outcome.notes.append(f"De status blijft gelijk: een {kind_text} beëindigt de {word} niet helemaal.")
    return outcome


def _plicht_ended(actor: Actor, event: DuoEvent, client_file: ClientFile, via: str) -> Outcome:
    if event.code == "SS106":
        outcome = Outcome(
            status=MessageStatus.APPLIED,
            client_file=client_file,
            reason="DUO: de inburgeringsplicht is voldaan (diploma behaald).",
        )
        change_status(
            actor=actor,
            outcome=outcome,
            client_file=client_file,
            to_status="voldaan",
            via=via,
            reason="DUO: diploma behaald, inburgeringsplicht voldaan (SS106).",
        )
        return outcome
    text = "de persoon is overleden" if event.code == "SS111" else "de inburgeringsplicht is ingetrokken"
    plicht = event.data.get("plicht") or {}
    if plicht.get("reden_geen_plicht"):
        text += f" ({plicht['reden_geen_plicht']})"
    outcome = Outcome(status=MessageStatus.APPLIED, client_file=client_file, reason=f"DUO: {text}.")
    change_status(
        actor=actor,
        outcome=outcome,
        client_file=client_file,
        to_status="beeindigd",
        via=via,
        reason=f"DUO: {text} ({event.code}).",
    )
    return outcome
