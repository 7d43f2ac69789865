"""Login throttling (django-axes) with a second, per-address limit (issue 9 item 14).

Axes locks a username + address pair after PLANWATCH_LOGIN_FAILURE_LIMIT failures. Against
password spraying (one address trying a few passwords on many usernames) an address is also
locked once its failures across all usernames reach PLANWATCH_LOGIN_ADDRESS_LIMIT within the
cool-off time. The address is planwatch.core.client_address (trusted proxies only)."""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's client address, all usernames, within cool-off."""
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    if not address:
        return 0
    total = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return int(total or 0)


class AddressLimitHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Axes' database handler, also locking an address that failed too often overall."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        return super().is_locked(request, credentials) or _address_locked(request)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        """Record the failure as axes does; when the address has reached its limit, answer
        with the lockout page (axes only does so for the username + address pair)."""
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        locked = request is None or getattr(request, "axes_locked_out", False)
        if not locked and _address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def _address_locked(request: HttpRequest) -> bool:
    limit = int(settings.PLANWATCH_LOGIN_ADDRESS_LIMIT)
    return limit > 0 and address_failures(request) >= limit
