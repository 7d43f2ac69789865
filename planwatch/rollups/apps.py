from django.apps import AppConfig


class RollupsConfig(AppConfig):
    name = "planwatch.rollups"
    label = "rollups"

    def ready(self) -> None:
        from planwatch.core import hooks
        from planwatch.rollups import services

        hooks.figures_changed.connect(services.rollup_refresh_receiver)
        hooks.health_summary.connect(services.health_summary_receiver)
