"""One termijn everywhere (#16 leftover): the extension DUO reports (W 12, B 4.4; SS102) moves the end of the termijn
on every surface at once -- the PIP page and the file page's PIP section, handhaving (voldaan and the extension
check, page and API), the voortgang figures (page and API) and the portal (pages and API) -- and a retraction takes
it away again everywhere; a report that does not fit the PIP is never an extension. The messages go in through the
real DUO import, as DUO's Inburgeringstermijn API would deliver them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from openinburgering import rules
from openinburgering.clients.models import ClientFile
from openinburgering.mijn.templatetags.mijn import portal_date
from openinburgering.plans.models import PipVersion
from openinburgering.plans.services import beschikking_context, termijn_of
from openinburgering.signals.services import import_duo_events
from tests.signals.builders import duo_event

pytestmark = pytest.mark.django_db

DAGTEKENING = date(2025, 3, 3)  # the termijn runs from 4 March 2025 up to and including 3 March 2028


def _in_termijn(portal: Callable[..., tuple[Client, ClientFile]]) -> tuple[Client, ClientFile, date]:
    """A portal client whose first PIP was vastgesteld on DAGTEKENING (DUO refuses a termijn starting later than
    today, and the fixture's PIP is from today)."""
    client, client_file = portal()
    ClientFile.objects.filter(pk=client_file.pk).update(pip_dagtekening_on=DAGTEKENING)
    PipVersion.objects.filter(client_file=client_file).update(dagtekening_on=DAGTEKENING)
    client_file.refresh_from_db()
    return client, client_file, DAGTEKENING


def _report(actor: Any, client_file: ClientFile, bericht_id: str, start: date, einddatum: date) -> None:
    termijn = {"startdatum": start.isoformat(), "einddatum": einddatum.isoformat()}
    event = duo_event("SS102", bericht_id=bericht_id, bsn=client_file.person.bsn, inburgeringstermijn=termijn)
    report = import_duo_events(actor=actor, events=[event], via="api")
    assert report.results[0].result == "applied", report.results[0].reason


def _retract(actor: Any, client_file: ClientFile, bericht_id: str) -> None:
    report = import_duo_events(actor=actor, events=[
        {"berichtId": f"{bericht_id}-weg", "intrekkingVan": bericht_id, "bsn": client_file.person.bsn,
         "registratieDatumTijd": "2026-01-06T09:00:00+01:00"},
    ], via="api")  # fmt: skip
    assert report.results[0].result == "applied", report.results[0].reason


def _staff_texts(staff: Client, client_file: ClientFile) -> dict[str, str]:
    version = PipVersion.objects.get(client_file=client_file, status="vastgesteld")
    urls = {
        "pip": reverse("plans:version", kwargs={"file_id": client_file.pk, "version_id": version.pk}),
        "file": reverse("clients:detail", kwargs={"file_id": client_file.pk}),
        "handhaving": reverse("handhaving:index", kwargs={"file_id": client_file.pk}),
        "voortgang": reverse("progress:index", kwargs={"file_id": client_file.pk}),
    }
    pages = {name: staff.get(url) for name, url in urls.items()}
    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(urls, 200)
    texts = {name: page.content.decode() for name, page in pages.items()}
    # The file page: its PIP section (the signal list beside it keeps DUO's messages as they came in).
    texts["file"] = texts["file"].split('id="pip-title"', 1)[1].split("</section>", 1)[0]
    return texts


def _apis(staff: Client, client_file: ClientFile) -> dict[str, Any]:
    voldaan = staff.get(f"/api/v1/clients/{client_file.pk}/voldaan")
    progress = staff.get(f"/api/v1/clients/{client_file.pk}/progress")
    assert (voldaan.status_code, progress.status_code) == (200, 200)
    return {"voldaan": voldaan.json()["extension"], "voortgang": progress.json()["extension"]}


def _portal(client: Client) -> tuple[str, str, dict[str, Any]]:
    start, plan, api = client.get("/mijn/"), client.get("/mijn/plan/"), client.get("/api/v1/mijn/plan")
    assert (start.status_code, plan.status_code, api.status_code) == (200, 200, 200)
    return start.content.decode(), plan.content.decode(), api.json()


def test_duos_extension_and_its_retraction_show_on_every_surface(
    portal: Callable[..., tuple[Client, ClientFile]], actor: Callable[..., Any], login: Callable[..., Client]
) -> None:
    client, client_file, pip_on = _in_termijn(portal)
    plain = rules.termijn(pip_dagtekening_on=pip_on)
    extended = rules.termijn(pip_dagtekening_on=pip_on, extensions_months=[6])  # B 4.4: six months
    kim, staff = actor("kim"), login("kim")
    _report(kim, client_file, "eerste", plain.termijn_start_on, plain.duo_einddatum_on)
    _report(kim, client_file, "verlengd", plain.termijn_start_on, extended.duo_einddatum_on)

    client_file.refresh_from_db()
    assert (client_file.duo_termijn_start_on, client_file.duo_termijn_einddatum_on) == (
        plain.termijn_start_on, extended.duo_einddatum_on,
    )  # fmt: skip
    termijn = termijn_of(client_file)
    assert termijn is not None
    assert (termijn.termijn_end_on, termijn.extension_months) == (extended.termijn_end_on, 6)
    assert termijn.route_switch_until_on == plain.route_switch_until_on  # B 5.4: the 18 months do not move

    end, old_end = f"{extended.termijn_end_on:%d-%m-%Y}", f"{plain.termijn_end_on:%d-%m-%Y}"
    texts = _staff_texts(staff, client_file)
    for name in ("pip", "file", "handhaving", "voortgang"):
        assert end in texts[name], name
        assert old_end not in texts[name], name
        assert "Verlengd door DUO met 6 maanden (artikel 12 Wet inburgering 2021)." in texts[name], name
    # Handhaving: the next extension can be asked for from 6 months before the extended end (B 4.5).
    assert f"Een aanvraag kan vanaf {extended.extension_request_from_on:%d-%m-%Y}" in texts["handhaving"]
    apis = _apis(staff, client_file)
    for name in ("voldaan", "voortgang"):
        assert apis[name]["termijn_end_on"] == extended.termijn_end_on.isoformat(), name
        assert apis[name]["request_from_on"] == extended.extension_request_from_on.isoformat(), name
        assert apis[name]["window_open"] is False, name  # today is years before the window opens

    start, plan, api = _portal(client)
    with translation.override("nl"):
        day, old_day = portal_date(extended.termijn_end_on), portal_date(plain.termijn_end_on)
    assert f"Uw inburgering moet klaar zijn op {day}. " in start
    assert start.count("DUO heeft uw termijn verlengd.") == plan.count("DUO heeft uw termijn verlengd.") == 1
    assert day in plan
    assert old_day not in plan
    assert (api["termijn_end_on"], api["termijn_extension_months"]) == (extended.termijn_end_on.isoformat(), 6)

    # DUO retracts the extension: the termijn DUO reported first (the plain one) counts again, everywhere.
    _retract(kim, client_file, "verlengd")
    client_file.refresh_from_db()
    assert client_file.duo_termijn_einddatum_on == plain.duo_einddatum_on
    texts = _staff_texts(staff, client_file)
    for name in ("pip", "file", "handhaving", "voortgang"):
        assert old_end in texts[name], name
        assert end not in texts[name], name
        assert "data-termijn-duo" not in texts[name], name
    apis = _apis(staff, client_file)
    assert apis["voldaan"]["termijn_end_on"] == apis["voortgang"]["termijn_end_on"] == plain.termijn_end_on.isoformat()
    start, plan, api = _portal(client)
    assert "DUO heeft uw termijn verlengd." not in start + plan
    assert old_day in plan
    assert (api["termijn_end_on"], api["termijn_extension_months"]) == (plain.termijn_end_on.isoformat(), 0)


def test_a_report_that_does_not_fit_the_pip_is_no_extension_anywhere(
    portal: Callable[..., tuple[Client, ClientFile]], actor: Callable[..., Any], login: Callable[..., Client]
) -> None:
    client, client_file, pip_on = _in_termijn(portal)
    plain = rules.termijn(pip_dagtekening_on=pip_on)
    # Six months and 17 days longer: not the PIP's termijn plus whole months (a 'termijn wijkt af' signal).
    odd = plain.duo_einddatum_on + timedelta(days=200)
    kim, staff = actor("kim"), login("kim")
    _report(kim, client_file, "afwijkend", plain.termijn_start_on, odd)

    client_file.refresh_from_db()
    assert client_file.duo_termijn_einddatum_on == odd  # stored as DUO sent it; the rules read it
    termijn = termijn_of(client_file)
    assert termijn is not None
    assert (termijn.termijn_end_on, termijn.extension_months, termijn.duo_report) == (
        plain.termijn_end_on, 0, rules.DuoTermijnReport.DOES_NOT_FIT,
    )  # fmt: skip
    texts = _staff_texts(staff, client_file)
    for name in ("pip", "file", "handhaving", "voortgang"):
        assert f"{plain.termijn_end_on:%d-%m-%Y}" in texts[name], name
        assert "Let op: DUO meldt een andere termijn, die niet past bij het PIP." in texts[name], name
        assert "Verlengd door DUO" not in texts[name], name
    apis = _apis(staff, client_file)
    assert apis["voldaan"]["termijn_end_on"] == apis["voortgang"]["termijn_end_on"] == plain.termijn_end_on.isoformat()
    start, plan, api = _portal(client)
    assert "DUO heeft uw termijn verlengd." not in start + plan
    assert "DUO meldt" not in start + plan  # the difference is for the klantregisseur to sort out, not the client
    assert (api["termijn_end_on"], api["termijn_extension_months"]) == (plain.termijn_end_on.isoformat(), 0)


def test_the_beschikking_of_a_changed_pip_states_the_extended_termijn(
    portal: Callable[..., tuple[Client, ClientFile]], actor: Callable[..., Any]
) -> None:
    # A PIP changed after DUO's extension: its beschikking (preview and letter) says the new end.
    _client, client_file, pip_on = _in_termijn(portal)
    plain = rules.termijn(pip_dagtekening_on=pip_on)
    extended = rules.termijn(pip_dagtekening_on=pip_on, extensions_months=[6])
    _report(actor("kim"), client_file, "verlengd", plain.termijn_start_on, extended.duo_einddatum_on)
    client_file.refresh_from_db()
    version = PipVersion.objects.get(client_file=client_file, status="vastgesteld")
    termijn = beschikking_context(client_file, version, dagtekening_on=date(2026, 1, 5))["termijn"]
    assert (termijn.termijn_start_on, termijn.termijn_end_on, termijn.extension_months) == (
        plain.termijn_start_on, extended.termijn_end_on, 6,
    )  # fmt: skip
