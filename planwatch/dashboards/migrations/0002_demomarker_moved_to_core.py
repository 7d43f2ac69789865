# DemoMarker moved to the core app (core.0001_initial takes over its state; the table stays).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('dashboards', '0001_initial'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='DemoMarker')],
            database_operations=[],
        ),
    ]
