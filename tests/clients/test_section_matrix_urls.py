"""Need to know for every page and endpoint of a file, generated (#12 item 1): a new URL cannot skip the matrix.

Every URL pattern with a ``file_id`` or ``client_id`` is requested with GET on a file that holds one record of every
kind. The first role that may open it tells which sections the view asked for (``access_section`` is watched); then
every other Haarlem role must get exactly what the legal maximum of its role gives for those sections: 200 when it
may read them all, 404 otherwise. A URL whose keywords this test cannot fill fails, so a new kind of object gets a
line here too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from openinburgering.accounts.sections import ASSIGNED_ONLY, Access, Section, legal_maximum
from openinburgering.clients import access as client_access
from openinburgering.clients.consent import record_consent
from openinburgering.clients.models import ClientFile, Consent, Note
from openinburgering.handhaving.models import FineBezwaar, FineDecision, FineProposal
from openinburgering.households.services import add_household_member
from openinburgering.intakes.models import Intake, IntakeCall, LearnabilityTest
from openinburgering.letters.models import Letter
from openinburgering.plans.models import Bezwaar, PipVersion, ProgressTalk
from openinburgering.providers.models import Enrolment, ExamResult
from openinburgering.signals.models import FileSignal
from tests.casefile.test_timeline import one_of_each
from tests.mijn.helpers import portal_items
from tests.netwerk.helpers import netwerk_items

from ..conftest import actor_for

pytestmark = pytest.mark.django_db

ROLES = {
    "kim": "klantregisseur",
    "tamara": "teamleider",
    "frank": "financieel_consulent",
    "mira": "maatschappelijk_begeleider",
    "fenna": "functioneel_beheerder",
    "carla": "contractmanager",
    "bram": "beleidsmedewerker",
    "anouk": "aanbieder",
}


def file_patterns() -> Iterator[tuple[str, list[str]]]:
    """(route, keyword names) of every URL that reaches into one client file."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, list[str]]]:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                names = list(entry.pattern.converters) if hasattr(entry.pattern, "converters") else []
                names = names or list(entry.pattern.regex.groupindex)
                if "file_id" in names or "client_id" in names:
                    yield route, names

    yield from walk(get_resolver().url_patterns, "/")


def fill(route: str, values: dict[str, Any]) -> str:
    path = route
    for name, value in values.items():
        for converter in ("int", "str", "slug"):
            path = path.replace(f"<{converter}:{name}>", str(value))
    return path


@pytest.fixture
def full_file(make_file: Callable[..., ClientFile], staff: dict[str, Any]) -> dict[str, Any]:
    client_file = make_file(assigned_to="kim")
    one_of_each(client_file, staff)
    client_file.begeleider = staff["mira"]
    client_file.save(update_fields=["begeleider"])
    kim = actor_for(staff["kim"])
    member = add_household_member(
        actor=kim, client_file=client_file, relation="partner", started_on=date(2025, 7, 1),
        person_data={"given_names": "Omar", "surname": "Haddad", "birth_on": date(1988, 2, 3)},
    )  # fmt: skip
    record_consent(actor=kim, client_file=client_file, purpose="gezondheid", given_on=date(2025, 8, 1), how="Mondeling")
    proposal = FineProposal.objects.get(client_file=client_file)
    decision = FineDecision.objects.get(proposal=proposal)
    portal_request, portal_upload = portal_items(client_file, staff)
    referral, buddy = netwerk_items(client_file, staff)
    return {
        "file_id": client_file.pk,
        "client_id": client_file.pk,
        "version_id": PipVersion.objects.get(client_file=client_file).pk,
        "intake_id": Intake.objects.get(client_file=client_file).pk,
        "call_id": IntakeCall.objects.get(client_file=client_file).pk,
        "lbt_id": LearnabilityTest.objects.get(client_file=client_file).pk,
        "letter_id": Letter.objects.get(client_file=client_file).pk,
        "member_id": member.pk,
        "enrolment_id": Enrolment.objects.get(client_file=client_file).pk,
        "exam_result_id": ExamResult.objects.get(enrolment__client_file=client_file).pk,
        "proposal_id": proposal.pk,
        "fine_id": proposal.pk,
        "decision_id": decision.pk,
        "bezwaar_id": Bezwaar.objects.get(version__client_file=client_file).pk,
        "talk_id": ProgressTalk.objects.get(client_file=client_file).pk,
        "note_id": Note.objects.get(client_file=client_file).pk,
        "signal_id": FileSignal.objects.get(client_file=client_file).pk,
        "file_signal_id": FileSignal.objects.get(client_file=client_file).pk,
        "consent_id": Consent.objects.get(client_file=client_file).pk,
        "code": "werk_inkomen",
        "_fine_bezwaar": FineBezwaar.objects.get(decision=decision).pk,
        "request_id": portal_request.pk,
        "upload_id": portal_upload.pk,
        "referral_id": referral.pk,
        "match_id": buddy.pk,
        **ontzorgen_items(client_file, staff),
    }


