"""The form layout every form uses (decision record 0015): one renderer whose templates put
the label beside the field on wide screens, the help text and the errors under the field, and
size each field to its content (`planwatch/templates/forms/`). File inputs are labelled in
the page's language (`planwatch/templates/django/forms/widgets/file.html`), not by the
browser's English 「Choose File」."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's renderer with the project's templates for forms and field groups."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
