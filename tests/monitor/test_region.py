"""A region in the product's own page (issue 24, part 1): its municipalities from CBS codes already known, its
province and its own monitoring thresholds, which every status of its monitor then follows."""

from fractions import Fraction

import pytest
from django.urls import reverse

from regietafel.domain.targets import HalfYear, ScheduleStatus
from regietafel.housing.ledger import HousingLedger, thresholds
from regietafel.monitor.tables import housing_table
from regietafel.regions.models import Area
from regietafel.regions.services import region_seen

HALF_YEAR = HalfYear(2025, 2)


def _form(region: Area, **changes) -> dict:
    data = {
        "name": region.name,
        "province": region.parent_id or "",
        "municipalities": " ".join(Area.objects.in_region(region).values_list("code", flat=True)),
        "behind_below_percent": "",
        "far_behind_below_percent": "",
        "seen": region_seen(region),
    }
    return data | changes


def _statuses(region: Area) -> list:
    return [row.status for row in housing_table(HousingLedger(region), HALF_YEAR).rows]


def test_the_regions_own_thresholds_decide_its_statuses_and_no_other_regions(demo, logged_in):
    ijsselland = Area.objects.get(code="VR04")
    before = _statuses(ijsselland)
    assert thresholds(ijsselland).behind_below == Fraction(9, 10)
    # Nothing counts as behind when both thresholds are 0 %.
    response = logged_in.post(
        reverse("monitor:region", args=["VR04"]),
        _form(ijsselland, behind_below_percent="0", far_behind_below_percent="0"),
    )
    assert response.status_code == 302
    ijsselland.refresh_from_db()
    assert thresholds(ijsselland).behind_below == 0
    after = _statuses(ijsselland)
    assert set(after) <= {ScheduleStatus.ON_SCHEDULE, None}
    assert before != after
    assert thresholds(Area.objects.get(code="VR05")).behind_below == Fraction(9, 10)


def test_a_region_is_made_from_known_municipalities_and_they_move_into_it(dataset, logged_in):
    response = logged_in.post(
        reverse("monitor:region_create"),
        {
            "code": "vr99",
            "name": "Noordoost-Twente",
            "province": Area.objects.get(code="PV23").pk,
            "municipalities": "GM0168, GM0173\nGM1774",
        },
    )
    assert response.status_code == 302
    region = Area.objects.get(code="VR99")
    assert sorted(Area.objects.in_region(region).values_list("code", flat=True)) == [
        "GM0168",
        "GM0173",
        "GM1774",
    ]
    assert Area.objects.in_region(Area.objects.get(code="VR05")).count() == 11
    # One dropped goes back to the province.
    logged_in.post(reverse("monitor:region", args=["VR99"]), _form(region, municipalities="GM0168 GM0173"))
    assert Area.objects.get(code="GM1774").parent.code == "PV23"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"municipalities": "GM0153 GM9999"}, "municipalities", "GM9999"),
        ({"municipalities": " "}, "municipalities", "required"),
        ({"behind_below_percent": "50", "far_behind_below_percent": "60"}, "far_behind_below_percent", "50%"),
        ({"behind_below_percent": "101"}, "behind_below_percent", "100"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(dataset, client_en, changes, field, message):
    twente = Area.objects.get(code="VR05")
    seen = region_seen(twente)
    response = client_en.post(reverse("monitor:region", args=["VR05"]), _form(twente, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    twente.refresh_from_db()
    assert region_seen(twente) == seen


def test_an_edit_based_on_an_older_read_is_refused(dataset, client_en):
    twente = Area.objects.get(code="VR05")
    stale = _form(twente, name="Twente (oud)")
    client_en.post(reverse("monitor:region", args=["VR05"]), _form(twente, behind_below_percent="80"))
    response = client_en.post(reverse("monitor:region", args=["VR05"]), stale)
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    assert Area.objects.get(code="VR05").name == "Twente"


def test_a_new_region_code_must_be_a_safety_regions_and_new(dataset, client_en):
    for code, message in (("GM0153", "VR05"), ("VR05", "exists already")):
        response = client_en.post(
            reverse("monitor:region_create"), {"code": code, "name": "X", "municipalities": "GM0153"}
        )
        assert message in " ".join(response.context["form"].errors["code"])
