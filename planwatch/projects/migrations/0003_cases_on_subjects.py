"""Cases of projects stand on what raised them instead of a generated task: a red light's
case on the (first) light that opened it, an escalated 协调事项's on the issue, a black
listing's 约谈 on the list entry. The generated tasks are deleted when nothing else (a
progress report) holds on to them."""

from django.db import migrations, transaction
from django.db.models.deletion import ProtectedError


def cases_onto_subjects(apps, schema_editor):
    Case = apps.get_model("supervision", "SupervisionCase")
    Task = apps.get_model("tasks", "Task")
    ContentType = apps.get_model("contenttypes", "ContentType")
    tasks = set()
    for model in ("ProjectLight", "CoordinationIssue", "QuarterListEntry"):
        rows = apps.get_model("projects", model).objects.filter(
            case__isnull=False, case__task__isnull=False
        )
        ctype, _c = ContentType.objects.get_or_create(app_label="projects", model=model.lower())
        seen = set()
        for row in rows.order_by("pk"):
            if row.case_id in seen:  # a light still red kept the case of an earlier month
                continue
            seen.add(row.case_id)
            case = Case.objects.get(pk=row.case_id)
            tasks.add(case.task_id)
            Case.objects.filter(pk=case.pk).update(
                task=None, subject_type=ctype, subject_id=row.pk
            )
    for task_id in tasks:
        if Case.objects.filter(task_id=task_id).exists():
            continue
        try:
            with transaction.atomic():
                Task.objects.filter(pk=task_id).delete()
        except ProtectedError:
            pass  # a report was filed on it: the task stays, without its case


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_quarter_lists"),
        ("supervision", "0004_case_subject"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("tasks", "0002_task_co_lead_units_task_deadline_text"),
    ]

    operations = [migrations.RunPython(cases_onto_subjects, migrations.RunPython.noop)]
