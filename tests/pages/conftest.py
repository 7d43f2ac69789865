"""The demo tests clear demonstration data from beside the dashboards' known board of tasks
(tests/dashboards/conftest.py)."""

from tests.dashboards.conftest import board  # noqa: F401
