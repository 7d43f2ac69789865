"""Evidence on object storage (issue 15 item 4): with PLANWATCH_S3_* set, uploads go to an
S3 bucket through django-storages, and everything that reads files — the download view,
`planwatch evidence verify`, `planwatch backup` and `restore` — reads them from the bucket.

The bucket is served by moto's S3 server (ThreadedMotoServer), a real HTTP server speaking the
S3 protocol on the loopback: the application's boto3 client signs and sends real requests to
it, as it would to MinIO or a cloud's object storage. The test changes the bucket behind the
application's back with a boto3 client of its own, as an operator or an intruder would."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from planwatch.env import s3_options
from planwatch.pages.backup import read_manifest
from planwatch.reports.models import Evidence
from planwatch.reports.services import progress_report_start
from planwatch.tasks.models import AnnualList
from tests.factories.implementation import Units

PORT = 8134
BIN = Path(sys.executable).parent / "planwatch"
PDF = b"%PDF-1.4\n" + "宜宾段可研批复".encode() * 400


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    moto_server = pytest.importorskip("moto.server")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=PORT, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{PORT}"
    finally:
        server.stop()


def s3_env(endpoint: str, bucket: str) -> dict[str, str]:
    return {
        "PLANWATCH_S3_BUCKET": bucket,
        "PLANWATCH_S3_ENDPOINT_URL": endpoint,
        "PLANWATCH_S3_ACCESS_KEY": "planwatch-test",
        "PLANWATCH_S3_SECRET_KEY": "planwatch-test-secret",
        "PLANWATCH_S3_REGION": "us-east-1",
    }


def bucket(endpoint: str) -> tuple[Any, str]:
    """A new empty bucket and a client of the test's own to look into it."""
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="operator",
        aws_secret_access_key="operator-secret",
        region_name="us-east-1",
    )
    name = f"planwatch-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    return client, name


def keys(client: Any, name: str) -> list[str]:
    listed = client.list_objects_v2(Bucket=name).get("Contents", [])
    return sorted(item["Key"] for item in listed)


@pytest.fixture
def on_s3(endpoint: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, str]:
    client, name = bucket(endpoint)
    for key, value in s3_env(endpoint, name).items():
        monkeypatch.setenv(key, value)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options()},
    }
    return client, name


@pytest.mark.django_db
def test_evidence_uploaded_by_the_form_lives_in_the_bucket_and_is_verified(
    on_s3: tuple[Any, str],
    issued: AnnualList,
    units: Units,
    yibin_reporter_user: Any,
    settings: Any,
) -> None:
    client, name = on_s3
    report = progress_report_start(
        task=issued.tasks.get(seq=1),
        unit=units.yibin,
        period_start=date(2024, 1, 1),
        actor=yibin_reporter_user,
    )
    browser = Client()
    browser.force_login(yibin_reporter_user)
    for filename, data in (("可研批复.pdf", PDF), ("会议纪要.pdf", PDF + b"minutes")):
        upload = io.BytesIO(data)
        upload.name = filename
        response = browser.post(f"/reports/{report.pk}/evidence/", {"file": upload})
        assert response.status_code == 302
    first, second = Evidence.objects.filter(report=report).order_by("pk")
    sha = hashlib.sha256(PDF).hexdigest()
    assert first.sha256 == sha
    assert keys(client, name) == sorted([first.file.name, second.file.name])
    stored = client.get_object(Bucket=name, Key=first.file.name)["Body"].read()
    assert stored == PDF
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))

    download = browser.get(f"/reports/{report.pk}/evidence/{first.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]

    out = io.StringIO()
    call_command("evidence", "verify", stdout=out)
    assert "checked 2 stored files (2 against their sha256): OK" in out.getvalue()

    client.put_object(Bucket=name, Key=first.file.name, Body=b"%PDF-1.4\nreplaced")
    client.delete_object(Bucket=name, Key=second.file.name)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("evidence", "verify", stdout=out)
    text = out.getvalue()
    assert "2 problem(s)" in text
    assert f"reports.Evidence {first.pk} ({first.file.name}): altered" in text
    assert f"reports.Evidence {second.pk} ({second.file.name}): missing" in text

    lost = browser.get(f"/reports/{report.pk}/evidence/{second.pk}/")
    assert lost.status_code == 302  # back to the report, which says the file is lost


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def operator_env(var: Path, endpoint: str, name: str) -> dict[str, str]:
    """A deployment on SQLite (a file of its own) with its uploads in bucket `name`."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["PLANWATCH_VAR_DIR"] = str(var)
    env["PLANWATCH_SECRET_KEY"] = "object-storage-test-key-" + "x" * 40
    # One deployment moved to a new machine: the audit key travels with the secret key
    # (neither is in the archive; docs/decisions/0031-audit-anchor.md).
    env["PLANWATCH_AUDIT_KEY"] = "object-storage-audit-key-" + "y" * 40
    return {**env, **s3_env(endpoint, name)}


def test_backup_and_restore_read_and_write_the_bucket(endpoint: str, tmp_path: Path) -> None:
    client, source = bucket(endpoint)
    _, target = bucket(endpoint)
    src_env = operator_env(tmp_path / "src", endpoint, source)
    dst_env = operator_env(tmp_path / "dst", endpoint, target)
    done = run(src_env, "setup", "--no-static", "--no-plans")
    assert done.returncode == 0, done.stderr
    files = {"evidence/ab/佐证.pdf": PDF, "sources/plan.txt": "规划原文".encode()}
    for key, data in files.items():
        client.put_object(Bucket=source, Key=key, Body=data)

    archive = tmp_path / "backup.tar"
    done = run(src_env, "backup", "-o", str(archive))
    assert done.returncode == 0, done.stderr
    manifest = read_manifest(archive)
    assert set(manifest.files) == set(files)
    assert manifest.files["evidence/ab/佐证.pdf"]["sha256"] == hashlib.sha256(PDF).hexdigest()

    done = run(dst_env, "restore", str(archive))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "every table and file matches the backup; audit OK" in done.stdout
    assert keys(client, target) == sorted(files)
    for key, data in files.items():
        assert client.get_object(Bucket=target, Key=key)["Body"].read() == data
    assert not (tmp_path / "dst" / "media").exists()
    verified = run(dst_env, "audit", "verify")
    assert verified.returncode == 0 and "OK" in verified.stdout

    # A bucket that is not empty is refused, as a non-empty media directory is.
    _, third = bucket(endpoint)
    client.put_object(Bucket=third, Key="left/over.txt", Body=b"x")
    done = run(operator_env(tmp_path / "third", endpoint, third), "restore", str(archive))
    assert done.returncode != 0
    assert "storage is not empty" in done.stdout + done.stderr
