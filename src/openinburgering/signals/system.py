"""The actor for imports that no person starts (the ``import_duo_events`` command without ``--user``).

The audit log shows who acted; for a file-based DUO import run by the scheduler that is the inactive service
account ``koppeling-duo`` acting in the named gemeente with a fixed, minimal set of capabilities (it can never
log in: it is inactive and has no usable password, and its membership is not stored).
"""

from __future__ import annotations

from openinburgering.accounts.actor import Actor
from openinburgering.accounts.models import Gemeente, Membership, Role, User
from openinburgering.accounts.roles import Capability

SYSTEM_USERNAME = "koppeling-duo"
SYSTEM_ROLE_CODE = "koppeling"
SYSTEM_CAPABILITIES = [
    str(Capability.VIEW_CLIENT_FILES),
    str(Capability.CHANGE_CLIENT_FILES),
    str(Capability.VIEW_SIGNALS),
    str(Capability.RECEIVE_SIGNALS),
]


def system_actor(gemeente: Gemeente) -> Actor:
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "Koppeling", "last_name": "DUO (bestand)", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    role = Role(code=SYSTEM_ROLE_CODE, name="Koppeling", capabilities=SYSTEM_CAPABILITIES)
    membership = Membership(user=user, gemeente=gemeente, role=role)
    return Actor(user=user, membership=membership)
