"""Text rules of messages, with no database: normalising for duplicate detection and
word matching, validating and masking a contact, and the sensitive-word matcher
(pyahocorasick)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

import ahocorasick
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from planwatch.feedback.choices import ContactKind

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
# Control characters other than tab and line breaks, and lone surrogates: never typed by a
# person, and PostgreSQL refuses NUL outright.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def check_printable(field: str, value: str) -> str:
    if _UNPRINTABLE.search(value or ""):
        raise ValidationError({field: _("含有无法显示的控制字符，请删除后重试。")})
    return value


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), lower case, no spaces or punctuation: 「Ｈｅｌｌｏ，
    世界！」 and "hello世界" are the same text."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).casefold())


def digest(title: str, body: str) -> str:
    return hashlib.sha256(normalise(f"{title}\n{body}").encode()).hexdigest()


def clean_contact(raw: str) -> tuple[str, str]:
    """(contact, kind) from what the citizen typed: a mobile or landline number, or an
    e-mail address; ("", "") for nothing. Anything else is refused."""
    value = unicodedata.normalize("NFKC", check_printable("contact", raw or "")).strip()
    if not value:
        return "", ContactKind.NONE
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError({"contact": _("电子邮箱格式不正确。")}, code="contact") from None
        return value, ContactKind.EMAIL
    digits = value.replace(" ", "").removeprefix("+86").removeprefix("0086")
    if MOBILE.match(digits) or LANDLINE.match(digits):
        return digits, ContactKind.PHONE
    raise ValidationError(
        {"contact": _("请填写11位手机号、带区号的固定电话或电子邮箱。")}, code="contact"
    )


def mask(contact: str, kind: str) -> str:
    """The contact as staff other than the handler see it: 138****5678, z***@example.com."""
    if not contact:
        return ""
    if kind == ContactKind.EMAIL:
        local, _at, domain = contact.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = contact.replace("-", "")
    return f"{digits[:3]}****{digits[-4:]}"


def matcher(words: Iterable[str]) -> ahocorasick.Automaton | None:
    automaton = ahocorasick.Automaton()
    count = 0
    for word in words:
        key = normalise(word)
        if key:
            automaton.add_word(key, word)
            count += 1
    if not count:
        return None
    automaton.make_automaton()
    return automaton


def matches(automaton: ahocorasick.Automaton | None, text: str) -> list[str]:
    """The listed words found in `text` (normalised alike), each once, in list order."""
    if automaton is None:
        return []
    found = {word for _end, word in automaton.iter(normalise(text))}
    return sorted(found)
