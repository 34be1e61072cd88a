"""Nothing but published aggregates leaks to the public: every anonymous URL of the app, with real and bogus values.

The database holds a published half-year, a withdrawn publication, a locked but unpublished half-year (each with
figures and sources nobody else has) and households with references and V-numbers.
"""

import datetime
import itertools
import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from regietafel.core.sources import cite
from regietafel.domain.targets import HalfYear
from regietafel.persons.models import Household
from regietafel.publication import services, snapshot
from regietafel.publication.models import Publication
from regietafel.publication.urls import urlpatterns
from regietafel.reception.models import Location
from regietafel.regions.models import Area
from tests.publication.conftest import housed

# Candidate values per URL parameter; a parameter not named here gets the generic ones.
VALUES = {
    "region": ["VR04", "vr04", "VR05", "GM0177", "XX99", "NL01"],
    "half_year": ["2024-H1", "2025-H1", "2025-H2", "2026-H1", "2025-h2", "bogus"],
    "dataset": ["huisvesting", "opvang", "personen", "households"],
    "file_format": ["csv", "json", "xlsx"],
}
GENERIC = ["1", "2", "0", "x"]
PUBLIC = {"public", "public_half_year", "opendata", "opendata_file"}


def _number(value: int) -> list[str]:
    text = str(value)
    grouped = f"{value:,}"
    return [text, grouped, grouped.replace(",", "."), grouped.replace(",", " "), grouped.replace(",", "\xa0")]


@pytest.fixture
def secrets(region, user, locked):
    """Set up the three half-years and the households; returns what must never be shown to the public."""
    kampen = Area.objects.get(code="GM0166")
    zwolle = Area.objects.get(code="GM0193")

    # Published: 2024-H1, with a figure that must be visible.
    housed("GM0177", datetime.date(2024, 3, 1), 3, source="BRON-GEPUBLICEERD")
    services.publish(user, region, locked(HalfYear(2024, 1)))

    # Withdrawn: 2025-H1.
    housed("GM0166", datetime.date(2025, 3, 1), 48137, source="BRON-INGETROKKEN")
    Location.objects.create(
        municipality=kampen,
        name="Ingetrokken azc",
        kind=Location.Kind.AZC,
        capacity=52913,
        occupancy=51829,
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 6, 30),
        source=cite("LOCATIE-INGETROKKEN", "H"),
    )
    withdrawn = services.publish(user, region, locked(HalfYear(2025, 1)))
    Publication.objects.filter(pk=withdrawn.pk).update(
        published_at=timezone.make_aware(datetime.datetime(2001, 2, 3, 4, 5, 6))
    )
    services.withdraw(user, withdrawn, "REDEN-INGETROKKEN")

    # Locked but never published: 2025-H2.
    housed("GM0193", datetime.date(2025, 8, 1), 61379, source="BRON-ONGEPUBLICEERD")
    Location.objects.create(
        municipality=zwolle,
        name="Ongepubliceerde GOO",
        kind=Location.Kind.MUNICIPAL_UKRAINE,
        capacity=72461,
        occupancy=70357,
        start_date=datetime.date(2025, 8, 1),
        source=cite("LOCATIE-ONGEPUBLICEERD", "H"),
    )
    locked(HalfYear(2025, 2))

    households = [
        Household.objects.create(
            municipality=area, linked_on=datetime.date(2025, 8, 1), adults=2, v_number=v_number, is_amv=True
        )
        for area, v_number in ((kampen, "8642097531"), (zwolle, "7531864209"))
    ]

    # The secrets are real: the withdrawn version holds them, and publishing 2025-H2 would show them.
    withdrawn.refresh_from_db()
    unpublished = json.dumps(snapshot.build(region, HalfYear(2025, 2)))
    for text in ("BRON-INGETROKKEN", "LOCATIE-INGETROKKEN", "48137", "52913"):
        assert text in json.dumps(withdrawn.snapshot)
    for text in ("BRON-ONGEPUBLICEERD", "LOCATIE-ONGEPUBLICEERD", "61379", "72461", "70357"):
        assert text in unpublished

    forbidden = [
        "BRON-INGETROKKEN",
        "LOCATIE-INGETROKKEN",
        "REDEN-INGETROKKEN",
        "BRON-ONGEPUBLICEERD",
        "LOCATIE-ONGEPUBLICEERD",
        "Ingetrokken azc",
        "Ongepubliceerde GOO",
        "2001-02-03",
        "3 February 2001",
        "04:05",
    ]
    for value in (48137, 52913, 51829, 61379, 72461, 70357):
        forbidden += _number(value)
    for household in households:
        forbidden += [household.reference, household.v_number]
    return forbidden, withdrawn


def _urls(withdrawn: Publication):
    for pattern in urlpatterns:
        names = list(pattern.pattern.regex.groupindex)
        choices = [VALUES.get(name, [*GENERIC, str(withdrawn.pk)]) for name in names]
        for combination in itertools.product(*choices):
            try:
                url = reverse(
                    f"publication:{pattern.name}", kwargs=dict(zip(names, combination, strict=True))
                )
            except NoReverseMatch:
                continue  # a bogus value the pattern does not accept
            yield pattern.name, url
            yield pattern.name, f"{url}?regio=VR04&halfjaar=2025-H2&publication={withdrawn.pk}&versie=1"


def test_nothing_unpublished_withdrawn_or_personal_reaches_the_public(secrets):
    forbidden, withdrawn = secrets
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    login = reverse(settings.LOGIN_URL)
    seen, to_login, shown = set(), set(), ""
    post = {"region": "VR04", "half_year": "2025-H2", "publication": withdrawn.pk, "reason": "x"}
    for name, url in _urls(withdrawn):
        seen.add(name)
        for response in (client.get(url), client.post(url, post)):
            text = response.content.decode("utf-8", errors="replace")
            leaked = [secret for secret in forbidden if secret in text]
            assert not leaked, (url, response.request["REQUEST_METHOD"], leaked)
            if response.status_code in (301, 302):
                assert response["Location"].startswith(f"{login}?next="), url
                to_login.add(name)
            else:
                assert response.status_code in (200, 404, 405), (url, response.status_code)
                shown += text
    assert seen == {pattern.name for pattern in urlpatterns}
    # Pages for the program team still send anonymous visitors to the login page ...
    assert to_login == seen - PUBLIC
    # ... and the published figures are there (so the test looked at real pages).
    assert "BRON-GEPUBLICEERD" in shown
    assert "2024-H1" in shown
    assert Publication.objects.current().get().half_year == "2024-H1"
