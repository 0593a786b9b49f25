"""Receiving DUO events and COA koppelingen: idempotency, corrections, retractions, quarantine, purge,
plicht mismatches, COA consent and bad input."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from openinburgering.audit.models import AuditEvent
from openinburgering.clients.models import ClientFile, Person, StatusChange
from openinburgering.signals.choices import FileSignalKind, MessageStatus
from openinburgering.signals.models import FileSignal, SignalMessage
from openinburgering.signals.services import (
    import_coa_koppelingen,
    import_duo_events,
    purge_quarantined_signals,
)

from .builders import coa_koppeling, duo_event, new_bsn, plicht_event

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "messages": SignalMessage.objects.count(),
        "files": ClientFile.objects.count(),
        "persons": Person.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "file_signals": FileSignal.objects.count(),
        "changes": AuditEvent.objects.exclude(event_type="signal_duplicate_ignored").count(),
    }


def _batch() -> list[dict]:
    known, other = new_bsn(), new_bsn()
    return [
        plicht_event(bericht_id="duo-1", bsn=known),
        duo_event(
            "SS131",
            bericht_id="duo-2",
            bsn=known,
            leerbaarheidstoets={
                "resultaat": "B1-route haalbaar",
                "behaaldeScore": "30,00",
                "benodigdeScore": "28,00",
                "datumAfname": "2025-10-01",
            },
        ),
        plicht_event(bericht_id="duo-3", bsn=other, gemeentecode="0473"),
        duo_event("SS101", bericht_id="duo-4", bsn="123456789"),
    ]


def test_importing_the_same_file_twice_changes_nothing(staff, tmp_path: Path):
    path = tmp_path / "duo.json"
    path.write_text(json.dumps(_batch()), encoding="utf-8")
    first = StringIO()
    call_command("import_duo_events", str(path), "--gemeente", "GM0392", "--user", "kim", stdout=first)
    after_first = _counts()
    second = StringIO()
    call_command("import_duo_events", str(path), "--gemeente", "GM0392", "--user", "kim", stdout=second)

    assert first.getvalue().splitlines()[-1] == "Totaal 4: applied 2, duplicate 0, quarantined 1, rejected 1"
    assert second.getvalue().splitlines()[-1] == "Totaal 4: applied 0, duplicate 4, quarantined 0, rejected 0"
    assert _counts() == after_first
    assert after_first["messages"] == 4
    assert after_first["files"] == 1
    assert AuditEvent.objects.filter(event_type="signal_duplicate_ignored").count() == 4


def test_command_without_user_acts_as_the_inactive_koppeling_account(staff, tmp_path: Path):
    path = tmp_path / "duo.json"
    path.write_text(json.dumps(plicht_event(bericht_id="sys-1", bsn=new_bsn())), encoding="utf-8")
    call_command("import_duo_events", str(path), "--gemeente", "GM0392", stdout=StringIO())
    message = SignalMessage.objects.get(external_id="sys-1")
    assert message.status == MessageStatus.APPLIED
    assert message.received_by.username == "koppeling-duo"
    assert message.received_by.is_active is False
    assert message.received_by.has_usable_password() is False


def test_bad_messages_are_rejected_with_a_dutch_reason_and_good_ones_are_kept(actor):
    good_bsn = new_bsn()
    report = import_duo_events(actor=actor("kim"), events=[
        plicht_event(bericht_id="bad-bsn", bsn="123456789"),
        plicht_event(bericht_id="bad-date", bsn=new_bsn(), kennisgeving="2025-02-30"),
        duo_event("SS999", bericht_id="bad-code", bsn=new_bsn()),
        {"gebeurtenisId": "SS101"},
        "not an object",
        plicht_event(bericht_id="good", bsn=good_bsn),
    ], via="command")  # fmt: skip

    assert [r.result for r in report.results] == ["rejected"] * 5 + ["applied"]
    reasons = [r.reason for r in report.results]
    assert reasons[0] == "Het BSN is ongeldig. Een BSN heeft 9 cijfers en moet voldoen aan de elfproef."
    assert reasons[1] == "De datum van de kennisgeving bestaat niet (2025-02-30)."
    assert reasons[2] == "De gebeurteniscode SS999 is onbekend of wordt (nog) niet verwerkt."
    assert reasons[3] == "Het bericht heeft geen berichtId."
    assert reasons[4] == "Dit bericht is geen JSON-object."
    assert ClientFile.objects.filter(person__bsn=good_bsn).count() == 1
    assert ClientFile.objects.count() == 1
    rejected = SignalMessage.objects.filter(status=MessageStatus.REJECTED).order_by("pk")
    assert [m.external_id for m in rejected] == ["bad-bsn", "bad-date", "bad-code"]
    assert all(m.payload == {} and len(m.payload_sha256) == 64 for m in rejected)


def test_dates_before_the_birth_date_are_rejected(actor):
    bsn = new_bsn()
    report = import_duo_events(
        actor=actor("kim"), events=[plicht_event(bericht_id="x", bsn=bsn, birth="2025-10-01")], via="command"
    )
    assert report.results[0].result == "rejected"
    assert report.results[0].reason == "Een datum ligt voor de geboortedatum (onderdeel doelgroep, plicht)."
    assert Person.objects.filter(bsn=bsn).count() == 0


def test_a_failure_after_the_file_was_opened_leaves_no_half_written_record(actor, monkeypatch):
    from openinburgering.core.errors import ApplicationError
    from openinburgering.signals.services import receiving

    def fail(**kwargs):
        raise ApplicationError("Signaal kon niet worden opgeslagen.")

    monkeypatch.setattr(receiving, "_raise_file_signals", fail)
    bsn = new_bsn()
    report = import_duo_events(actor=actor("kim"), events=[plicht_event(bericht_id="h1", bsn=bsn)], via="api")

    assert report.results[0].result == "rejected"
    assert report.results[0].reason == "Signaal kon niet worden opgeslagen."
    assert Person.objects.filter(bsn=bsn).count() == 0
    assert ClientFile.objects.count() == 0
    assert StatusChange.objects.count() == 0
    assert set(AuditEvent.objects.values_list("event_type", flat=True)) == {"signal_received", "signal_rejected"}
    assert SignalMessage.objects.get(external_id="h1").status == MessageStatus.REJECTED


def test_same_berichtid_with_other_content_is_refused_and_changes_nothing(actor):
    bsn = new_bsn()
    kim = actor("kim")
    import_duo_events(actor=kim, events=[plicht_event(bericht_id="m1", bsn=bsn)], via="api")
    before = _counts()
    report = import_duo_events(
        actor=kim, events=[plicht_event(bericht_id="m1", bsn=bsn, kennisgeving="2025-09-02")], via="api"
    )
    assert report.results[0].result == "rejected"
    assert report.results[0].reason.startswith("Dit berichtId is al gebruikt voor een bericht met een andere inhoud.")
    assert _counts() == before


def test_a_correction_updates_the_file_with_history_and_points_at_the_old_message(actor):
    bsn = new_bsn()
    kim = actor("kim")
    import_duo_events(actor=kim, events=[plicht_event(bericht_id="p1", bsn=bsn)], via="api")
    report = import_duo_events(actor=kim, events=[
        plicht_event(bericht_id="p1-fix", bsn=bsn, kennisgeving="2025-09-15", correctieVan="p1"),
    ], via="api")  # fmt: skip

    client_file = ClientFile.objects.get(person__bsn=bsn)
    correction = SignalMessage.objects.get(external_id="p1-fix")
    original = SignalMessage.objects.get(external_id="p1")
    assert report.results[0].result == "applied"
    assert str(client_file.kennisgeving_on) == "2025-09-15"
    assert correction.correction_of == original
    assert original.status == MessageStatus.APPLIED
    assert correction.result["changes"] == {"kennisgeving_on": {"old": "2025-09-01", "new": "2025-09-15"}}
    update = AuditEvent.objects.get(client_file=client_file, event_type="client_file_updated")
    assert update.changes == {"kennisgeving_on": {"old": "2025-09-01", "new": "2025-09-15"}}
    assert AuditEvent.objects.filter(event_type="signal_corrected", subject_id=str(correction.pk)).count() == 1


def test_a_retraction_undoes_the_change_and_asks_for_review_of_the_opened_file(actor):
    bsn = new_bsn()
    kim = actor("kim")
    import_duo_events(actor=kim, events=[
        plicht_event(bericht_id="r1", bsn=bsn),
        plicht_event(bericht_id="r2", bsn=bsn, kennisgeving="2025-09-20", code="SS139"),
    ], via="api")  # fmt: skip
    client_file = ClientFile.objects.get(person__bsn=bsn)
    assert str(client_file.kennisgeving_on) == "2025-09-20"

    report = import_duo_events(actor=kim, events=[
        {"berichtId": "r2-weg", "intrekkingVan": "r2", "bsn": bsn,
         "registratieDatumTijd": "2026-01-06T09:00:00+01:00"},
        {"berichtId": "r1-weg", "intrekkingVan": "r1", "bsn": bsn,
         "registratieDatumTijd": "2026-01-06T09:01:00+01:00"},
    ], via="api")  # fmt: skip

    client_file.refresh_from_db()
    assert [r.result for r in report.results] == ["applied", "applied"]
    assert report.results[0].reason == "Bericht ingetrokken. Teruggezet in het dossier: kennisgeving DUO."
    assert str(client_file.kennisgeving_on) == "2025-09-01"
    review = FileSignal.objects.get(client_file=client_file, kind=FileSignalKind.REVIEW_NEEDED)
    assert review.message.external_id == "r1-weg"
    assert SignalMessage.objects.get(external_id="r2-weg").retraction_of.external_id == "r2"
    again = import_duo_events(actor=kim, events=[
        {"berichtId": "r2-weg-2", "intrekkingVan": "r2", "bsn": bsn,
         "registratieDatumTijd": "2026-01-06T09:00:00+01:00"},
    ], via="api")  # fmt: skip
    assert again.results[0].result == "rejected"
    assert again.results[0].reason == "Het bericht waar deze intrekking naar verwijst is al ingetrokken."


def test_a_retraction_of_an_unknown_message_is_rejected(actor):
    report = import_duo_events(actor=actor("kim"), events=[
        {"berichtId": "w1", "intrekkingVan": "nooit", "bsn": new_bsn(),
         "registratieDatumTijd": "2026-01-06T09:00:00+01:00"},
    ], via="api")  # fmt: skip
    assert report.results[0].reason == "Het bericht waar deze intrekking naar verwijst (nooit) is niet ontvangen."


def test_a_person_of_another_gemeente_is_quarantined_not_filed_and_purged_with_audit(actor):
    bsn = new_bsn()
    kim, tamara = actor("kim"), actor("tamara")
    report = import_duo_events(actor=kim, events=[plicht_event(bericht_id="q1", bsn=bsn, gemeentecode="0473")],
                               via="api")  # fmt: skip
    message = SignalMessage.objects.get(external_id="q1")
    assert report.results[0].result == "quarantined"
    assert message.client_file is None
    assert message.payload["bsn"] == bsn
    assert Person.objects.filter(bsn=bsn).count() == 0

    assert purge_quarantined_signals(actor=tamara, older_than_days=1) == 0
    assert purge_quarantined_signals(actor=tamara, older_than_days=0) == 1

    message = SignalMessage.objects.get(external_id="q1")
    assert message.status == MessageStatus.PURGED
    assert message.payload == {}
    assert message.purged_at is not None
    assert len(message.payload_sha256) == 64
    assert message.message_type == "SS101"
    purged = AuditEvent.objects.get(event_type="signal_purged")
    assert purged.subject_id == str(message.pk)
    assert purged.actor == tamara.user
    assert bsn not in json.dumps(purged.changes)


def test_purge_command_purges_every_gemeente_and_is_safe_to_run_twice(actor):
    import_duo_events(actor=actor("kim"), events=[plicht_event(bericht_id="q2", bsn=new_bsn(), gemeentecode="0363")],
                      via="api")  # fmt: skip
    out = StringIO()
    call_command("purge_quarantined_signals", stdout=out)
    call_command("purge_quarantined_signals", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 bericht(en) in quarantaine gewist.",
        "0 bericht(en) in quarantaine gewist.",
    ]
    assert AuditEvent.objects.filter(event_type="signal_purged").count() == 1


def test_duo_saying_no_plicht_for_an_unknown_person_is_quarantined(actor):
    report = import_duo_events(actor=actor("kim"), events=[
        plicht_event(bericht_id="n1", bsn=new_bsn(), plichtig=False),
    ], via="api")  # fmt: skip
    assert report.results[0].result == "quarantined"
    assert ClientFile.objects.count() == 0


def test_an_event_about_a_person_without_a_file_is_quarantined(actor):
    report = import_duo_events(actor=actor("kim"), events=[
        duo_event("SS102", bericht_id="t1", bsn=new_bsn(),
                  inburgeringstermijn={"startdatum": "2025-10-02", "einddatum": "2028-10-02"}),
    ], via="api")  # fmt: skip
    assert report.results[0].result == "quarantined"
    assert report.results[0].reason.startswith("Deze persoon heeft geen open dossier in deze gemeente.")


def test_plicht_mismatch_between_rules_and_duo_raises_a_visible_file_signal(actor, make_file):
    # The file says: regular permit for studie (a temporary purpose), so the rules say not plichtig.
    client_file = make_file(file={"residence": "regulier", "residence_purpose": "studie", "doelgroep": "overig"})
    report = import_duo_events(actor=actor("kim"), events=[
        plicht_event(bericht_id="mm1", bsn=client_file.person.bsn, detail="Overig",
                     indeling="Gezinsmigrant en overige migrant"),
    ], via="api")  # fmt: skip
    signal = FileSignal.objects.get(client_file=client_file)
    assert report.results[0].result == "applied"
    assert signal.kind == FileSignalKind.PLICHT_MISMATCH
    assert signal.summary.startswith("DUO meldt dat deze persoon inburgeringsplichtig is.")
    assert "verblijf met een tijdelijk doel" in signal.summary
    assert signal.data["rules_reason"] == "temporary_purpose"
    assert AuditEvent.objects.filter(event_type="plicht_mismatch_detected", client_file=client_file).count() == 1


def test_doelgroep_mismatch_raises_a_signal_and_duo_doelgroep_is_applied(actor, make_file):
    client_file = make_file()  # asiel permit: the rules say asielstatushouder
    import_duo_events(actor=actor("kim"), events=[
        duo_event("SS124", bericht_id="d1", bsn=client_file.person.bsn,
                  doelgroep={"indeling": "Gezinsmigrant en overige migrant",
                             "gedetailleerdeDoelgroep": "Gezinsvormer"}),
    ], via="api")  # fmt: skip
    client_file.refresh_from_db()
    assert client_file.doelgroep == "gezinsmigrant"
    assert list(FileSignal.objects.filter(client_file=client_file).values_list("kind", flat=True)) == [
        FileSignalKind.DOELGROEP_MISMATCH
    ]


def test_move_out_sets_the_status_verhuisd_through_the_file_workflow(actor, make_file):
    client_file = make_file()
    report = import_duo_events(actor=actor("kim"), events=[
        duo_event("SS122", bericht_id="v1", bsn=client_file.person.bsn,
                  vertrek={"datumVertrek": "2025-12-01", "nieuweGemeentecode": "0473"}),
    ], via="api")  # fmt: skip
    client_file.refresh_from_db()
    assert report.results[0].reason == "De persoon is verhuisd naar gemeente GM0473."
    assert client_file.status == "verhuisd"
    assert client_file.status_changes.first().reason == "DUO: vertrokken naar gemeente GM0473 op 01-12-2025."


def test_gehele_vrijstelling_and_lbt_result_reach_the_file(actor, make_file):
    client_file = make_file()
    import_duo_events(actor=actor("kim"), events=[
        duo_event("SS131", bericht_id="l1", bsn=client_file.person.bsn, leerbaarheidstoets={
            "resultaat": "B1-route niet haalbaar", "behaaldeScore": "20,00", "benodigdeScore": "28,00",
            "datumAfname": "2025-10-01"}),
        duo_event("SS107", bericht_id="l2", bsn=client_file.person.bsn, vrijstelling={
            "GeheleVrijstelling": {"oordeel": "Toekenning", "reden": "DIP", "datumOordeel": "2025-11-01"}}),
    ], via="api")  # fmt: skip
    client_file.refresh_from_db()
    kinds = set(FileSignal.objects.filter(client_file=client_file).values_list("kind", flat=True))
    assert kinds == {FileSignalKind.LBT_RESULT, FileSignalKind.VRIJSTELLING}
    assert client_file.status == "vrijgesteld_ontheven"


def test_coa_health_signals_without_consent_are_dropped_and_the_result_says_so(actor):
    bsn = new_bsn()
    report = import_coa_koppelingen(actor=actor("kim"), koppelingen=[
        coa_koppeling(bericht_id="c1", bsn=bsn, health={"signalen": "Slaapt slecht, nachtmerries."}),
    ], via="api")  # fmt: skip
    message = SignalMessage.objects.get(external_id="c1")
    client_file = ClientFile.objects.get(person__bsn=bsn)
    assert report.results[0].result == "applied"
    assert report.results[0].reason == (
        "Nieuw dossier aangemaakt vanuit de COA-koppeling. Gezondheidssignalen zijn niet opgeslagen: in het bericht "
        "is geen toestemming vastgelegd."
    )
    assert "gezondheid" not in message.payload
    assert "nachtmerries" not in json.dumps(list(FileSignal.objects.values_list("data", "summary")))
    assert client_file.coa_koppeling_on.isoformat() == "2025-12-01"
    assert client_file.housed_under_taakstelling is True
    assert client_file.person.interpreter_language == "Arabisch"
    assert list(FileSignal.objects.filter(client_file=client_file).values_list("kind", flat=True)) == [
        FileSignalKind.WARME_OVERDRACHT
    ]


def test_coa_health_signals_with_recorded_consent_are_stored_on_the_file(actor):
    bsn = new_bsn()
    import_coa_koppelingen(actor=actor("kim"), koppelingen=[
        coa_koppeling(bericht_id="c2", bsn=bsn, health={
            "signalen": "Slaapt slecht.", "toestemming": {"vastgelegd": True, "datum": "2025-11-28",
                                                          "doel": "warme overdracht naar de gemeente"}}),
    ], via="api")  # fmt: skip
    health = FileSignal.objects.get(kind=FileSignalKind.HEALTH_SIGNAL)
    assert health.data == {"signalen": "Slaapt slecht.", "toestemming_datum": "2025-11-28",
                           "toestemming_doel": "warme overdracht naar de gemeente"}  # fmt: skip
    assert SignalMessage.objects.get(external_id="c2").payload["gezondheid"]["signalen"] == "Slaapt slecht."


def test_coa_koppeling_for_another_gemeente_is_quarantined_without_health_data(actor):
    import_coa_koppelingen(actor=actor("kim"), koppelingen=[
        coa_koppeling(bericht_id="c3", bsn=new_bsn(), gemeentecode="0473", health={
            "signalen": "Slaapt slecht.", "toestemming": {"vastgelegd": True, "datum": "2025-11-28"}}),
    ], via="api")  # fmt: skip
    message = SignalMessage.objects.get(external_id="c3")
    assert message.status == MessageStatus.QUARANTINED
    assert "gezondheid" not in message.payload
    assert ClientFile.objects.count() == 0


def test_coa_koppeling_for_a_child_is_quarantined_by_the_plicht_rule(actor):
    report = import_coa_koppelingen(actor=actor("kim"), koppelingen=[
        coa_koppeling(bericht_id="c4", bsn=new_bsn(), birth="2015-01-01"),
    ], via="api")  # fmt: skip
    assert report.results[0].result == "quarantined"
    assert report.results[0].reason.startswith(
        "Volgens de regels is deze persoon niet inburgeringsplichtig (jonger dan 16 jaar"
    )


def test_signal_messages_are_insert_only(actor):
    import_duo_events(actor=actor("kim"), events=[plicht_event(bericht_id="i1", bsn=new_bsn())], via="api")
    message = SignalMessage.objects.get(external_id="i1")
    with pytest.raises(TypeError):
        message.save()
    with pytest.raises(TypeError):
        SignalMessage.objects.filter(pk=message.pk).update(reason="x")
    with pytest.raises(TypeError):
        message.delete()
