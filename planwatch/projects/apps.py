from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "planwatch.projects"
    label = "projects"
