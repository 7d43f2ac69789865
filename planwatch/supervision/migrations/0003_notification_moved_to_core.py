# Notification moved to the core app (decision record 0014): core.0002_notification takes over
# its state; the table supervision_notification and its rows stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0002_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Notification')],
            database_operations=[],
        ),
    ]
