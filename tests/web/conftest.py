"""Shared fixtures of the web tests: reference data and bundled plans (fixtures_data.py) and
the named personas (fixtures_personas.py)."""

pytest_plugins = ["tests.web.fixtures_data", "tests.web.fixtures_personas"]
