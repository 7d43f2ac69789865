"""The 川南 slice and its issued 2024 list (tests/factories/implementation_fixtures.py)."""

from tests.factories.implementation_fixtures import *  # noqa: F403
