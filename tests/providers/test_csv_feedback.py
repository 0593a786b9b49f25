"""#11 item 9: the upload page says what happened (processed and rejected, in an error or success alert), lists
every rule the upload checks (from the rules catalogue next to the checks) and offers a template CSV."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openinburgering.providers import services
from openinburgering.providers.models import WeeklyReport

from .conftest import last_week, weeks_ago
from .test_csv import HEADER

UPLOAD_URL = "/portaal-aanbieder/uploaden/"


def upload(client, body: str):
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile("uren.csv", body.encode(), "text/csv")})


@pytest.mark.django_db
def test_three_of_five_rejected_rows_are_an_error_alert_with_each_row_and_reason(setup, login) -> None:
    mine, theirs = setup["mine"].pk, setup["theirs"].pk
    body = HEADER + "\n".join(
        [
            f"{mine};{last_week()};8;6;2;0;;",  # line 2: good
            f"{theirs};{last_week()};8;8;0;0;;",  # line 3: another provider's placement
            f"{mine};2026-47;8;8;0;0;;",  # line 4: bad week
            f"{mine};{weeks_ago(2)};8;6;0;2;;",  # line 5: unauthorised absence without a reason
            f"{mine};{weeks_ago(3)};8;8;0;0;;",  # line 6: good
        ]
    )
    response = upload(login("anouk"), body)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Klaar" not in html
    assert '<section aria-labelledby="result-title" class="utrecht-alert utrecht-alert--error" role="alert">' in html
    assert '<h2 class="utrecht-heading-2" id="result-title">2 verwerkt, 3 afgewezen</h2>' in html
    assert "regel 3: plaatsing onbekend" in html
    assert "regel 4: Schrijf de week als jaar-W-weeknummer, bijvoorbeeld 2026-W47." in html
    assert "regel 5: Vul de reden in van de afwezigheid zonder geldige reden." in html
    assert WeeklyReport.objects.count() == 2


@pytest.mark.django_db
def test_all_rows_fine_is_a_success_alert(setup, login) -> None:
    mine = setup["mine"].pk
    body = HEADER + f"{mine};{last_week()};8;6;2;0;;\n{mine};{weeks_ago(2)};8;8;0;0;;\n"
    html = upload(login("anouk"), body).content.decode()
    assert '<section aria-labelledby="result-title" class="utrecht-alert utrecht-alert--ok" role="status">' in html
    assert '<h2 class="utrecht-heading-2" id="result-title">Klaar: 2 regels verwerkt, geen fouten</h2>' in html
    assert "Afgewezen regels" not in html
    assert "Afgewezen: 0" in html


@pytest.mark.django_db
def test_the_page_lists_every_rule_of_the_upload(setup, login) -> None:
    html = login("anouk").get(UPLOAD_URL).content.decode()
    rules = services.csv_rules()
    assert [rule.code for rule in rules] == [
        "utf8", "header", "size", "rows", "columns", "enrolment", "week", "week_started", "week_in_placement",
        "hours", "hours_total", "reason", "accepted", "once",
    ]  # fmt: skip
    for rule in rules:
        assert f'<li class="utrecht-unordered-list__item">{rule.text}</li>' in html, rule.code


# One row breaking each row rule of the catalogue, with the reason the upload gives. A rule added to the
# catalogue without a row here fails test_every_row_rule_has_an_example; a listed rule the upload does not check
# fails test_each_row_rule_is_checked.
def bad_rows(mine: int, proposed: int) -> dict[str, tuple[str, str]]:
    """Per rule: the rows after the header, and the reason given for the last of them."""
    return {
        "columns": (f"{mine};{last_week()};8;8;0;0", f"deze regel heeft niet {len(services.CSV_COLUMNS)} kolommen"),
        "enrolment": (f"999999;{last_week()};8;8;0;0;;", "plaatsing onbekend"),
        "week": (f"{mine};2026-47;8;8;0;0;;", "Schrijf de week als jaar-W-weeknummer, bijvoorbeeld 2026-W47."),
        "week_started": (
            f"{mine};2099-W01;8;8;0;0;;",
            "Deze week is nog niet begonnen. U kunt alleen over een week melden die al begonnen is.",
        ),
        "week_in_placement": (f"{mine};2020-W01;8;8;0;0;;", "Deze week ligt voor de start van de plaatsing."),
        "hours": (f"{mine};{last_week()};8;2,55;0;0;;", "Gebruik hoogstens 1 cijfer achter de komma."),
        "hours_total": (
            f"{mine};{last_week()};4;4;1;0;;",
            "Aanwezig en afwezig samen zijn meer dan de aangeboden uren. Controleer de uren.",
        ),
        "reason": (f"{mine};{last_week()};8;6;0;2;;", "Vul de reden in van de afwezigheid zonder geldige reden."),
        "accepted": (
            f"{proposed};{last_week()};8;8;0;0;;",
            "Voor deze plaatsing kunt u (nog) geen uren melden. Accepteer de plaatsing eerst.",
        ),
        "once": (
            f"{mine};{last_week()};8;8;0;0;;\n{mine};{last_week()};8;7;0;0;;",
            f"plaatsing {mine} week {last_week()} staat ook op regel 2; geef één regel per plaatsing en week",
        ),
    }


ROW_RULES = ("columns", "enrolment", "week", "week_started", "week_in_placement", "hours", "hours_total", "reason",
             "accepted", "once")  # fmt: skip


def test_every_row_rule_has_an_example() -> None:
    row_codes = tuple(rule.code for rule in services.csv_rules() if rule.per_row)
    assert row_codes == ROW_RULES
    assert tuple(bad_rows(1, 2)) == ROW_RULES


@pytest.mark.django_db
@pytest.mark.parametrize("code", ROW_RULES)
def test_each_row_rule_is_checked(setup, make_file, enrol, regional_contract, code) -> None:
    proposed = enrol(make_file(person={"surname": "Nieuw"}), regional_contract)
    rows, message = bad_rows(setup["mine"].pk, proposed.pk)[code]
    result = services.import_csv(actor=setup["anouk"], provider=setup["provider"], raw=(HEADER + rows).encode())
    line = 1 + len(rows.splitlines())
    assert result.errors == [{"line": line, "message": f"regel {line}: {message}"}]


@pytest.mark.django_db
def test_template_csv_has_the_header_and_one_example_row(setup, login) -> None:
    response = login("anouk").get(UPLOAD_URL + "voorbeeld.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="uren-voorbeeld.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0] == ";".join(services.CSV_COLUMNS)
    assert lines[1] == f"0;{last_week()};8;6;1;1;Ziek zonder bericht;Voorbeeld: vervang door uw eigen regels"
    assert len(lines) == 2
    page = login("anouk").get(UPLOAD_URL).content.decode()
    assert 'href="/portaal-aanbieder/uploaden/voorbeeld.csv"' in page


@pytest.mark.django_db
def test_the_template_csv_writes_nothing_when_uploaded_as_it_is(setup, login) -> None:
    client = login("anouk")
    raw = client.get(UPLOAD_URL + "voorbeeld.csv").content
    result = services.import_csv(actor=setup["anouk"], provider=setup["provider"], raw=raw)
    assert result.errors == [{"line": 2, "message": "regel 2: plaatsing onbekend"}]
    assert WeeklyReport.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["kim", "carla"])
def test_template_csv_is_only_for_provider_users(setup, login, username) -> None:
    assert login(username).get(UPLOAD_URL + "voorbeeld.csv").status_code == 404
