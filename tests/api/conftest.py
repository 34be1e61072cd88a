import os

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, RequestFactory

from regietafel.access.models import Membership, Role
from regietafel.accounts import services
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The rate limit counts in the cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin(db):
    user = get_user_model().objects.create_user("beheerder")
    Membership.objects.create(user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def raalte(dataset):
    return Organisation.objects.create(
        name="Gemeente Raalte", kind="municipality", municipality=Area.objects.get(code="GM0177")
    )


@pytest.fixture
def issue(admin):
    """Issue a token as the beheerder would: issue(role, organisation, can_write) -> key."""

    def issue(role=Role.ADMIN, organisation=None, can_write=False, name="Dashboard"):
        request = RequestFactory().post("/toegang/api-tokens/")
        request.user = admin
        return services.issue_token(
            request, name=name, organisation=organisation, role=role, can_write=can_write
        )[1]

    return issue


def token_client(key: str | None) -> Client:
    headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
    if key:
        headers["HTTP_AUTHORIZATION"] = f"Token {key}"
    return Client(**headers)


# ``make api-rules``: note each design-rule test's outcome, then write docs/api.md's compliance table from them.
RULES_TABLE = os.environ.get("REGIETAFEL_WRITE_RULES_TABLE") == "1"
_outcomes: dict[str, str] = {}


def pytest_runtest_logreport(report):
    if RULES_TABLE and "test_design_rules.py" in report.nodeid and (report.when == "call" or report.failed):
        name = report.nodeid.rsplit("::", 1)[-1].split("[")[0]
        if _outcomes.get(name) != "failed":
            _outcomes[name] = report.outcome


def pytest_sessionfinish(session):
    if RULES_TABLE and _outcomes:
        from tests.api.test_design_rules import RULES, write_table

        missing = {rule.test for rule in RULES.values() if rule.test} - set(_outcomes)
        if missing:
            # A run of some of the tests (-k) says nothing of the others: the table stays as it was.
            print(f"\ndocs/api.md not written: {len(missing)} rule tests did not run")
        else:
            write_table(_outcomes)
