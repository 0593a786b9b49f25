"""Role capabilities: the Role rows in the database (seeded by migrations) are exactly accounts.roles, and the
financieel consulent reaches what its comment says (#12 item 9): search and opening a file (whose sections are
limited to basis and financiën by accounts.sections), never changing one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openinburgering.accounts.models import Role
from openinburgering.accounts.roles import ROLE_CAPABILITIES, Capability, RoleCode
from openinburgering.accounts.sections import LEGAL_MAXIMUM, Access, Section

pytestmark = pytest.mark.django_db


def test_the_role_rows_are_the_table_in_roles_py():
    rows = {role.code: sorted(role.capabilities) for role in Role.objects.all()}
    assert rows == {str(code): sorted(str(c) for c in caps) for code, caps in ROLE_CAPABILITIES.items()}


def test_the_financieel_consulent_searches_and_reads_basis_and_financien_only():
    assert ROLE_CAPABILITIES[RoleCode.FINANCIEEL_CONSULENT] == [
        Capability.SEARCH_PERSONS,
        Capability.VIEW_CLIENT_FILES,
        Capability.MANAGE_ONTZORGEN,
        Capability.APPROVE_PAYMENT_RUNS,
    ]
    assert Capability.CHANGE_CLIENT_FILES not in ROLE_CAPABILITIES[RoleCode.FINANCIEEL_CONSULENT]
    assert LEGAL_MAXIMUM["financieel_consulent"] == {Section.BASIS: Access.READ, Section.FINANCIEN: Access.WRITE}


def test_frank_can_search_and_open_a_file_but_not_change_it(login, make_file):
    client_file = make_file()
    client = login("frank")
    assert client.get(reverse("clients:search")).status_code == 200
    assert client.get(reverse("clients:detail", args=[client_file.pk])).status_code == 200
    assert client.get(reverse("clients:caseload")).status_code == 404
    assert client.post(reverse("clients:add-note", args=[client_file.pk]), {"body": "x"}).status_code == 404
