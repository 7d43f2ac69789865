from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "planwatch.accounts"
    label = "accounts"

    def ready(self) -> None:
        from planwatch.accounts.contributions import administrator_addresses
        from planwatch.accounts.permissions import is_admin
        from planwatch.core import hooks

        hooks.audit_reader.connect(is_admin)
        hooks.administrator_addresses.connect(administrator_addresses)
