from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "planwatch.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from planwatch.api.services import api_tokens_revoke_on_password_change
        from planwatch.core import hooks

        hooks.password_changed.connect(api_tokens_revoke_on_password_change)
