"""The warme-overdracht package: a snapshot of exactly the sections of the file the client consented to share with
one partner for one referral (#14 item 3). Built once, stored insert-only; the partner reads this snapshot and
nothing else of the file. Each section is a list of (label, value) lines, so the partner page and the API show it
without knowing the file's models."""

from __future__ import annotations

from typing import Any

from openinburgering.accounts.sections import Section
from openinburgering.clients.models import ClientFile
from openinburgering.intakes.choices import Leefgebied
from openinburgering.intakes.leefgebieden import spec_for
from openinburgering.intakes.models import Intake, LeefgebiedAssessment

# The sections a package may carry: who the person is and how to reach them, the brede intake per leefgebied, and
# health (special category, AVG art. 9: only with the person's standing health consent as well).
PACKAGE_SECTIONS: dict[str, str] = {
    Section.BASIS: "Wie is de persoon en hoe bereikt u hem of haar",
    Section.INTAKE: "Brede intake: wat speelt er per leefgebied (zonder gezondheid)",
    Section.GEZONDHEID: "Gezondheid uit de brede intake",
}

Line = list[str]


def _basis(client_file: ClientFile) -> list[Line]:
    person = client_file.person
    lines = [
        ["Naam", person.full_name],
        ["Geboortedatum", person.birth_on.strftime("%d-%m-%Y")],
        ["Talen", person.languages or "Niet bekend"],
        ["Tolk nodig", f"Ja, {person.interpreter_language}" if person.interpreter_needed else "Nee"],
    ]
    if person.phone:
        lines.append(["Telefoon", person.phone])
    if person.email:
        lines.append(["E-mail", person.email])
    if person.city:
        lines.append(["Woonplaats", person.city])
    return lines


def _latest_intake(client_file: ClientFile) -> Intake | None:
    return (
        Intake.objects.filter(client_file=client_file, person_id=client_file.person_id)
        .order_by("-started_at", "-id")
        .first()
    )


def _assessment_lines(assessment: LeefgebiedAssessment, *, with_details: bool) -> list[Line]:
    label = assessment.get_leefgebied_display()
    lines: list[Line] = []
    if assessment.score is not None:
        lines.append([f"{label}: zelfredzaamheid", f"{assessment.score} van 5"])
    if assessment.finding:
        lines.append([f"{label}: wat de klantregisseur ziet", assessment.finding])
    if assessment.wishes:
        lines.append([f"{label}: wensen en doelen", assessment.wishes])
    spec = spec_for(assessment.leefgebied)
    if with_details and spec is not None:
        for detail in spec.fields:
            value = assessment.details.get(detail.key)
            if value in (None, "", []):
                continue
            shown = dict(detail.choices).get(str(value), str(value)) if detail.choices else str(value)
            lines.append([detail.label, shown])
    return lines


def _intake(client_file: ClientFile, *, health: bool) -> list[Line]:
    intake = _latest_intake(client_file)
    if intake is None:
        return [["Brede intake", "Nog geen brede intake vastgelegd."]]
    assessments = LeefgebiedAssessment.objects.filter(intake=intake)
    if health:
        assessments = assessments.filter(leefgebied=Leefgebied.GEZONDHEID)
    else:
        assessments = assessments.exclude(leefgebied=Leefgebied.GEZONDHEID)
    lines: list[Line] = []
    for assessment in assessments.order_by("id"):
        lines += _assessment_lines(assessment, with_details=health)
    return lines or [["Brede intake", "Niets vastgelegd voor dit onderdeel."]]


def build_snapshot(client_file: ClientFile, sections: list[str]) -> dict[str, Any]:
    """The package content: per chosen section its title and lines, in a fixed order. Nothing else of the file."""
    content: dict[str, Any] = {}
    for section in PACKAGE_SECTIONS:
        if section not in sections:
            continue
        if section == Section.BASIS:
            lines = _basis(client_file)
        elif section == Section.INTAKE:
            lines = _intake(client_file, health=False)
        else:
            lines = _intake(client_file, health=True)
        content[str(section)] = {"title": PACKAGE_SECTIONS[section], "lines": lines}
    return content
