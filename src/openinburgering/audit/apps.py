from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openinburgering.audit"
    label = "audit"
    verbose_name = "Audit"
