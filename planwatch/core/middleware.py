"""Request middleware of the whole site."""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese (LANGUAGE_CODE) unless the visitor chose another language with the switch
    (the language cookie): the browser's Accept-Language is not consulted, so an English
    browser still sees the Chinese interface first, as the plans' users expect."""

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
