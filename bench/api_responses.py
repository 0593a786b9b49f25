"""Dumps the bodies of the API's caseload and person search for the bench users, to compare two versions of the code
byte for byte on the same seeded database (#18: the API caseload's rows became plain dicts; its response must not
change by a byte).

    BENCH_DATABASE=oi_x_bench PYTHONPATH=<old src> .venv/bin/python bench/api_responses.py /tmp/old.jsonl
    BENCH_DATABASE=oi_x_bench PYTHONPATH=<new src> .venv/bin/python bench/api_responses.py /tmp/new.jsonl
    cmp /tmp/old.jsonl /tmp/new.jsonl

Each line is one request: method, path, status and the body as it came. The same day, the same database: every
run writes its own audit rows and tokens (which no compared body shows). Never point it at openinburgering_bench
(another session's database): BENCH_DATABASE must be given.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
if not os.environ.get("BENCH_DATABASE"):
    raise SystemExit("set BENCH_DATABASE to your own seeded database")

import bench

CASELOAD_QUERIES = (
    "?scope=mine", "?scope=mine&page=2", "?scope=mine&page_size=100", "?scope=mine&ordering=name",
    "?scope=mine&ordering=-opened&page=3", "?scope=mine&overdue=true", "?scope=mine&due_within_days=30",
    "?scope=mine&kind=pip_due", "?scope=mine&low_attendance=true", "?scope=mine&status=intake",
    "?scope=mine&doelgroep=gezinsmigrant", "?scope=mine&page=99",
)  # fmt: skip
TEAM_QUERIES = (
    "?scope=team", "?scope=team&page=7&page_size=50", "?scope=team&assigned_to=0", "?scope=team&ordering=status",
)  # fmt: skip


def main(out: Path) -> None:
    os.environ.update(bench.ENV)
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from openinburgering.accounts.models import Membership
    from openinburgering.accounts.tokens import create_api_token
    from openinburgering.clients.models import ClientFile

    prefix = f"seed-{bench.GEMEENTE.lower()}"
    client = Client()
    caseload, search = reverse("api:caseload"), reverse("api:person-search")
    lines = []

    def record(method: str, path: str, token: str, body: str = "") -> None:
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
        if method == "GET":
            response = client.get(path, **headers)
        else:
            response = client.generic("POST", path, body, content_type="application/json", **headers)
        lines.append(json.dumps({"request": f"{method} {path} {body}", "status": response.status_code,
                                 "body": response.content.decode()}, ensure_ascii=False))  # fmt: skip

    memberships = (
        Membership.objects.filter(gemeente__code=bench.GEMEENTE, user__username__startswith=prefix)
        .filter(role__code__in=("klantregisseur", "teamleider"))
        .select_related("user", "role", "gemeente")
        .order_by("user__username")
    )
    for membership in memberships:
        token = create_api_token(membership=membership, name="api-responses")[1]
        queries = TEAM_QUERIES if membership.role.code == "teamleider" else CASELOAD_QUERIES
        for query in queries:
            record("GET", caseload + query, token)
        if membership.role.code == "klantregisseur":
            files = ClientFile.objects.filter(assigned_to=membership.user).select_related("person").order_by("pk")[:6]
            for client_file in files:
                person = client_file.person
                for text in (person.bsn, person.surname, f"{person.birth_on:%d-%m-%Y}", person.given_names[:3]):
                    record("POST", search, token, json.dumps({"q": text}))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} responses written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
