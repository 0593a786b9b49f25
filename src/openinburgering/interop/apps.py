from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "openinburgering.interop"
    label = "interop"
    verbose_name = "Koppelingen (BRP, ZGW, Notificaties, Open Klant) en uitgaande berichten"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The outbox handlers of this app register themselves on import (outbox.register_handler).
        from . import handlers  # noqa: F401 -- imported for its registrations
