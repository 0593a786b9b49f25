from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openinburgering.accounts"
    label = "accounts"
    verbose_name = "Accounts en gemeenten"
