"""PDF from the DOCX through LibreOffice in headless mode, so the PDF is the same document.
LibreOffice is installed at set-up (.ci/run: libreoffice-writer-nogui); where it is missing,
`docx_to_pdf` fails with a clear message."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

TIMEOUT = 180  # seconds
FONTS_CONF = Path(__file__).with_name("fontconfig") / "fonts.conf"
# LibreOffice refuses a second instance on a profile in use: one profile per process, kept
# between conversions (creating it costs about 0.7 s), and one conversion at a time in it.
_LOCK = threading.Lock()


def _profile() -> str:
    return (Path(tempfile.gettempdir()) / f"planwatch-soffice-{os.getpid()}").as_uri()


class PdfUnavailable(RuntimeError):
    """LibreOffice (soffice) is not installed, or could not convert the document."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes) -> bytes:
    exe = soffice()
    if exe is None:
        raise PdfUnavailable(
            "未安装 LibreOffice，无法生成 PDF：请安装 libreoffice-writer-nogui（soffice）。"
        )
    with tempfile.TemporaryDirectory(prefix="planwatch-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(data)
        cmd = [exe, f"-env:UserInstallation={_profile()}", "--headless", "--norestore"]
        cmd += ["--convert-to", "pdf", "--outdir", str(work), str(source)]
        try:
            env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
            done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False, env=env)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable("LibreOffice 转换 PDF 超时。") from None
        target = work / "document.pdf"
        if done.returncode != 0 or not target.exists():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-300:]
            raise PdfUnavailable(f"LibreOffice 未能生成 PDF：{detail}")
        return target.read_bytes()
