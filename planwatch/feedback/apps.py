from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "planwatch.feedback"
    label = "feedback"
