"""Every API list costs the same number of SQL queries for one row as for all rows (no query per row)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regietafel.conditions.models import Condition
from regietafel.core.sources import cite
from regietafel.housing.models import CorporationAgreement, SupervisionPlacement, SupervisionStep
from regietafel.indicators.models import Indicator, Value
from regietafel.meetings.models import AgendaItem, Decision, Meeting
from regietafel.organisations.models import Organisation
from regietafel.reception.models import Cycle, ThirdCountryNationalCount
from regietafel.regions.models import Area
from tests.access.test_matrix import CASES

LISTS = [case.name for case in CASES if case.api and case.name.endswith("-list")]


@pytest.fixture
def more(world):
    """A second meeting, decision and condition, two indicator values, corporation agreements and supervision
    decisions, so every list has at least two rows."""
    meeting = world.objects["meeting"]["other"]
    second = Meeting.objects.create(
        body=meeting.body, title="Tweede", starts_at=meeting.starts_at + datetime.timedelta(days=14)
    )
    item = AgendaItem.objects.create(meeting=second, position=1, title="Opvang")
    Decision.objects.create(agenda_item=item, text="Tweede besluit")
    condition = world.objects["condition"]["other"]
    Condition.objects.create(
        region=condition.region, theme=condition.theme, title="Tweede", what_we_ask="Meer"
    )
    indicator = Indicator.objects.get(code="ZRG-HUISARTS")
    for code in ("GM0177", "GM0166"):
        Value.objects.create(
            indicator=indicator,
            area=Area.objects.get(code=code),
            period="2025-H1",
            value=80,
            source=cite("gemeente", "H"),
        )
    corporation = Organisation.objects.create(name="Woonbedrijf", kind=Organisation.Kind.HOUSING_CORPORATION)
    step = SupervisionStep.objects.get(province__code="PV23", order=1)
    for code in ("GM0177", "GM0166"):
        area = Area.objects.get(code=code)
        CorporationAgreement.objects.create(
            corporation=corporation, municipality=area, year=2026, homes=5, source=cite("afspraken", "H")
        )
        SupervisionPlacement.objects.create(
            municipality=area, step=step, since=datetime.date(2026, 1, 1), occasion="talk", source=step.source
        )
    Cycle.objects.create(number=2, starts_on=datetime.date(2026, 2, 1), source=cite("Staatscourant", "H"))
    ThirdCountryNationalCount.objects.create(
        municipality=Area.objects.get(code="GM0166"),
        count=2,
        reference_date=datetime.date(2024, 1, 1),
        source=cite("gemeente", "H"),
    )
    return world


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_a_fixed_number_of_queries(more, name):
    from django.urls import reverse

    client = more.client("beheerder")
    url = reverse(name)

    def queries(page_size: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"pageSize": page_size})
        assert response.status_code == 200, response.content
        return len(captured), len(response.json()["results"])

    client.get(url)  # warm: the session and the principal are read on the first request
    few, one_row = queries(1)
    many, all_rows = queries(1000)
    assert one_row == 1 and all_rows >= 2
    assert many == few, f"{name}: {few} queries for 1 row, {many} for {all_rows}"
