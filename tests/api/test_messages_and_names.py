"""What people are told when an upload or a request is refused (issue 9 item 14):

- an evidence file name over 200 characters is shortened keeping its extension, so a valid
  PDF is accepted (it was refused as 「不支持的文件类型“”」);
- API validation messages name the field in the reader's language with its key
  (「文件（file）：必须填写」), never `file.file: Field required` or `body.body.…`."""

from __future__ import annotations

from typing import Any

from django.test import Client

from planwatch.reports.evidence import evidence_name
from planwatch.reports.models import Evidence
from tests.api.test_impl_evidence import API, conforms, real_pdf, upload
from tests.api.test_implementation import World, world

__all__ = ["world"]


def test_evidence_names_are_shortened_keeping_the_extension() -> None:
    long = "关于" + "成渝地区双城经济圈建设" * 30 + "的批复.pdf"
    short = evidence_name(long)
    assert len(short) == 200 and short.endswith("的批复.pdf"[-4:]) and short.startswith("关于")
    assert evidence_name("C:\\Users\\张三\\文件.PDF") == "文件.PDF"
    assert evidence_name("a" * 250) == "a" * 200
    assert evidence_name("短名.png") == "短名.png"


def test_a_pdf_with_a_very_long_name_is_accepted(world: World, yibin_reporter: Client) -> None:
    name = "宜宾市" + "重点项目推进情况佐证材料" * 25 + ".pdf"
    assert len(name) > 200
    body = upload(yibin_reporter, world.yibin_report.pk, name, real_pdf())
    stored = Evidence.objects.get(pk=body["id"])
    assert stored.kind == "pdf" and stored.name.endswith(".pdf") and len(stored.name) == 200


def _message(response: Any, method: str) -> str:
    return str(conforms(response, method, 422)["error"]["message"])


def test_a_missing_file_is_named_in_chinese(world: World, yibin_reporter: Client) -> None:
    response = yibin_reporter.post(f"{API}/reports/{world.yibin_report.pk}/evidence", {})
    message = _message(response, "post")
    assert message == "文件（file）：必须填写", message
    assert "file.file" not in message and "Field required" not in message


def test_a_bad_choice_is_named_in_the_readers_language(
    world: World, yibin_reporter: Client
) -> None:
    report = world.yibin_report
    bad = {"version": report.version, "completion": "很多", "progress_status": "finished?"}
    url = f"{API}/reports/{report.pk}"
    response = yibin_reporter.put(url, bad, content_type="application/json")
    message = _message(response, "put")
    assert "完成进度（completion）：应为数字" in message
    assert "进展状态（progress_status）：取值无效，可选：" in message
    assert "body." not in message and "Input should" not in message
    yibin_reporter.cookies["django_language"] = "en"
    response = yibin_reporter.put(url, bad, content_type="application/json")
    english = _message(response, "put")
    assert "Progress status (progress_status): invalid value, one of:" in english, english
    assert "Completion (completion): must be a number" in english
