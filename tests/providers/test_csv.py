"""CSV upload of weekly reports: per-row validation with line numbers, good rows kept, idempotent files,
changed rows keep history; the portal page and the API endpoint."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openinburgering.audit.models import AuditEvent
from openinburgering.core.errors import ApplicationError
from openinburgering.providers import services
from openinburgering.providers.models import CsvUpload, WeeklyReport, WeeklyReportHistory

from .conftest import last_week, weeks_ago

HEADER = "plaatsing_id;week;uren_aangeboden;uren_aanwezig;afwezig_geoorloofd;afwezig_ongeoorloofd;reden;notitie\n"


def snapshot() -> tuple[list[tuple[object, ...]], int, int]:
    rows = list(WeeklyReport.objects.order_by("id").values_list("id", "week", "hours_attended", "row_hash"))
    return rows, WeeklyReportHistory.objects.count(), CsvUpload.objects.count()


@pytest.fixture
def setup(make_file, enrol, regional_contract, other_provider, actor):
    mine = enrol(make_file(), regional_contract, accepted=True)
    theirs = enrol(make_file(person={"surname": "Ander"}), other_provider.contracts.get(), accepted=True)
    return {"mine": mine, "theirs": theirs, "anouk": actor("anouk"), "provider": regional_contract.provider}


@pytest.mark.django_db
class TestImport:
    def test_good_and_bad_rows(self, setup) -> None:
        mine, theirs = setup["mine"].pk, setup["theirs"].pk
        body = HEADER + "\n".join(
            [
                f"{mine};{last_week()};8;6;1;1;Ziek zonder melding;Goed bezig",  # line 2: good
                f"{theirs};{last_week()};8;8;0;0;;",  # line 3: another provider's
                f"999999;{last_week()};8;8;0;0;;",  # line 4: unknown
                f"{mine};2026-47;8;8;0;0;;",  # line 5: bad week
                f"{mine};{weeks_ago(2)};4;4;1;0;;",  # line 6: more than offered
                f"{mine};{weeks_ago(3)};4,5;4;0,5;0;;",  # line 7: good, decimal comma
            ]
        )
        result = services.import_csv(actor=setup["anouk"], provider=setup["provider"], raw=body.encode())
        messages = [error["message"] for error in result.errors]
        assert messages[0] == "regel 3: plaatsing onbekend"
        assert messages[1] == "regel 4: plaatsing onbekend"
        assert messages[2].startswith("regel 5: Schrijf de week")
        assert messages[3].startswith("regel 6: Aanwezig en afwezig samen")
        assert (result.upload.rows_total, result.upload.rows_created, result.upload.rows_failed) == (6, 2, 4)
        assert WeeklyReport.objects.filter(enrolment=setup["theirs"]).count() == 0
        assert WeeklyReport.objects.get(week=weeks_ago(3)).hours_offered == Decimal("4.5")
        events = AuditEvent.objects.filter(event_type="weekly_report_saved", client_file=setup["mine"].client_file)
        assert sorted(int(e.subject_id) for e in events) == sorted(
            WeeklyReport.objects.filter(enrolment=setup["mine"]).values_list("pk", flat=True)
        )

    def test_same_file_twice_changes_nothing(self, setup) -> None:
        body = (HEADER + f"{setup['mine'].pk};{last_week()};8;6;2;0;;\n").encode()
        services.import_csv(actor=setup["anouk"], provider=setup["provider"], raw=body)
        before = snapshot()
        again = services.import_csv(actor=setup["anouk"], provider=setup["provider"], raw=body)
        assert again.duplicate
        assert snapshot() == before

    def test_the_same_week_twice_in_one_file_is_a_row_error(self, setup) -> None:
        pk = setup["mine"].pk
        body = HEADER + f"{pk};{last_week()};8;6;2;0;;\n{pk};{last_week()};8;8;0;0;;\n{pk};{weeks_ago(2)};8;8;0;0;;\n"
        result = services.import_csv(actor=setup["anouk"], provider=setup["provider"], raw=body.encode())
        assert [error["message"] for error in result.errors] == [
            f"regel 3: plaatsing {pk} week {last_week()} staat ook op regel 2; geef één regel per plaatsing en week"
        ]
        assert (result.upload.rows_created, result.upload.rows_failed) == (2, 1)
        assert WeeklyReport.objects.get(week=last_week()).hours_attended == Decimal("6.0")  # the first row counts
        assert not WeeklyReportHistory.objects.exists()

    def test_changed_row_keeps_history_and_unchanged_row_is_untouched(self, setup) -> None:
        pk = setup["mine"].pk
        first = HEADER + f"{pk};{last_week()};8;6;2;0;;\n{pk};{weeks_ago(2)};8;8;0;0;;\n"
        services.import_csv(actor=setup["anouk"], provider=setup["provider"], raw=first.encode())
        # Comma-separated this time, one row changed, one row the same.
        second = HEADER.replace(";", ",") + f"{pk},{last_week()},8,5,2,1,Te laat,\n{pk},{weeks_ago(2)},8,8,0,0,,\n"
        result = services.import_csv(actor=setup["anouk"], provider=setup["provider"], raw=second.encode())
        assert (result.upload.rows_replaced, result.upload.rows_unchanged, result.upload.rows_failed) == (1, 1, 0)
        report = WeeklyReport.objects.get(week=last_week())
        assert report.hours_attended == Decimal("5.0")
        assert (report.absence_reason, report.upload_id, report.source) == ("Te laat", result.upload.pk, "csv")
        history = WeeklyReportHistory.objects.get()
        assert history.report == report
        assert history.hours_attended == Decimal("6.0")

    def test_file_level_errors(self, setup) -> None:
        for raw, text in [
            (b"a;b\n1;2\n", "De kolommen kloppen niet"),
            (b"", "leeg"),
            ("\ufeff".encode() + HEADER.encode("utf-16"), "UTF-8"),
            (b"x" * (services.MAX_CSV_BYTES + 1), "te groot"),
        ]:
            with pytest.raises(ApplicationError) as info:
                services.import_csv(actor=setup["anouk"], provider=setup["provider"], raw=raw)
            assert text in info.value.message
        assert not CsvUpload.objects.exists()


@pytest.mark.django_db
class TestUploadPage:
    def test_portal_upload_shows_counts_and_row_errors(self, setup, login) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        body = HEADER + f"{setup['mine'].pk};{last_week()};8;6;2;0;;\n{setup['theirs'].pk};{last_week()};8;8;0;0;;\n"
        client = login("anouk")
        response = client.post(
            "/portaal-aanbieder/uploaden/", {"file": SimpleUploadedFile("uren.csv", body.encode(), "text/csv")}
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "1 verwerkt, 1 afgewezen" in html  # was "Klaar: 2 regels verwerkt" (#11)
        assert "regel 3: plaatsing onbekend" in html
        response = client.post(
            "/portaal-aanbieder/uploaden/", {"file": SimpleUploadedFile("uren.csv", body.encode(), "text/csv")}
        )
        assert "al eerder ingelezen" in response.content.decode()
        assert WeeklyReport.objects.count() == 1

    def test_bad_file_is_a_form_error(self, setup, login) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = login("anouk").post(
            "/portaal-aanbieder/uploaden/", {"file": SimpleUploadedFile("x.csv", b"a;b\n", "text/csv")}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "<title>Fout: " in html
        assert "De kolommen kloppen niet" in html

    def test_upload_page_is_only_for_provider_users(self, setup, login) -> None:
        for username in ("kim", "carla", "zeynep"):
            assert (
                login(username, "GM0473" if username == "zeynep" else "GM0392")
                .get("/portaal-aanbieder/uploaden/")
                .status_code
                == 404
            )


@pytest.mark.django_db
class TestCsvApi:
    def test_csv_endpoint(self, setup, api) -> None:
        body = HEADER + f"{setup['mine'].pk};{last_week()};8;6;2;0;;\nabc;{last_week()};1;1;0;0;;\n"
        client = api("anouk")
        response = client.post("/api/v1/provider/reports/csv", raw=body, content_type="text/csv")
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["rows_created"] == 1
        assert data["row_errors"] == [{"line": 3, "message": "regel 3: plaatsing onbekend"}]
        again = client.post("/api/v1/provider/reports/csv", raw=body, content_type="text/csv").json()
        assert again["duplicate"] is True
        assert WeeklyReport.objects.count() == 1

    def test_csv_endpoint_errors(self, setup, api) -> None:
        client = api("anouk")
        response = client.post("/api/v1/provider/reports/csv", raw="a;b\n", content_type="text/csv")
        assert response.status_code == 400
        assert "kolommen" in response.json()["detail"].lower()
        big = "x" * (services.MAX_CSV_BYTES + 10)
        assert client.post("/api/v1/provider/reports/csv", raw=big, content_type="text/csv").status_code == 413
        assert client.post("/api/v1/provider/reports/csv", {"a": 1}).status_code == 415
        assert api("kim").post("/api/v1/provider/reports/csv", raw=HEADER, content_type="text/csv").status_code == 404
        assert api(None).post("/api/v1/provider/reports/csv", raw=HEADER, content_type="text/csv").status_code == 401
