from tests.factories.implementation_fixtures import *  # noqa: F403
