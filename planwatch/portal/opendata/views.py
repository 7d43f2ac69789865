"""The open-data pages and files under /gongkai/data/: the index of datasets, each dataset's
data dictionary, its CSV (streamed), JSON (streamed) and xlsx, and datapackage.json. No
sign-in; every response carries Last-Modified and an ETag made from the latest publication
and the dataset's own latest change, so a client that has it gets 304."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition, require_safe

from planwatch.portal.opendata.datasets import DATASETS, Dataset, last_modified
from planwatch.portal.opendata.formats import (
    PACKAGE_TITLE,
    csv_chunks,
    datapackage,
    json_chunks,
    licence,
    xlsx_bytes,
)
from planwatch.publication.selectors import live

FORMATS = ("csv", "json", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Public data, but a withdrawal must reach every reader at once: caches revalidate each time.
CACHE_CONTROL = "public, max-age=0, must-revalidate"


def _dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise Http404 from None


def _modified(request: HttpRequest, name: str | None) -> datetime | None:
    """The last change of the dataset `name` (None: of all), computed once per request."""
    cache: dict[str | None, datetime | None] = request.__dict__.setdefault("_od_modified", {})
    if name not in cache:
        cache[name] = last_modified(DATASETS[name] if name else None)
    return cache[name]


def _etag(request: HttpRequest, name: str | None = None, fmt: str = "") -> str | None:
    if name is not None and name not in DATASETS:
        return None
    stamp = _modified(request, name)
    live_count = live().count()
    key = f"{name}|{fmt}|{stamp.isoformat() if stamp else '-'}|{live_count}|{licence()['name']}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request: HttpRequest, name: str | None = None, fmt: str = "") -> Any:
    if name is not None and name not in DATASETS:
        return None
    return _modified(request, name)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = CACHE_CONTROL
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_safe
def data_index(request: HttpRequest) -> HttpResponse:
    """Every dataset: its title, description, formats, row count and last change, and the
    licence."""
    rows = [
        {"dataset": d, "count": d.count(), "modified": last_modified(d)} for d in DATASETS.values()
    ]
    return render(
        request,
        "portal/opendata/index.html",
        {
            "rows": rows,
            "licence": licence(),
            "package_title": PACKAGE_TITLE,
            "formats": FORMATS,
            "modified": _modified(request, None),
        },
    )


@require_safe
def dataset_page(request: HttpRequest, name: str) -> HttpResponse:
    """One dataset's data dictionary and downloads."""
    dataset = _dataset(name)
    return render(
        request,
        "portal/opendata/dataset.html",
        {
            "dataset": dataset,
            "count": dataset.count(),
            "modified": _modified(request, name),
            "licence": licence(),
            "formats": FORMATS,
        },
    )


@_cached
@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """The dataset as CSV or JSON (both streamed) or xlsx."""
    dataset = _dataset(name)
    base = _base(request)
    filename = f"planwatch-{name}.{fmt}"
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_chunks(dataset, base=base), content_type=CONTENT_TYPES[fmt]
        )
    elif fmt == "json":
        modified = _modified(request, name)
        response = StreamingHttpResponse(
            json_chunks(dataset, base=base, modified=modified), content_type=CONTENT_TYPES[fmt]
        )
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(dataset, base=base), content_type=CONTENT_TYPES[fmt])
    else:
        raise Http404
    disposition = "inline" if fmt == "json" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response  # type: ignore[return-value]


@_cached
@require_safe
@condition(
    etag_func=lambda r: _etag(r, None, "datapackage"),
    last_modified_func=lambda r: _last_modified(r, None),
)
def datapackage_view(request: HttpRequest) -> HttpResponse:
    """The Frictionless Data Package of the CSV files."""
    package = datapackage(base=_base(request), modified=_modified(request, None))
    return HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
