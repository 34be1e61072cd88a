"""The access matrix: every URL, for every role, on an object inside and one outside the role's scope.

Each case names the roles that may use the page on their own object (``own``) and on someone else's
(``other``), with letters A (beheerder), M (gemeente), E (bestuurder), P (partner). Everyone else gets 404, never
403 with details; anonymous visitors go to the login page (the API answers 401); a user without a role gets the
waiting page (the API answers 403). A URL that is not in this table fails ``test_every_url_is_in_the_matrix``.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from regietafel.accounts.services import issue_token
from regietafel.core.models import Source
from regietafel.core.sources import cite
from regietafel.housing.models import (
    CorporationAgreement,
    HousingRealisation,
    SupervisionPlacement,
    SupervisionStep,
)
from regietafel.indicators.models import Indicator, Value
from regietafel.organisations.models import Organisation
from regietafel.reception.models import Cycle, Location, Rate, ThirdCountryNationalCount, ThirdCountryRule
from regietafel.regions.models import Area
from tests.access.conftest import LETTERS, ROLES

NO_OBJECT = None


@dataclass(frozen=True)
class Case:
    name: str
    own: str  # letters of the roles allowed on their own object (or on the page)
    other: str | None = None  # letters allowed on someone else's object; None: the page has no object
    target: str | None = None  # kind of object in the world
    args: Callable | None = None  # (world, obj) -> reverse() args
    method: str = "get"
    public: bool = False  # anonymous visitors may use it
    no_role: bool = False  # signed-in users without a role may use it
    api: bool = False
    sso: bool = False  # single sign-on configured (its pages are 404 without a provider)
    machine: bool = False  # for a machine with a credential of its own (metrics): 404 for every person


def pk(_world, obj):
    return [obj.pk]


def item_of(_world, obj):
    return [obj.pk]


def corporation_agreement() -> CorporationAgreement:
    """SallandWonen's agreement with Raalte for 2026 (made once)."""
    corporation, _made = Organisation.objects.get_or_create(
        name="SallandWonen", defaults={"kind": Organisation.Kind.HOUSING_CORPORATION}
    )
    agreement, _made = CorporationAgreement.objects.get_or_create(
        corporation=corporation,
        municipality=Area.objects.get(code="GM0177"),
        year=2026,
        defaults={"homes": 12, "source": cite("Prestatieafspraken Raalte 2026")},
    )
    return agreement


def supervision_step() -> SupervisionStep:
    return SupervisionStep.objects.order_by("pk").first()


def supervision_placement() -> SupervisionPlacement:
    """Raalte on the embedded ladder's second step (made once)."""
    step = SupervisionStep.objects.get(province__code="PV23", order=1)
    placement, _made = SupervisionPlacement.objects.get_or_create(
        municipality=Area.objects.get(code="GM0177"),
        since=datetime.date(2026, 3, 3),
        defaults={"step": step, "occasion": "talk", "source": step.source},
    )
    return placement


def indicator_value(_world, _obj):
    """A value of the starting set's GP indicator for Raalte (made once)."""
    value, _made = Value.objects.get_or_create(
        indicator=Indicator.objects.get(code="ZRG-HUISARTS"),
        area=Area.objects.get(code="GM0177"),
        period="2025-H1",
        defaults={"value": 80, "source": cite("gemeente Raalte", "H")},
    )
    return [value.pk]


