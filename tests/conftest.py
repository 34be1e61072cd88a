import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from hypothesis import settings as hypothesis_settings
from hypothesis.database import DirectoryBasedExampleDatabase

from regietafel.access.models import Membership, Role
from regietafel.operations.dataset import load_dataset
from regietafel.operations.demo import load_demo
from tests.snapshots import Snapshots
from tests.support import DEMO_DAY

PASSWORD = "a-long-test-password-1"

# Hypothesis: CI draws the same examples on every run (derandomize: a failure there is a failure on every rerun, and
# the test's name is all it takes to reproduce it) and keeps no example database. On a developer's machine examples
# are random and the failing ones are kept in var/ (outside the repository) to be tried first next time. Either way
# a failure prints the blob for @reproduce_failure. HYPOTHESIS_PROFILE picks one by name.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile(
    "dev",
    database=DirectoryBasedExampleDatabase(Path(__file__).resolve().parent.parent / "var" / "hypothesis"),
    print_blob=True,
)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Django empties the test database with TRUNCATE between transactional tests; on PostgreSQL the processing log
    refuses TRUNCATE unless the session declares it replaces everything (audit/0007), so the test database declares
    it for every session. The trigger's own test turns it off to see the refusal."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER DATABASE {name} SET regietafel.replace_all = 'on'")
            connection.close()  # the next connection starts with the setting


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Password hashing is slow on purpose; tests check logins, not the hash's cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_immediately(settings):
    """Background tasks run inside the request in tests; tests/reports checks the database worker itself."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def own_cache(settings, request):
    """Every test its own empty cache, and figure tables not kept (tests/monitor/test_pagecache.py keeps them)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }
    settings.REGIETAFEL_PAGE_CACHE_SECONDS = 0


@pytest.fixture(scope="session")
def snapshots():
    """What the data fixtures load, loaded once per session and written again for each test (tests/snapshots.py)."""
    return Snapshots()


@pytest.fixture
def dataset(db, snapshots):
    """The embedded public IJsselland figures."""
    snapshots.load("dataset", load_dataset)


@pytest.fixture
def demo(dataset, snapshots):
    """The public figures plus generated demo figures, as `make run` has them (generated on ``DEMO_DAY``)."""
    snapshots.load("demo", lambda: load_demo(today=DEMO_DAY))


@pytest.fixture
def user(db):
    """A beheerder of the program team: may do everything (the role tests use their own users)."""
    user = get_user_model().objects.create_user("medewerker", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def client_en(logged_in):
    """The logged-in client, asking for English so messages can be read as their msgids."""
    logged_in.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return logged_in
