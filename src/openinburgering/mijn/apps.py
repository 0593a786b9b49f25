from django.apps import AppConfig


class MijnConfig(AppConfig):
    name = "openinburgering.mijn"
    label = "mijn"
    verbose_name = "Mijn Inburgering (portaal voor de inburgeraar)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401 -- connects the login receiver
