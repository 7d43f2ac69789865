from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "planwatch.core"
    label = "core"

    def ready(self) -> None:
        # The empty choice of every select reads in the page's language, not Django's
        # untranslated 「- Select an option -」 (Django 6.1 lets an app's ready() set it).
        from django.db.models import fields
        from django.utils.translation import gettext_lazy as _

        fields.BLANK_CHOICE_LABEL = _("请选择")
