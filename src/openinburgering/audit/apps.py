import hashlib
from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sha256_hex(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite has no SHA-256; the audit chain's trigger (migration audit.0004) calls this one."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("oi_sha256", 1, _sha256_hex, deterministic=True)


class AuditConfig(AppConfig):
    name = "openinburgering.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        connection_created.connect(register_sqlite_functions, dispatch_uid="audit_sqlite_functions")
