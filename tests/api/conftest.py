"""Fixtures of the API tests (the reference data, bundled plans and personas are the
plugins declared in tests/conftest.py)."""

from collections.abc import Iterator

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The real WSGI application for schemathesis, minus the per-request connection recycling
    that would end the test's transaction (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
