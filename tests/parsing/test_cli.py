"""`planwatch parse` as a user runs it: a separate process, its exit status and its streams."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "data" / "plans" / "sichuan-2021-five-regional-plans.txt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planwatch.cli", "parse", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


def test_json_follows_the_contract() -> None:
    proc = run(str(BUNDLED), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "planwatch.parse/1"
    assert doc["source"]["format"] == "pdf-text"
    assert doc["source"]["pages"] == 225
    assert [p["title"] for p in doc["plans"]][1] == "川南经济区“十四五”一体化发展规划"
    chapter = doc["plans"][0]["nodes"][1]
    assert {
        "kind",
        "number",
        "label",
        "title",
        "text",
        "level",
        "line",
        "end_line",
        "page",
        "children",
    } <= set(chapter)
    assert "spans" not in chapter


def test_outline_and_check_are_for_people() -> None:
    outline = run(str(BUNDLED), "--format", "outline")
    assert outline.returncode == 0
    assert "第四节 发展目标  [section, line 844 p.24]" in outline.stdout
    check = run(str(BUNDLED), "--check")
    assert check.returncode == 0
    assert "chapter 58, section 186" in check.stdout
    assert "table-of-contents check: 1 disagreement(s)" in check.stdout


def test_markdown_has_bold_leads() -> None:
    proc = run(str(BUNDLED), "--format", "markdown")
    assert proc.returncode == 0
    assert "**经济实力大幅提升。**" in proc.stdout
    assert proc.stdout.startswith("# 成都平原经济区“十四五”一体化发展规划")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "file is empty"),
        (b"\x00\x01\x02binary\x00" * 50, ""),
        ("只是一句话，没有任何结构。".encode(), ""),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, content: bytes, problem: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    proc = run(str(bad))
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.txt" in lines[0] and "Traceback" not in proc.stderr
    assert problem in lines[0]


def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:  # sparse: takes no disk space, reads as NUL bytes
        f.truncate(200 * 1000 * 1000)
    proc = run(str(huge))
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("over the limit of 100.0 MB (104857600 bytes)")
    assert "huge.txt" in proc.stderr


def test_missing_file_and_directory(tmp_path: Path) -> None:
    for target, words in ((tmp_path / "nope.txt", "cannot read"), (tmp_path, "directory")):
        proc = run(str(target))
        assert proc.returncode == 2
        assert words in proc.stderr and proc.stdout == ""
