from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "planwatch.tasks"
    label = "tasks"
