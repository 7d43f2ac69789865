# DemoMarker moved here from the dashboards app (decision record 0014). Its table keeps its
# name (dashboards_demomarker, created by dashboards.0001_initial): only the model state moves.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('dashboards', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DemoMarker',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                    ],
                    options={
                        'verbose_name': '演示数据标记',
                        'verbose_name_plural': '演示数据标记',
                        'db_table': 'dashboards_demomarker',
                        'constraints': [models.UniqueConstraint(fields=('content_type', 'object_id'), name='demomarker_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
