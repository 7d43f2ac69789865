"""One response per person per survey, without knowing who anyone is
(docs/decisions/0023-surveys.md): once a browser has answered a survey it carries a cookie
signed by this server (django.core.signing, salted per survey, httponly, SameSite=Lax). Its
value is random and stored nowhere else, so it links to no response. The API hands the same
signed value out as a receipt (`X-Survey-Receipt`) for clients that keep no cookies."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

COOKIE_AGE = 400 * 24 * 3600  # longer than any survey runs


def cookie_name(survey_id: int) -> str:
    return f"pw_survey_{survey_id}"


def _salt(survey_id: int) -> str:
    return f"planwatch.surveys.answered.{survey_id}"


def has_answered(request: HttpRequest, survey_id: int) -> bool:
    """Whether this browser carries the survey's signed "answered" cookie (a cookie not
    signed by this server, or signed for another survey, does not count)."""
    value = request.get_signed_cookie(
        cookie_name(survey_id), default=None, salt=_salt(survey_id), max_age=COOKIE_AGE
    )
    return bool(value)


def mark_answered(response: HttpResponse, survey_id: int) -> str:
    """Set the signed cookie; its value is random and stored nowhere else, so it links to no
    response. Returns the signed value (the API hands it out as the receipt)."""
    token = secrets.token_urlsafe(9)
    response.set_signed_cookie(
        cookie_name(survey_id),
        token,
        salt=_salt(survey_id),
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return str(response.cookies[cookie_name(survey_id)].value)


def receipt_valid(receipt: str, survey_id: int) -> bool:
    """A receipt is the signed cookie value: valid for its own survey only (checked the way
    Django checks the cookie itself)."""
    probe = HttpRequest()
    probe.COOKIES[cookie_name(survey_id)] = receipt
    return has_answered(probe, survey_id)
