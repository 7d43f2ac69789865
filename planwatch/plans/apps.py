from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "planwatch.plans"
    label = "plans"

    def ready(self) -> None:
        from planwatch.core import hooks
        from planwatch.plans.ingest_jobs import ingest_jobs_recover

        hooks.worker_started.connect(ingest_jobs_recover)
