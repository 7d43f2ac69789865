"""Fill the summaries from the existing tasks and reports (what `planwatch rollup rebuild`
does). It uses the app's own code rather than historical models: the summaries are defined
by that code, and a database without tasks (every new one) does nothing here."""

from typing import Any

from django.db import migrations


def backfill(apps: Any, schema_editor: Any) -> None:
    Task = apps.get_model("tasks", "Task")
    if not Task.objects.exists():
        return
    from planwatch.rollups.services import rollup_rebuild

    rollup_rebuild()


class Migration(migrations.Migration):
    dependencies = [("rollups", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
