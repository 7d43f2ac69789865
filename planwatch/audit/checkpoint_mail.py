"""Each audit checkpoint mailed to the administrators (docs/decisions/0031-audit-anchor.md):
their mailboxes keep a copy of the checkpoint line that nobody who can write to planwatch's
database or server can change. One queue job per address (`core.mail_jobs.mail_enqueue`),
retried while the mail server refuses. `planwatch audit verify --checkpoint-line LINE` or
`--checkpoint-mail FILE` checks lines taken from these e-mails against the chain."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import override

from planwatch.core import hooks
from planwatch.core.mail_jobs import mail_enqueue

if TYPE_CHECKING:
    from planwatch.audit.anchor import Checkpoint


def checkpoint_mail_addresses() -> list[str]:
    """The administrators' addresses (accounts answers through a hook)."""
    found: set[str] = set()
    for answer in hooks.administrator_addresses.send():
        found.update(a for a in answer or [] if a)
    return sorted(found)


def checkpoint_mail_text(cp: Checkpoint) -> tuple[str, str]:
    """The subject and body (in the site's language, Chinese) of the mail of `cp`."""
    moment = parse_datetime(cp.at)
    local = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else cp.at
    with override(settings.LANGUAGE_CODE):
        subject = _("[planwatch] 审计检查点：%(count)s 条记录（%(at)s）") % {
            "count": cp.count,
            "at": local,
        }
        body = "\n".join(
            [
                _(
                    "这是审计日志的检查点，发给每一位系统管理员留存。请保留本邮件，不要修改；"
                    "数据库中的记录若被改写或删除，可以用它核对出来。"
                ),
                "",
                _("记录条数：%(count)s") % {"count": cp.count},
                _("链头哈希：%(head)s") % {"head": cp.head},
                _("时间：%(at)s") % {"at": local},
                _("密钥编号：%(kid)s") % {"kid": cp.kid or "-"},
                _("校验码（HMAC）：%(mac)s") % {"mac": cp.mac},
                "",
                _("检查点行（核对时原样使用）："),
                cp.line(),
                "",
                _("核对方法：在服务器上运行"),
                f"  planwatch audit verify --checkpoint-line '{cp.line()}'",
                _("或把保存的邮件文件交给 planwatch audit verify --checkpoint-mail 文件名。"),
            ]
        )
    return subject, body


def checkpoint_mail_send(cp: Checkpoint) -> int:
    """Enqueue the mail of `cp` to every administrator with an address; returns how many."""
    addresses = checkpoint_mail_addresses()
    if not addresses:
        return 0
    subject, body = checkpoint_mail_text(cp)
    for address in addresses:
        mail_enqueue(subject=subject, body=body, to=address)
    return len(addresses)
