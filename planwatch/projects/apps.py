from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "planwatch.projects"
    label = "projects"

    def ready(self) -> None:
        from planwatch.core import hooks
        from planwatch.projects import summary

        hooks.summaries_check.connect(summary.summaries_check_receiver)
        hooks.summaries_rebuild.connect(summary.summaries_rebuild_receiver)
