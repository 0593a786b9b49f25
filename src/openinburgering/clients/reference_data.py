"""Putting the migration-loaded reference data back (gemeenten and regions, roles, BRP tables) for tests that flush
the database (browser tests, the real job worker). Here because it needs the models of accounts and clients; the
loaders themselves are ``core.reference_data`` (CSV) and ``accounts.reference_data`` (roles)."""

from __future__ import annotations

from openinburgering.accounts.models import Gemeente, Region, Role
from openinburgering.accounts.reference_data import load_roles
from openinburgering.core.reference_data import load_brp_tables, load_gemeenten

from .models import Country, Nationality


def ensure_reference_data() -> None:
    """For tests that flush the database (browser tests): put the migration-loaded data back."""
    if not Gemeente.objects.exists():
        load_gemeenten(Region, Gemeente)
    load_roles(Role)
    if not Nationality.objects.exists():
        load_brp_tables(Nationality, Country)
