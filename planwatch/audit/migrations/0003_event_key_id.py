"""The id of the audit key on each event (key rotation, docs/decisions/0031-audit-anchor.md).
The events keyed so far were keyed with the installation's key: they get its id."""

import hashlib

from django.conf import settings
from django.db import migrations, models


def _label_keyed_events(apps, schema_editor):  # type: ignore[no-untyped-def]
    key = str(settings.PLANWATCH_AUDIT_KEY)
    kid = hashlib.sha256(b"planwatch-audit-key-id:" + key.encode("utf-8")).hexdigest()[:12]
    event = apps.get_model("audit", "AuditEvent")
    event.objects.exclude(mac="").filter(key_id="").update(key_id=kid)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_event_mac"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.RunPython(_label_keyed_events, migrations.RunPython.noop),
    ]