def ontzorgen_items(client_file: Any, staff: Any) -> dict[str, int]:
    """A vaste last and a loslaten step of the file (#13), for the ontzorgen URLs."""
    from django.utils import timezone

    from openinburgering.ontzorgen.models import LoslatenStep, Obligation

    frank = staff["frank"]
    obligation = Obligation.objects.create(
        client_file=client_file, gemeente=client_file.gemeente, kind="huur", creditor_name="Woonstichting",
        iban="NL91ABNA0417164300", amount_cents=65000, day_of_month=1, start_on=date(2025, 9, 1),
        created_by=frank, updated_by=frank,
    )  # fmt: skip
    step = LoslatenStep.objects.create(
        client_file=client_file, kind="budgetcoaching", description="Begroting maken", due_on=date(2026, 2, 1),
        created_at=timezone.now(), created_by=frank,
    )  # fmt: skip
    return {"obligation_id": obligation.pk, "step_id": step.pk}


# Read live from the gemeente's contact registry (Open Klant): without one configured it answers 400 for every
# role; its access (section basis, own gemeente) is tested against a loopback registry in tests/interop.
NEEDS_A_REGISTRY = ("/digitale-adressen",)


def may_open(username: str, sections: set[tuple[str, bool]]) -> bool:
    """Whether the role may do what the view asked: read a section, or write it (a form page)."""
    return all(
        legal_maximum(ROLES[username], section) >= (Access.WRITE if write else Access.READ)
        for section, write in sections
    )


def test_every_file_url_answers_each_role_as_the_matrix_says(
    full_file: dict[str, Any], login: Callable[..., Any], api: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, bool]] = []
    real = client_access.access_section

    def watched(actor: Any, client_file: ClientFile, section: Section | str, *, write: bool = False) -> None:
        asked.append((str(section), write))
        real(actor, client_file, section, write=write)

    monkeypatch.setattr(client_access, "access_section", watched)
    browsers = {username: login(username) for username in ROLES}
    tokens = {username: api(username) for username in ROLES}
    unfilled, unreached, wrong = [], [], []
    checked, post_only, registry_only, total = 0, 0, 0, 0
    for route, names in file_patterns():
        missing = [name for name in names if name not in full_file]
        if missing:
            unfilled.append(f"{route}: {missing}")
            continue
        total += 1
        path = fill(route, full_file)
        client_for = tokens if path.startswith("/api/") else browsers
        sections: set[tuple[str, bool]] | None = None
        opener = None
        for username in ("kim", "tamara", "fenna", "frank", "mira"):
            asked.clear()
            status = client_for[username].get(path).status_code
            if status == 405:  # no GET here (a form post or an action): its GET twin is checked instead
                post_only += 1
                break
            if status == 200:
                sections, opener = set(asked), username
                break
        else:
            if path.endswith(NEEDS_A_REGISTRY):
                registry_only += 1
            else:
                unreached.append(path)
            continue
        if sections is None:
            continue
        checked += 1
        for username in ROLES:
            if username == opener:
                continue
            expected = 200 if sections and may_open(username, sections) else 404
            if not sections:  # a door other than access_section (e.g. the audit trail's): only the opener's role
                expected = 200 if ROLES[username] == ROLES[opener] else None
            got = client_for[username].get(path).status_code
            if expected is not None and got != expected:
                wrong.append(f"{username} {path} (sections {sorted(sections)}): {got}, expected {expected}")
    assert unfilled == []
    assert unreached == []
    assert wrong == [], "\n".join(wrong)
    assert checked + post_only + registry_only == total  # each URL of a file: checked for every role, or no GET
    assert checked >= 30  # the pages and read endpoints of all eleven sections' apps
    assert {"maatschappelijk_begeleider"} == ASSIGNED_ONLY  # mira is this file's begeleider above
