"""Fill the light-list summaries (LightRollup) from the existing tasks and their lights, as
0002_backfill did for the others; a database without tasks does nothing here."""

from typing import Any

from django.db import migrations


def fill(apps: Any, schema_editor: Any) -> None:
    Task = apps.get_model("tasks", "Task")
    if not Task.objects.exists():
        return
    from planwatch.rollups.services import rollup_fill_lights

    rollup_fill_lights()


class Migration(migrations.Migration):
    dependencies = [("rollups", "0003_lightrollup")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
