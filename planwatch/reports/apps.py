from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "planwatch.reports"
    label = "reports"

    def ready(self) -> None:
        from planwatch.reports import contributions

        contributions.connect()
