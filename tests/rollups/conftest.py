"""The fixtures of the implementation slice (units, the 川南 plan, its personas and issued
list): tests/factories/implementation_fixtures.py, shared by tests/tasks, tests/reports,
tests/supervision and tests/implementation (pages and checks across those apps)."""

from tests.factories.implementation_fixtures import *  # noqa: F403
