from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "openinburgering.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring en contractresultaten"

    def ready(self) -> None:
        from . import signals

        signals.connect()
