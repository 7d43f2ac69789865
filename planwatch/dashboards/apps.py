from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "planwatch.dashboards"
    verbose_name = "dashboards"