CASES = [
    # Signing in and out
    Case("login", "AMEPV", public=True, no_role=True),
    # Health checks for a load balancer: nothing personal, for everyone
    Case("health-live", "AMEPV", public=True, no_role=True),
    Case("health-ready", "AMEPV", public=True, no_role=True),
    # Metrics for a Prometheus scraper with its token (tests/operations/test_production.py): nobody's session opens them
    Case("metrics", "", machine=True),
    Case("login_code", "AMEPV", public=True, no_role=True),
    Case("logout", "AMEPV", method="post", no_role=True),
    Case("two_factor", "AMEPV", no_role=True),
    Case("oidc_authentication_init", "AMEPV", public=True, no_role=True, sso=True),
    Case("oidc_authentication_callback", "AMEPV", public=True, no_role=True, sso=True),
    Case("set_language", "AMEPV", method="post", no_role=True),
    # The monitor: aggregates for every role
    Case("password_set", "AMEPV", public=True, no_role=True, args=lambda w, o: ["MQ", "set-password"]),
    Case("start", "AMEPV"),
    Case("mine", "MP"),
    Case("monitor:completeness", "AMEPV"),
    Case("monitor:remind", "A", args=lambda w, o: ["GM0177"], method="post"),
    Case("search:results", "AMEPV", args=None),
    # Each user's own notifications (tests/notifications: someone else's is not found)
    Case("notifications:list", "AMEPV"),
    Case("notifications:preferences", "AMEPV"),
    Case("notifications:read", "AMEPV", method="post"),
    Case("notifications:open", "AMEPV", "", "notification", pk),
    Case("monitor:setup", "A"),
    Case("monitor:tiles", "A", args=lambda w, o: ["VR04"]),
    Case("monitor:region", "A", args=lambda w, o: ["VR04"]),
    Case("monitor:region_create", "A"),
    Case("monitor:overview", "AMEPV"),
    Case("monitor:supervision", "AMEPV"),
    Case("monitor:corporations", "AMEPV"),
    Case("monitor:money", "AMEPV"),
    Case("monitor:third_country", "AMEPV"),
    Case("monitor:cycle", "AMEPV"),
    Case("monitor:supervision_record", "A", args=lambda w, o: ["GM0177"]),
    Case("monitor:asylum", "AMEPV"),
    Case("monitor:ukraine", "AMEPV"),
    Case("monitor:minors", "AMEPV"),
    Case("monitor:national", "AMEPV"),
    Case("monitor:municipality", "AMEPV", args=lambda w, o: ["GM0177"]),
    Case("monitor:location", "AMEPV", args=lambda w, o: [Location.objects.order_by("pk").first().pk]),
    Case("monitor:export", "AMEPV", args=lambda w, o: ["huisvesting", "csv"]),
    Case("monitor:agreement", "A", args=lambda w, o: ["2026-H1"]),
    Case("monitor:periods", "A"),
    Case("monitor:inputs", "A"),
    Case("monitor:sources", "AMEPV"),
    Case("monitor:source", "AMEPV", args=lambda w, o: [Source.objects.order_by("pk").first().pk]),
    # Publication and open data
    Case("publication:manage", "A"),
    Case("publication:publish", "A", method="post"),
    Case("publication:withdraw", "A", method="post"),
    Case("publication:public", "AMEPV", public=True, no_role=True),
    Case(
        "publication:public_half_year",
        "AMEPV",
        args=lambda w, o: ["VR04", "2025-H1"],
        public=True,
        no_role=True,
    ),
    Case("publication:opendata", "AMEPV", public=True, no_role=True),
    Case(
        "publication:opendata_file",
        "AMEPV",
        args=lambda w, o: ["huisvesting", "csv"],
        public=True,
        no_role=True,
    ),
    # Imports: municipalities import their own figures
    Case("imports:index", "AMEPV"),
    Case("imports:upload", "AM", args=lambda w, o: ["realisation"]),
    Case("imports:template", "AMEPV", args=lambda w, o: ["realisation", "csv"]),
    Case("imports:export", "AMEPV", args=lambda w, o: ["realisation", "csv"]),
    Case("imports:preview", "AM", "A", "batch", lambda w, o: ["realisation", o.pk]),
    Case("imports:status", "AM", "A", "batch", lambda w, o: ["realisation", o.pk]),
    # The households list is person-level: not for the executive or the partners, not even its template
    Case("imports:upload", "AM", args=lambda w, o: ["households"]),
    Case("imports:template", "AM", args=lambda w, o: ["households", "csv"]),
    Case("imports:export", "AM", args=lambda w, o: ["households", "xlsx"]),
    # Persons: special-category data, own municipality only
    Case("persons:list", "AM"),
    Case("persons:create", "AM"),
    Case("persons:export", "AM", args=lambda w, o: ["csv"]),
    Case("persons:detail", "AM", "A", "household", pk),
    Case("persons:edit", "AM", "A", "household", pk),
    # Matching: person-level for municipalities; homes are figures every role may read
    Case("matching:index", "AM"),
    Case("matching:run", "AM", "A", "proposal", lambda w, o: [o.run_id]),
    Case("matching:decide", "AM", "A", "proposal", pk, method="post"),
    Case("matching:respond", "AM", "A", "household", pk, method="post"),
    Case("matching:house", "AM", "A", "household", pk, method="post"),
    Case("matching:dwellings", "AMEPV"),
    Case("matching:dwelling_create", "AM"),
    Case("matching:dwelling_edit", "AM", "A", "dwelling", pk),
    Case("api:landing", "AMEPV", public=True, no_role=True, api=True),
    Case("api:openapi", "AMEPV", public=True, no_role=True, api=True),
    Case("api:docs", "AMEPV", public=True, no_role=True),
    Case("api:municipality-list", "AMEPV", api=True),
    Case("api:municipality-detail", "AMEPV", "AMEPV", "area", lambda w, o: [o.code], api=True),
    Case("api:population-list", "AMEPV", api=True),
    Case("api:population-detail", "AMEPV", "AMEPV", "population", pk, api=True),
    Case("api:population-bulk", "A", method="post", api=True),
    Case("api:source-list", "AMEPV", api=True),
    Case(
        "api:source-detail", "AMEPV", args=lambda w, o: [Source.objects.order_by("pk").first().pk], api=True
    ),
    Case("api:source-bulk", "A", method="post", api=True),
    Case("api:half-year-list", "AMEP", api=True),
    Case("api:half-year-detail", "AMEP", "AMEP", "half_year", pk, api=True),
    Case("api:half-year-bulk", "A", method="post", api=True),
    Case("api:target-list", "AMEPV", api=True),
    Case("api:agreement-list", "AMEP", api=True),
    Case("api:agreement-detail", "AMEP", "AMEP", "agreement", pk, api=True),
    Case("api:realisation-list", "AMEPV", api=True),
    Case("api:realisation-detail", "AMEPV", "AMEPV", "realisation", pk, api=True),
    # An empty body is refused (400) by whoever may write; the others do not find the address.
    Case("api:realisation-bulk", "AM", method="post", api=True),
    Case("api:corporation-agreement-list", "AMEPV", api=True),
    Case(
        "api:corporation-agreement-detail", "AMEPV", args=lambda w, o: [corporation_agreement().pk], api=True
    ),
    Case("api:corporation-agreement-bulk", "AM", method="post", api=True),
    Case("api:supervision-step-list", "AMEP", api=True),
    Case("api:supervision-step-detail", "AMEP", args=lambda w, o: [supervision_step().pk], api=True),
    Case("api:supervision-step-bulk", "A", method="post", api=True),
    Case("api:supervision-list", "AMEPV", api=True),
    Case("api:supervision-detail", "AMEPV", args=lambda w, o: [supervision_placement().pk], api=True),
    Case("api:supervision-bulk", "A", method="post", api=True),
    Case("api:reception-task-list", "AMEPV", api=True),
    Case("api:reception-task-detail", "AMEPV", "AMEPV", "reception_task", pk, api=True),
    Case("api:reception-task-bulk", "AM", method="post", api=True),
    Case("api:location-list", "AMEPV", api=True),
    Case("api:cycle-list", "AMEPV", api=True),
    Case("api:cycle-detail", "AMEPV", args=lambda w, o: [Cycle.objects.order_by("pk").first().pk], api=True),
    Case("api:cycle-bulk", "A", method="post", api=True),
    Case("api:rate-list", "AMEPV", api=True),
    Case("api:rate-detail", "AMEPV", args=lambda w, o: [Rate.objects.order_by("pk").first().pk], api=True),
    Case("api:rate-bulk", "A", method="post", api=True),
    Case("api:third-country-national-list", "AMEPV", api=True),
    Case(
        "api:third-country-national-detail",
        "AMEPV",
        args=lambda w, o: [ThirdCountryNationalCount.objects.order_by("pk").first().pk],
        api=True,
    ),
    Case("api:third-country-national-bulk", "AM", method="post", api=True),
    Case("api:third-country-rule-list", "AMEPV", api=True),
    Case(
        "api:third-country-rule-detail",
        "AMEPV",
        args=lambda w, o: [ThirdCountryRule.objects.order_by("pk").first().pk],
        api=True,
    ),
    Case("api:third-country-rule-bulk", "A", method="post", api=True),
    Case("api:location-detail", "AMEPV", "AMEPV", "location", pk, api=True),
    Case("api:location-bulk", "AM", method="post", api=True),
    Case("api:indicator-list", "AMEPV", api=True),
    Case(
        "api:indicator-detail",
        "AMEPV",
        args=lambda w, o: [Indicator.objects.get(code="ZRG-HUISARTS").pk],
        api=True,
    ),
    Case("api:indicator-value-list", "AMEPV", api=True),
    Case("api:indicator-value-detail", "AMEPV", args=indicator_value, api=True),
    Case("api:indicator-value-bulk", "AM", method="post", api=True),
    Case("api:meeting-list", "AMEP", api=True),
    Case("api:meeting-detail", "AMEP", "AME", "meeting", pk, api=True),
    Case("api:decision-list", "AMEP", api=True),
    Case("api:decision-detail", "AMEP", "AME", "decision", pk, api=True),
    Case("api:action-list", "AMEP", api=True),
    Case("api:action-detail", "AMEP", "AME", "action", pk, api=True),
    Case("api:referral-list", "AMEP", api=True),
    Case("api:referral-detail", "AMEP", "AME", "referral", pk, api=True),
    Case("api:referral-answer", "AMP", "A", "referral", pk, method="post", api=True),
    Case("api:referral-close", "A", "A", "referral", pk, method="post", api=True),
    Case("api:signal-list", "AMEP", api=True),
    Case("api:signal-detail", "AMEP", "AME", "signal", pk, api=True),
    Case("api:signal-close", "A", "A", "signal", pk, method="post", api=True),
    Case("api:condition-list", "AME", api=True),
    Case("api:condition-detail", "AME", "AME", "condition", pk, api=True),
    Case("api:partner-list", "AMEP", api=True),
    Case("api:partner-detail", "AMEP", "AMEP", "organisation", pk, api=True),
    Case("api:practice-list", "AMEP", api=True),
    Case("api:practice-detail", "AMEP", "AMEP", "practice", pk, api=True),
    Case("api:dwelling-list", "AMEPV", api=True),
    Case("api:dwelling-detail", "AMEPV", "AMEPV", "dwelling", pk, api=True),
    Case("api:dwelling-bulk", "AM", method="post", api=True),
    Case("api:proposal-list", "AM", api=True),
    Case("api:proposal-detail", "AM", "A", "proposal", pk, api=True),
    Case("api:household-list", "AM", api=True),
    Case("api:household-detail", "AM", "A", "household", pk, api=True),
    Case("api:household-bulk", "AM", method="post", api=True),
    # The table's meetings
    Case("meetings:list", "AMEP"),
    Case("meetings:calendar", "AMEP"),
    Case("meetings:subscription", "AMEPV"),
    Case("meetings:subscription_ics", "", machine=True, args=lambda w, o: ["not-a-key"]),
    Case("meetings:create", "A"),
    Case("meetings:detail", "AMEP", "AME", "meeting", pk),
    Case("meetings:edit", "A", "A", "meeting", pk),
    Case("meetings:ics", "AMEP", "AME", "meeting", pk),
    Case("meetings:item_add", "A", "A", "meeting", pk, method="post"),
    Case("meetings:hold", "A", "A", "meeting", pk, method="post"),
    Case("meetings:publish", "A", "A", "meeting", pk, method="post"),
    Case("meetings:item_move", "A", "A", "item", pk, method="post"),
    Case("meetings:document_add", "A", "A", "item", pk, method="post"),
    Case("meetings:decision_add", "AE", "AE", "item", pk, method="post"),
    Case("meetings:refer", "A", "A", "item", pk, method="post"),
    Case("meetings:document", "AMEP", "AME", "document", pk),
    Case("meetings:action_add", "A", "A", "decision", pk, method="post"),
    # Actions and referrals: partners see what is theirs
    Case("meetings:bodies", "AMEP"),
    Case("meetings:body_create", "A"),
    Case("meetings:body", "AMEP", "AME", "body", pk),
    Case("meetings:body_edit", "A", "A", "body", pk),
    Case("meetings:member_add", "A", "A", "body", pk, method="post"),
    Case("meetings:member_edit", "A", "A", "member", lambda w, o: [o.body_id, o.pk]),
    Case("meetings:member_remove", "A", "A", "member", lambda w, o: [o.body_id, o.pk], method="post"),
    Case("meetings:forums", "AMEP"),
    Case("meetings:forum_create", "A"),
    Case("meetings:forum_edit", "A", "A", "forum", pk),
    Case("meetings:municipality_forums", "A", method="post"),
    Case("meetings:actions", "AMEP"),
    Case("meetings:action", "AMEP", "AME", "action", pk),
    Case("meetings:referrals", "AMEP"),
    Case("meetings:referral", "AMEP", "AME", "referral", pk),
    # Signals: everyone with a seat reads them, a partner those it raised; the programme team takes them up.
    Case("meetings:signals", "AMEP"),
    Case("meetings:signal_create", "AMP"),
    Case("meetings:signal_export", "AMEP", args=lambda w, o: ["csv"]),
    Case("meetings:signal", "AMEP", "AME", "signal", pk),
    # Indicators beyond counts: everyone reads them, the beheerder defines them (the starting set is loaded)
    Case("indicators:region", "AMEPV"),
    Case("indicators:definitions", "AMEPV"),
    Case("indicators:detail", "AMEPV", args=lambda _world, _obj: ["ZRG-HUISARTS"]),
    Case("indicators:create", "A"),
    Case("indicators:edit", "A", args=lambda _world, _obj: ["ZRG-HUISARTS"]),
    Case("indicators:domain_create", "A"),
    # Conditions
    Case("conditions:list", "AME"),
    Case("conditions:create", "A"),
    Case("conditions:export", "AME"),
    Case("conditions:detail", "AME", "AME", "condition", pk),
    Case("conditions:edit", "A", "A", "condition", pk),
    Case("conditions:status", "A", "A", "condition", pk),
    # The distribution planner: the program team prepares, the executive adopts
    Case("distribution:index", "AME"),
    Case("distribution:create", "A"),
    Case("distribution:compare", "AME"),
    Case("distribution:scenario", "AME", "AME", "scenario", pk),
    Case("distribution:copy", "A", "A", "scenario", pk),
    Case("distribution:offers", "A", "A", "scenario", pk),
    Case("distribution:adopt", "AE", "AE", "scenario", pk),
    Case("distribution:delete", "A", "A", "scenario", pk),
    Case("distribution:export", "AME", "AME", "scenario", lambda w, o: [o.pk, "xlsx"]),
    Case("distribution:key_create", "A"),
    Case("distribution:key", "AME", "AME", "key", pk),
    Case("distribution:key_edit", "A", "A", "key", pk),
    Case("distribution:key_copy", "A", "A", "key", pk),
    # The partner register
    Case("organisations:list", "AMEP"),
    Case("organisations:create", "A"),
    Case("organisations:municipalities", "A", method="post"),
    Case("organisations:matrix", "AMEP"),
    Case("organisations:matrix_export", "AMEP", args=lambda w, o: ["csv"]),
    Case("organisations:detail", "AMEP", "AMEP", "organisation", pk),
    Case("organisations:edit", "AMP", "A", "organisation", pk),
    Case("organisations:contact_add", "AMP", "A", "organisation", pk),
    Case("organisations:contact_edit", "AMP", "A", "contact", lambda w, o: [o.organisation_id, o.pk]),
    Case("organisations:contact_delete", "AMP", "A", "contact", lambda w, o: [o.organisation_id, o.pk]),
    # Practices
    Case("practices:list", "AMEP"),
    Case("practices:create", "AMP"),
    Case("practices:detail", "AMEP", "AMEP", "practice", pk),
    Case("practices:edit", "AMP", "A", "practice", pk),
    Case("practices:delete", "AMP", "A", "practice", pk),
    Case("practices:attachment-add", "AMP", "A", "practice", pk, method="post"),
    Case(
        "practices:attachment",
        "AMEP",
        "AMEP",
        "practice",
        lambda w, o: [o.pk, o.attachments.get().pk],
    ),
    Case(
        "practices:attachment-remove",
        "AMP",
        "A",
        "practice",
        lambda w, o: [o.pk, o.attachments.get().pk],
        method="post",
    ),
    # Reports: the monitor for every role; a job is its requester's organisation's; letters of one's own municipality
    Case("reports:index", "AMEPV"),
    Case("reports:monitor", "AMEPV"),
    Case("reports:start", "AMEPV", method="post"),
    Case("reports:job", "AMEPV", "A", "job", pk),
    Case("reports:job_status", "AMEPV", "A", "job", pk),
    Case("reports:job_download", "AMEPV", "A", "job", pk),
    Case("reports:letter", "AM", "A", "area", lambda w, o: [o.code, "2025-H2", "docx"]),
    # Administration
    Case("access:users", "A"),
    Case("access:user", "A", "A", "user", pk),
    Case("access:invite", "A"),
    Case("access:user-account", "A", "A", "user", pk, method="post"),
    Case("access:two-factor-rules", "A", method="post"),
    Case("access:tokens", "A"),
    Case("access:token-revoke", "A", "A", "token", lambda w, o: [o.prefix]),
    Case("access:log", "A"),
    Case("access:log-export", "A"),
    Case("access:history", "A"),
]


