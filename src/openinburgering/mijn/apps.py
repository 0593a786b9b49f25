from django.apps import AppConfig


class MijnConfig(AppConfig):
    name = "openinburgering.mijn"
    label = "mijn"
    verbose_name = "Mijn Inburgering (portaal voor de inburgeraar)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from . import signals  # noqa: F401 -- connects the login receiver
        from .notifications import on_letter_created  # registers the outbox handler on import

        post_save.connect(on_letter_created, sender="letters.Letter", dispatch_uid="mijn_letter_notice")
