"""The WSGI module a server loads leaves the objects of start-up out of the collector."""

from __future__ import annotations

import subprocess
import sys


def test_the_wsgi_application_freezes_what_start_up_loaded() -> None:
    code = (
        "import gc, planwatch.wsgi as w; "
        "assert callable(w.application); print(gc.get_freeze_count())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert int(out.strip().splitlines()[-1]) > 50_000
