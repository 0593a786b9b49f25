"""Route advice after the brede intake and the leerbaarheidstoets: a POLICY HEURISTIC, not law.

The law leaves the choice of leerroute to the college (W 14 lid 5, W 15); it only says what the toets measures.
This module gives the klantregisseur a starting point, with its reasons in Dutch, and nothing more:

- no toets result yet (outcome ``onbekend``): no advice until the toets is done;
- ontheffing of the toets (W 14 lid 6) or B1 not haalbaar: the Z-route;
- B1 haalbaar: the B1-route, or the onderwijsroute when the person is at most 28 years old and the onderwijs
  leefgebied records a study wish. The age limit is guidance, not law (wi2021.md §4 "Onderwijsroute: guidance
  ≤28 years", Schulinck, DIV-QA).

The klantregisseur always weighs the onderwijsroute in writing and may choose another route with a written reason
(RvS 24-12-2024, ECLI:NL:RVS:2024:5413: the college must show it considered the onderwijsroute). The statutory
cesuur of the toets comes from ``rules.lbt_outcome``; nothing here is a statutory date or eligibility.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .choices import LbtOutcome, Leerroute

ONDERWIJS_GUIDANCE_MAX_AGE = 28
"""Policy guidance (not law): the onderwijsroute fits people up to about 28 years (wi2021.md §4)."""


@dataclass(frozen=True)
class Advice:
    route: Leerroute | None
    reasons: tuple[str, ...]

    @property
    def reasons_text(self) -> str:
        return "\n".join(self.reasons)


def age_on(birth_on: date, as_of: date) -> int:
    return as_of.year - birth_on.year - ((as_of.month, as_of.day) < (birth_on.month, birth_on.day))


def advise_route(
    *,
    lbt_outcome: str | None,
    lbt_score: int | None = None,
    lbt_threshold: int | None = None,
    birth_on: date,
    as_of: date,
    onderwijs_details: dict[str, Any] | None = None,
    onderwijs_wishes: str = "",
    werk_details: dict[str, Any] | None = None,
) -> Advice:
    """Advise a leerroute from the toets, the age, education and wishes (see the module docstring)."""
    onderwijs = onderwijs_details or {}
    werk = werk_details or {}
    age = age_on(birth_on, as_of)
    if lbt_outcome in (None, "", LbtOutcome.ONBEKEND):
        return Advice(None, ("Er is nog geen uitslag van de leerbaarheidstoets. Het advies volgt na de toets.",))
    reasons: list[str] = []
    if lbt_outcome == LbtOutcome.ONTHEFFING:
        reasons.append("De persoon heeft ontheffing van de leerbaarheidstoets (W 14 lid 6).")
        reasons.append("Daarom is de Z-route het advies.")
        return Advice(Leerroute.Z, tuple(reasons))
    if lbt_outcome == LbtOutcome.NIET_HAALBAAR:
        score = f" (score {lbt_score} van 40, nodig {lbt_threshold})" if lbt_score is not None else ""
        reasons.append(f"Uit de leerbaarheidstoets blijkt dat B1 niet haalbaar is{score}.")
        reasons.append("Daarom is de Z-route het advies.")
        return Advice(Leerroute.Z, tuple(reasons))
    score = f" (score {lbt_score} van 40, nodig {lbt_threshold})" if lbt_score is not None else ""
    reasons.append(f"Uit de leerbaarheidstoets blijkt dat B1 haalbaar is{score}.")
    level = dict(_LEVEL_LABELS).get(str(onderwijs.get("highest_level", "")), "")
    if level:
        reasons.append(f"Hoogste opleiding in het land van herkomst: {level}.")
    if werk.get("profession"):
        reasons.append(f"Beroep in het land van herkomst: {werk['profession']}.")
    study_wish = onderwijs.get("study_wish") == "ja"
    if study_wish and age <= ONDERWIJS_GUIDANCE_MAX_AGE:
        reasons.append(f"De persoon is {age} jaar en wil een opleiding volgen in Nederland.")
        if onderwijs_wishes.strip() or onderwijs.get("study_wish_text"):
            reasons.append("Wens: " + (str(onderwijs.get("study_wish_text") or "") or onderwijs_wishes).strip())
        reasons.append(
            "Beleidsrichtlijn (geen wet): de onderwijsroute past meestal bij mensen tot en met 28 jaar. "
            "Daarom is de onderwijsroute het advies."
        )
        return Advice(Leerroute.ONDERWIJS, tuple(reasons))
    if study_wish:
        reasons.append(
            f"De persoon wil een opleiding volgen, maar is {age} jaar. De beleidsrichtlijn (geen wet) voor de "
            "onderwijsroute is tot en met 28 jaar. Weeg de onderwijsroute toch zelf af."
        )
    else:
        reasons.append("Er is geen wens vastgelegd om in Nederland een opleiding te volgen.")
    reasons.append("Daarom is de B1-route het advies.")
    return Advice(Leerroute.B1, tuple(reasons))


_LEVEL_LABELS = (
    ("geen", "geen onderwijs"),
    ("basis", "basisonderwijs"),
    ("voortgezet", "voortgezet onderwijs"),
    ("beroeps", "beroepsonderwijs"),
    ("hoger", "hoger onderwijs"),
)
