"""Demo data of Mijn Inburgering (#15 item 12): three Haarlem clients who log in through the MOCK DigiD (a BSN is
typed on the library's mock page; this is not DigiD) — one reading Arabic, one Tigrinya, one Dutch — each with a
conversation with kim (one message still unread by her), an open task and, for two of them, an upload waiting on
kim's worklist.

Everything is made through the portal's services (so the audit trail and "wie heeft mijn dossier bekeken" are what
real use leaves); the uploaded "diplomas" are tiny generated PDFs saying they are demo documents. Idempotent: a
client who already has a portal account is skipped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Membership
from openinburgering.clients.models import ClientFile
from openinburgering.mijn import selectors, services
from openinburgering.mijn.access import PortalClient
from openinburgering.mijn.backends import portal_user_for_bsn
from openinburgering.mijn.models import ClientTask, PortalAccount, TaskKind

from .personas import HAARLEM


@dataclass(frozen=True)
class PortalDemoClient:
    bsn: str
    language: str
    language_name: str
    first_message: str
    answer: str
    waiting_message: str
    task: str
    upload: str  # "" for none


PORTAL_CLIENTS = (
    PortalDemoClient(
        "999999862", "ar", "Arabisch", "مرحبا، متى يبدأ درس اللغة؟", "De les begint maandag om 9 uur in het Taalhuis.",
        "شكرا. أرسلت شهادتي من سوريا.", TaskKind.SIGN_PVT, "diploma",
    ),
    PortalDemoClient(
        "999997397", "ti", "Tigrinya", "ሰላም፡ ናይ ቋንቋ ትምህርቲ መዓስ ይጅምር?", "De les begint maandag om 9 uur.",
        "የቐንየለይ። ናብ ቆጸራ ክመጽእ እየ።", TaskKind.UPLOAD_DIPLOMA, "",
    ),
    PortalDemoClient(
        "999990603", "nl", "Nederlands", "Goedemorgen, kan ik ook 's avonds les krijgen?",
        "Ja, dat kan. Ik vraag het aan de taalschool.", "Dank u. Hierbij mijn diploma van de middelbare school.",
        TaskKind.BRING_DOCUMENTS, "diploma",
    ),
)  # fmt: skip

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 100]/Contents 4 0 R/Resources<<>>>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 12 Tf 10 50 Td (Demo-document) Tj ET\nendstream endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _kim() -> Actor | None:
    membership = (
        Membership.objects.select_related("user", "gemeente", "role", "team")
        .filter(user__username="kim", gemeente__code=HAARLEM)
        .first()
    )
    return Actor(user=membership.user, membership=membership) if membership else None


def ensure_demo_portal() -> int:
    """Adds the portal clients that are missing; returns how many (0 on a second run)."""
    kim = _kim()
    if kim is None:
        return 0
    created = 0
    for spec in PORTAL_CLIENTS:
        if PortalAccount.objects.filter(bsn=spec.bsn).exists():
            continue
        client_file = ClientFile.objects.filter(person__bsn=spec.bsn, gemeente__code=HAARLEM).first()
        if client_file is None:
            continue
        with transaction.atomic():
            _seed(spec, client_file, kim)
        created += 1
    return created


def _seed(spec: PortalDemoClient, client_file: ClientFile, kim: Actor) -> None:
    user = portal_user_for_bsn(spec.bsn)  # what the first DigiD login does
    assert user is not None
    account = PortalAccount.objects.get(user=user)
    services.set_language(account=account, language=spec.language)
    client = PortalClient(
        account=account, client_file=client_file, settings=selectors.settings_for(client_file.gemeente)
    )
    services.send_message(client=client, body=spec.first_message)
    services.mark_read_by_staff(actor=kim, client_file=client_file)
    services.answer_message(actor=kim, client_file=client_file, body=spec.answer)
    services.mark_read_by_client(client=client)
    services.send_message(client=client, body=spec.waiting_message)  # waits on kim's caseload
    ClientTask.objects.create(
        client_file=client_file, kind=spec.task, created_at=timezone.now(),
        due_on=timezone.localdate() + timedelta(days=14),
    )  # fmt: skip
    if spec.upload:
        ClientTask.objects.create(client_file=client_file, kind=TaskKind.UPLOAD_DIPLOMA, created_at=timezone.now())
        services.upload_document(
            client=client, kind=spec.upload, max_bytes=len(DEMO_PDF),
            uploaded=SimpleUploadedFile("diploma.pdf", DEMO_PDF, content_type="application/pdf"),
        )  # fmt: skip
