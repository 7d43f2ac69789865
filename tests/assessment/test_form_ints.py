"""The assessment forms' integers: a record's id is any positive 64-bit integer (ids pass
10,000 on a database in use: the PostgreSQL test pass found 宜宾's id refused as 单位无效);
a year stays below 10,000."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from planwatch.assessment.views import _int


def test_an_id_past_ten_thousand_is_accepted() -> None:
    assert _int("123456", "单位") == 123456
    assert _int(" 9223372036854775807 ", "单位") == 2**63 - 1


@pytest.mark.parametrize(
    ("raw", "below"), [("0", 2**63), ("-3", 2**63), ("x", 2**63), ("", 2**63), ("10000", 10000)]
)
def test_what_is_refused(raw: str, below: int) -> None:
    with pytest.raises(ValidationError):
        _int(raw, "考核年度", below=below)
