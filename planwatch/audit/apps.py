from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "planwatch.audit"
    label = "audit"
