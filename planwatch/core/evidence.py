"""Every stored file checked against what the database says about it (issue 15, item 4):
`planwatch evidence verify`.

Found through the model registry, so no app has to sign up: every non-empty FileField of
every row; where the model keeps the file's `sha256` (and `size`) beside it — report evidence,
monthly project evidence, issued documents — the bytes are hashed and compared, else only the
file's presence is checked. Files are read through their field's storage (Django's storage
API), so an object store is checked the same way as the disk."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models


@dataclass
class EvidenceReport:
    checked: int = 0
    hashed: int = 0
    problems: list[str] = field(default_factory=list)


def _file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField):
                yield model, f


def _digest(fh: object) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := fh.read(1 << 20):  # type: ignore[attr-defined]
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def verify_files() -> EvidenceReport:
    """Check every stored file; each problem names the model, the row and the file."""
    report = EvidenceReport()
    for model, f in _file_fields():
        names = {x.name for x in model._meta.get_fields()}
        hashed = "sha256" in names
        values = (
            ["pk", f.name] + (["sha256"] if hashed else []) + (["size"] if "size" in names else [])
        )
        rows = model._default_manager.exclude(**{f.name: ""}).exclude(**{f"{f.name}__isnull": True})
        for row in rows.values(*values).iterator(chunk_size=2000):
            name, where = row[f.name], f"{model._meta.label} {row['pk']} ({row[f.name]})"
            report.checked += 1
            try:
                fh = f.storage.open(name, "rb")
            except (FileNotFoundError, OSError):
                report.problems.append(f"{where}: missing")
                continue
            with fh:
                if not hashed:
                    continue
                digest, size = _digest(fh)
            report.hashed += 1
            if digest != row["sha256"]:
                report.problems.append(
                    f"{where}: altered (sha256 {digest[:12]}…, stored {row['sha256'][:12]}…)"
                )
            elif "size" in row and row["size"] != size:
                report.problems.append(f"{where}: size {size}, stored {row['size']}")
    return report
