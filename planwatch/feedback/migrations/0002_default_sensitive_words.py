"""A small default sensitive-word list; administrators edit it on /feedback/words/. A hit
only flags a message for its moderator (decision record 0024)."""

from django.db import migrations

DEFAULT_WORDS = (
    "傻逼",
    "他妈的",
    "去死",
    "操你",
    "代开发票",
    "办证",
    "刷单",
    "贷款秒批",
    "赌博",
    "博彩",
    "色情",
    "枪支",
    "毒品",
    "法轮",
)


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    word = apps.get_model("feedback", "SensitiveWord")
    for w in DEFAULT_WORDS:
        word.objects.get_or_create(word=w)


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("feedback", "SensitiveWord").objects.filter(word__in=DEFAULT_WORDS).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
