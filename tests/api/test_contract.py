"""Contract test: schemathesis generates requests for every operation of the live OpenAPI document and sends them
with every role's token. No response may be a server error or differ from the document (status, content type,
headers, body).

Hypothesis's example budget per operation is kept small so the suite stays quick; ``SCHEMATHESIS_EXAMPLES`` raises it
for a deeper run.
"""

import os

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import RequestFactory
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from regietafel.access.models import Membership, Role
from regietafel.accounts import services
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request, as in production; in a test that
    would end the test's transaction (on PostgreSQL). Django's test client turns that off the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(dataset):
    """A token per role, with rights to write where the role may (a municipality's for Raalte)."""
    admin = get_user_model().objects.create_user("beheerder-contract")
    Membership.objects.create(user=admin, role=Role.ADMIN)
    issue = RequestFactory().post("/toegang/api-tokens/")
    issue.user = admin
    raalte = Organisation.objects.create(
        name="Gemeente Raalte", kind="municipality", municipality=Area.objects.get(code="GM0177")
    )
    partner = Organisation.objects.create(name="Partner", kind="civil_society")
    team = Organisation.objects.create(name="Programmateam", kind="program_team")
    roles = {
        Role.ADMIN: team,
        Role.MUNICIPALITY: raalte,
        Role.EXECUTIVE: team,
        Role.PARTNER: partner,
    }
    return {
        role: services.issue_token(issue, name=role, organisation=org, role=role, can_write=True)[1]
        for role, org in roles.items()
    }


def test_every_operation_matches_the_document_for_every_role(demo, tokens, settings, keep_connection):
    settings.REGIETAFEL_API_RATE = "100000/min"  # the rate limit is tested elsewhere
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    documented = {(method, path) for path, item in schema.raw_schema["paths"].items() for method in item}
    tested = {(operation.method.lower(), operation.path) for operation in operations}
    assert len(tested) > 30
    assert documented - tested == {("get", "/openapi.json")}  # schemathesis leaves out the document it reads
    keys = [*tokens.values(), None]

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case):
            for key in keys:
                headers = {"Authorization": f"Token {key}"} if key else {}
                case.call_and_validate(headers=headers, checks=CHECKS)

        check()
