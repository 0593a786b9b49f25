"""Create, revoke and list API tokens. A token acts as one membership (user + gemeente + role).

    python -m django api_token create --username kim --gemeente GM0392 --role klantregisseur --name "Koppeling X"
    python -m django api_token revoke --prefix 1a2b3c4d
    python -m django api_token list [--gemeente GM0392]

The key is printed once, at creation; only its hash is stored.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from openinburgering.accounts.models import ApiToken, Membership
from openinburgering.accounts.tokens import create_api_token, revoke_api_token


class Command(BaseCommand):
    help = "Create, revoke or list API tokens (each acts as one membership: user, gemeente and role)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help="Create a token and print its key once.")
        create.add_argument("--username", required=True)
        create.add_argument("--gemeente", required=True, help="CBS code, e.g. GM0392.")
        create.add_argument("--role", required=True, help="Role code, e.g. klantregisseur.")
        create.add_argument("--name", required=True, help="What the token is for (shown in lists).")
        revoke = commands.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("--prefix", required=True)
        listing = commands.add_parser("list", help="List tokens (never their keys).")
        listing.add_argument("--gemeente", default="", help="Only tokens of this gemeente (CBS code).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "revoke":
            self._revoke(options["prefix"])
        else:
            self._list(options["gemeente"])

    def _create(self, options: dict[str, Any]) -> None:
        name = options["name"].strip()
        if not name or len(name) > 100:
            raise CommandError("--name must be 1 to 100 characters.")
        membership = (
            Membership.objects.select_related("user", "gemeente", "role")
            .filter(
                user__username=options["username"],
                gemeente__code=options["gemeente"].upper(),
                role__code=options["role"],
                is_active=True,
                user__is_active=True,
            )
            .first()
        )
        if membership is None:
            raise CommandError(
                f"No active membership for user {options['username']!r} as {options['role']!r} in "
                f"{options['gemeente']!r}."
            )
        token, key = create_api_token(membership=membership, name=name)
        self.stdout.write(f"Token {token.prefix} for {membership} (expires {token.expires_at:%Y-%m-%d}).")
        self.stdout.write("Key (shown once, store it now):")
        self.stdout.write(key)

    def _revoke(self, prefix: str) -> None:
        token = (
            ApiToken.objects.select_related("membership__user", "membership__gemeente").filter(prefix=prefix).first()
        )
        if token is None:
            raise CommandError(f"No token with prefix {prefix!r}.")
        if token.revoked_at is not None:
            self.stdout.write(f"Token {prefix} was already revoked on {token.revoked_at:%Y-%m-%d %H:%M}.")
            return
        revoke_api_token(token=token)
        self.stdout.write(f"Token {prefix} revoked.")

    def _list(self, gemeente_code: str) -> None:
        tokens = ApiToken.objects.select_related(
            "membership__user", "membership__gemeente", "membership__role"
        ).order_by("membership__gemeente__code", "membership__user__username", "-created_at")
        if gemeente_code:
            tokens = tokens.filter(membership__gemeente__code=gemeente_code.upper())
        now = timezone.now()
        rows = [("prefix", "state", "user", "gemeente", "role", "name", "expires", "last used")]
        for token in tokens:
            state = "revoked" if token.revoked_at else ("expired" if token.expires_at <= now else "active")
            membership = token.membership
            last_used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "-"
            rows.append(
                (token.prefix, state, membership.user.username, membership.gemeente.code, membership.role.code,
                 token.name, f"{token.expires_at:%Y-%m-%d}", last_used)
            )  # fmt: skip
        if len(rows) == 1:
            self.stdout.write("No tokens.")
            return
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
