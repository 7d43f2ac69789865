"""Fixture plugins shared by the web and browser tests. pytest accepts `pytest_plugins`
only in a top-level conftest (a deeper one fails as soon as the whole suite is collected),
so they are declared here: reference data and bundled plans (tests/factories/plans.py) and
the one persona set (tests/factories/personas.py)."""

import pytest

pytest_plugins = ["tests.factories.plans", "tests.factories.personas"]


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_in_process() -> None:
    """Jobs enqueued by code under test run at once, in memory (huey's immediate mode); the
    tests of the real worker (tests/queue) start worker processes of their own."""
    from django.conf import settings

    settings.HUEY.immediate = True


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the default language (zh-hans). A request in English activates
    English for the thread and nothing deactivates it, so without this a test would run in
    whatever language the test before it in the same process left behind."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_of_its_own(settings: object, tmp_path: object) -> None:
    """Every test stores uploaded files in a directory of its own, never in var/media: a file
    left there by one run (stored by its sha256 and so never written again) would make the
    next run's evidence look altered."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined, operator]


@pytest.fixture(autouse=True)
def _audit_checkpoints_of_its_own(settings: object, tmp_path: object) -> None:
    """Every test writes its audit checkpoints (planwatch/audit/anchor.py) to a file of its
    own, never var/audit-checkpoints.log: a checkpoint of one test's chain would not match the
    next test's database."""
    settings.PLANWATCH_AUDIT_CHECKPOINTS = tmp_path / "audit-checkpoints.log"  # type: ignore[attr-defined, operator]
    # The key is settings.PLANWATCH_AUDIT_KEY (as when it comes from the environment), and
    # retired keys go to a keyring of the test's own: a test of `rotate-key` sets a key file
    # in tmp_path, never replacing var/audit_key.
    settings.PLANWATCH_AUDIT_KEY_FILE = None  # type: ignore[attr-defined]
    settings.PLANWATCH_AUDIT_KEYRING = tmp_path / "audit_keys"  # type: ignore[attr-defined, operator]
