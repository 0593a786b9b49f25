from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "openinburgering.retention"
    label = "retention"
    verbose_name = "Bewaartermijnen en vernietiging"
    default_auto_field = "django.db.models.BigAutoField"
