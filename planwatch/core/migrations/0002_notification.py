# Notification moved here from the supervision app (decision record 0014). Its table keeps its
# name (supervision_notification, created by supervision.0001/0002): only the model state
# moves, after supervision.0003 has let go of it. The content type moves with it, so the
# demo markers and permissions that point at notifications keep pointing at them.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_to(app_label):
    def move(apps, schema_editor):
        ContentType = apps.get_model('contenttypes', 'ContentType')
        other = 'supervision' if app_label == 'core' else 'core'
        ContentType.objects.using(schema_editor.connection.alias).filter(
            app_label=other, model='notification'
        ).update(app_label=app_label)

    return move


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
        ('supervision', '0003_notification_moved_to_core'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(db_index=True, max_length=32)),
                        ('key', models.CharField(max_length=128)),
                        ('title', models.CharField(max_length=255, verbose_name='标题')),
                        ('body', models.TextField(blank=True, verbose_name='内容')),
                        ('link', models.CharField(blank=True, max_length=255)),
                        ('created_at', models.DateTimeField()),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('emailed', models.BooleanField(default=False)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '通知',
                        'verbose_name_plural': '通知',
                        'db_table': 'supervision_notification',
                        'ordering': ('-created_at',),
                        'constraints': [models.UniqueConstraint(fields=('recipient', 'key'), name='notification_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to('core'), content_type_to('supervision')),
    ]
