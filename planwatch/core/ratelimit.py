"""Per-client rate limits for what anonymous visitors may submit (issue 13, item 5):
survey responses and messages, through the pages and the API alike.

A limit is (action, how many, per how many seconds) in fixed windows. The count lives in the
database (`core.RateCount`), so every gunicorn worker and every application server sharing the
database sees the same count; the client is the address of `core.client_address` (trusted
proxies honoured), stored only as an HMAC keyed with the secret key, so the table holds no
address. `hit` counts and answers in one transaction; a refusal does not count.

    allowed = hit("feedback.submit", client_address(request), limit=5, per=3600)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from planwatch.core.models import RateCount


@dataclass(frozen=True)
class Limit:
    action: str
    limit: int
    per: int  # seconds

    def __str__(self) -> str:
        return f"{self.action}: {self.limit} / {self.per} s"


def _bucket(action: str, client: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{action}\x00{client}".encode(), hashlib.sha256).hexdigest()


def _window(now: dt.datetime, per: int) -> dt.datetime:
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % per, tz=dt.UTC)


def hit(action: str, client: str, *, limit: int, per: int, now: dt.datetime | None = None) -> bool:
    """Count one act of `client` for `action`; True if it is within `limit` acts per `per`
    seconds (this one included). When it is not, nothing is counted."""
    if limit <= 0:
        return False
    now = now or timezone.now()
    bucket, start = _bucket(action, client or "?"), _window(now, per)
    with transaction.atomic():
        rows = RateCount.objects.filter(bucket=bucket, window_start=start, count__lt=limit)
        if rows.update(count=F("count") + 1):
            return True
        if RateCount.objects.filter(bucket=bucket, window_start=start).exists():
            return False
        try:
            with transaction.atomic():
                RateCount.objects.create(bucket=bucket, window_start=start, count=1)
        except IntegrityError:  # another worker created the row at the same moment
            return bool(
                RateCount.objects.filter(bucket=bucket, window_start=start, count__lt=limit).update(
                    count=F("count") + 1
                )
            )
        # a new window: forget the windows that have ended (any action's), now and then
        RateCount.objects.filter(window_start__lt=now - dt.timedelta(days=2)).delete()
    return True


def check(limit: Limit, client: str, now: dt.datetime | None = None) -> bool:
    return hit(limit.action, client, limit=limit.limit, per=limit.per, now=now)
