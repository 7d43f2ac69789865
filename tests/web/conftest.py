"""Shared fixtures of the web tests: reference data and bundled plans (fixtures_data.py) and
the named personas (fixtures_personas.py), registered as plugins in tests/conftest.py."""
