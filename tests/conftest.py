"""Fixture plugins shared by the web and browser tests. pytest accepts `pytest_plugins`
only in a top-level conftest (a deeper one fails as soon as the whole suite is collected),
so they are declared here: reference data and bundled plans (tests/web/fixtures_data.py) and
the named personas (tests/web/fixtures_personas.py)."""

pytest_plugins = ["tests.web.fixtures_data", "tests.web.fixtures_personas"]
