"""The portal's demo (#15 item 12): seed_demo gives three Haarlem clients a portal login through the mock DigiD
(Arabic, Tigrinya, Dutch) with a conversation, an open task and uploads waiting on kim's caseload; the README names
their BSNs."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from openinburgering.demo.portal import PORTAL_CLIENTS
from openinburgering.mijn.models import Direction, PortalAccount, PortalMessage, PortalUpload, TaskStatus
from openinburgering.mijn.selectors import file_for_bsn, portal_work_for_files

from .conftest import digid_login

README = Path(__file__).resolve().parents[2] / "README.md"


def test_seed_demo_gives_three_clients_a_portal_with_work_waiting(db, login):
    call_command("seed_demo", verbosity=0)
    assert [spec.language for spec in PORTAL_CLIENTS] == ["ar", "ti", "nl"]
    kim_caseload = login("kim").get(reverse("clients:caseload") + "?sort=name").content.decode()
    for spec in PORTAL_CLIENTS:
        account = PortalAccount.objects.get(bsn=spec.bsn)
        assert account.language == spec.language
        client_file = file_for_bsn(spec.bsn)
        messages = PortalMessage.objects.filter(client_file=client_file)
        assert messages.filter(direction=Direction.TO_CLIENT).count() == 1
        assert messages.filter(direction=Direction.FROM_CLIENT, read_at__isnull=True).count() == 1
        assert client_file.portal_tasks.filter(status=TaskStatus.OPEN).count() >= 1
        assert PortalUpload.objects.filter(client_file=client_file, seen_at__isnull=True).count() == (
            1 if spec.upload else 0
        )
        assert portal_work_for_files([client_file.pk])[client_file.pk].total >= 1
        client = digid_login(spec.bsn)
        page = client.get("/mijn/")
        assert page.status_code == 200
        assert f'<html lang="{spec.language}"' in page.content.decode()
        assert spec.bsn in README.read_text(), f"README does not name the portal BSN {spec.bsn}"
    # kim's first caseload page (sorted by name) shows the portal work of those of them on it
    assert kim_caseload.count("data-portal-work=") >= 1