def _names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            yield from _names(
                pattern.url_patterns, f"{namespace}:{inner}" if namespace and inner else inner or namespace
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_matrix():
    names = set(_names(get_resolver().url_patterns))
    assert names == {case.name for case in CASES}


def _outcome(response, case: Case) -> str:
    status = response.status_code
    login = reverse(settings.LOGIN_URL)
    if status in (301, 302) and response["Location"].startswith(f"{login}?next="):
        return "login"
    if status == 403 and not case.api:
        return "pending" if b"no rights yet" in response.content else "403"
    if status in (401, 403, 404) or status >= 500:
        return str(status)
    return "ok"


def _expected(case: Case, role: str, allowed: str) -> str:
    if case.machine:
        return "404"
    if role == "anonymous":
        if case.public:
            return "ok"
        return "401" if case.api else "login"
    if role == "none":
        if case.no_role:
            return "ok"
        return "403" if case.api else "pending"
    return "ok" if any(LETTERS[letter] == role for letter in allowed) else "404"


def _request(world, role, case, obj, client=None):
    url = reverse(case.name, args=case.args(world, obj) if case.args else None)
    client = client or world.client(role)
    # Each request in a savepoint that is rolled back: one role's POST cannot change what the next one sees.
    with transaction.atomic():
        response = client.post(url) if case.method == "post" else client.get(url)
        transaction.set_rollback(True)
    return response


def _configure_sso(settings):
    """A provider given by its endpoints: the pages only redirect, nothing is fetched from it."""
    settings.REGIETAFEL_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "regietafel"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.nl/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.nl/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://login.example.nl/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.example.nl/jwks"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_matrix(world, case, settings):
    if case.sso:
        _configure_sso(settings)
    targets = [("own", case.own)]
    if case.other is not None:
        targets.append(("other", case.other))
    found, expected = {}, {}
    for which, allowed in targets:
        for role in ROLES:
            obj = None
            if case.target:
                obj = world.own(case.target, role) if which == "own" else world.other(case.target)
            found[(which, role)] = _outcome(_request(world, role, case, obj), case)
            expected[(which, role)] = _expected(case, role, allowed)
    assert found == expected


@pytest.mark.parametrize("case", [case for case in CASES if case.api], ids=lambda case: case.name)
def test_matrix_with_system_tokens(world, case):
    """The same rules for a system's token as for a person with its role and organisation: a municipality's
    token does not find another municipality's households, and may not write its figures."""
    request = RequestFactory().post("/toegang/api-tokens/")
    request.user = world.users["beheerder"]
    clients = {"anonymous": Client(HTTP_ACCEPT_LANGUAGE="en")}
    for role in LETTERS.values():
        membership = world.users[role].membership
        key = issue_token(
            request, name=role, organisation=membership.organisation, role=membership.role, can_write=True
        )[1]
        clients[role] = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Token {key}")
    targets = [("own", case.own)] + ([("other", case.other)] if case.other is not None else [])
    found, expected = {}, {}
    for which, allowed in targets:
        for role, client in clients.items():
            obj = None
            if case.target:
                obj = world.own(case.target, role) if which == "own" else world.other(case.target)
            found[(which, role)] = _outcome(_request(world, role, case, obj, client), case)
            expected[(which, role)] = _expected(case, role, allowed)
    assert found == expected


def test_without_a_provider_the_sso_pages_do_not_exist(world):
    for name in ("oidc_authentication_init", "oidc_authentication_callback"):
        assert world.client("anonymous").get(reverse(name)).status_code == 404


def test_a_municipal_token_neither_reads_another_municipalitys_persons_nor_writes_its_figures(world):
    request = RequestFactory().post("/toegang/api-tokens/")
    request.user = world.users["beheerder"]
    raalte = world.users["gemeente"].membership.organisation
    key = issue_token(request, name="Raalte", organisation=raalte, role="gemeente", can_write=True)[1]
    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Token {key}")
    own, other = world.own("household", "gemeente"), world.other("household")
    assert client.get(reverse("api:household-detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("api:household-detail", args=[other.pk])).status_code == 404
    listed = client.get(reverse("api:household-list")).json()["results"]
    assert [row["id"] for row in listed] == [own.pk]
    row = {
        "municipality_code": "GM0166",
        "month": "2026-02",
        "housed": 5,
        "reference_date": "2026-03-01",
        "source": "COA",
        "confidence": "H",
    }
    refused = client.post(reverse("api:realisation-bulk"), {"rows": [row]}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["location"] == "#/rows/0/municipality_code"
    assert not HousingRealisation.objects.filter(municipality__code="GM0166", month__year=2026).exists()
    accepted = client.post(
        reverse("api:realisation-bulk"),
        {"rows": [{**row, "municipality_code": "GM0177"}]},
        content_type="application/json",
    )
    assert accepted.status_code == 200 and accepted.json()["created"] == 1
