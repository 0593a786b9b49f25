"""Single sign-on for a gemeente (#12 item 3): its identity provider, read from the discovery document.

    python -m django configure_sso GM0392 --discovery-url https://login.haarlem.nl/.well-known/openid-configuration \\
        --client-id open-inburgering --client-secret-env OIDC_SECRET_HAARLEM \\
        --role inburgering-regie=klantregisseur --role inburgering-beheer=functioneel_beheerder
    python -m django configure_sso GM0392 --disable

The secret is read from an environment variable, so it does not end up in the shell history. Audited as
login_settings_changed (without the secret). Switching password login off is the functioneel beheerder's choice,
on the Inlogregels page.
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from openinburgering.accounts.models import Gemeente, OidcProvider
from openinburgering.accounts.sso import configure_provider
from openinburgering.audit.services import record_event
from openinburgering.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Configure (or disable) single sign-on with OpenID Connect for one gemeente."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("gemeente", help="CBS code, e.g. GM0392.")
        parser.add_argument("--discovery-url", default="")
        parser.add_argument("--client-id", default="")
        parser.add_argument("--client-secret-env", default="", help="Name of the environment variable with the secret.")
        parser.add_argument("--role", action="append", default=[], help="IdP value=role code; repeat per role.")
        parser.add_argument("--roles-claim", default="roles")
        parser.add_argument("--button-label", default="")
        parser.add_argument("--disable", action="store_true", help="Switch single sign-on off (password login on).")

    def handle(self, *args: Any, **options: Any) -> None:
        gemeente = Gemeente.objects.filter(code=options["gemeente"]).first()
        if gemeente is None:
            raise CommandError(f"Unknown gemeente {options['gemeente']!r}.")
        if options["disable"]:
            self._disable(gemeente)
            return
        secret = os.environ.get(options["client_secret_env"], "") if options["client_secret_env"] else ""
        if not (options["discovery_url"] and options["client_id"] and secret):
            raise CommandError("Give --discovery-url, --client-id and --client-secret-env (a variable that is set).")
        mapping: dict[str, str] = {}
        for item in options["role"]:
            value, _, code = item.partition("=")
            if not value or not code:
                raise CommandError(f"--role {item!r}: use <IdP value>=<role code>.")
            mapping[value] = code
        try:
            provider = configure_provider(
                gemeente=gemeente,
                discovery_url=options["discovery_url"],
                client_id=options["client_id"],
                client_secret=secret,
                role_mapping=mapping,
                button_label=options["button_label"],
                roles_claim=options["roles_claim"],
            )
        except ApplicationError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Single sign-on for {gemeente.name}: {provider.issuer} ({len(mapping)} roles mapped).")

    @transaction.atomic
    def _disable(self, gemeente: Gemeente) -> None:
        updated = OidcProvider.objects.filter(gemeente=gemeente, is_enabled=True).update(is_enabled=False)
        Gemeente.objects.filter(pk=gemeente.pk).update(allows_local_login=True)
        if updated:
            record_event(
                gemeente=gemeente,
                event_type="login_settings_changed",
                purpose="beveiliging",
                via="command",
                changes={"sso": {"old": "enabled", "new": "disabled"}, "allows_local_login": {"new": True}},
            )
        self.stdout.write(f"Single sign-on for {gemeente.name}: off; password login allowed.")
