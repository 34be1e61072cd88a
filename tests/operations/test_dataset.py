"""The embedded IJsselland data set and the demo generator."""

import csv
import io

import pytest
from django.core.management import call_command

from regietafel.core.figures import DEMO_SOURCE
from regietafel.core.specs import get_spec
from regietafel.housing.models import HousingRealisation, NationalTarget, OpeningBalance
from regietafel.operations.dataset import DATA_DIR, FILES, load_dataset
from regietafel.operations.demo import load_demo, remove_demo
from regietafel.reception.models import Location, ThirdCountryNationalCount
from regietafel.regions.models import Area, PopulationFigure
from tests.support import DEMO_DAY, IJSSELLAND

DEMO_MODELS = [HousingRealisation, OpeningBalance, Location, ThirdCountryNationalCount]


def data_rows(name: str) -> int:
    with open(DATA_DIR / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def test_dataset_loads_every_row_of_every_file(db):
    results = load_dataset()

    assert list(results) == FILES
    for name in FILES:
        assert results[name] == {"create": data_rows(name), "update": 0, "unchanged": 0}
        assert get_spec(name).model.objects.count() == data_rows(name)
    assert not any(model.objects.filter(is_demo=True).exists() for model in DEMO_MODELS)


def test_loading_the_dataset_again_changes_nothing(dataset):
    before = list(PopulationFigure.objects.order_by("pk").values("pk", "population", "source"))

    results = load_dataset()

    for name in FILES:
        assert results[name] == {"create": 0, "update": 0, "unchanged": data_rows(name)}
    assert list(PopulationFigure.objects.order_by("pk").values("pk", "population", "source")) == before


def test_dataset_builds_the_region_ijsselland(dataset):
    region = Area.objects.get(code="VR04")
    municipalities = Area.objects.in_region(region)
    assert region.kind == Area.Kind.REGION
    assert region.name == "IJsselland"
    assert region.parent.code == "PV23"
    assert sorted(municipalities.values_list("name", flat=True)) == IJSSELLAND
    assert all(m.tile_row and m.tile_column for m in municipalities)
    assert "Enschede" in Area.objects.in_region(Area.objects.get(code="VR05")).values_list("name", flat=True)


def test_dataset_keeps_every_revision_of_a_national_number(dataset):
    assert list(NationalTarget.objects.filter(half_year="2025-H1").values_list("revision", "headline")) == [
        (0, 17700),
        (1, 15000),
    ]


def test_load_dataset_command_reports_counts(dataset):
    out = io.StringIO()
    call_command("load_dataset", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(FILES) + 1
    assert lines[0] == f"sources: 0 nieuw, 0 bijgewerkt, {data_rows('sources')} ongewijzigd"
    assert lines[1] == f"populations: 0 nieuw, 0 bijgewerkt, {data_rows('populations')} ongewijzigd"
    # The worked example of the distribution planner, made from the data set's own figures
    assert (
        lines[-1]
        == "verdeling: voorbeeldscenario 'Eerste cyclus Overijssel: bevolkingsaandeel, grootste overschot'"
    )


def test_demo_records_are_marked_and_sourced_as_generated(demo):
    source = DEMO_SOURCE.format(seed=2025)
    for model in DEMO_MODELS:
        demo_records = model.objects.filter(is_demo=True)
        assert demo_records.exists()
        assert set(demo_records.values_list("source__name", flat=True)) == {source}
    # The sourced figures stay sourced.
    assert not PopulationFigure.objects.filter(is_demo=True).exists()
    assert not NationalTarget.objects.filter(is_demo=True).exists()
    assert Location.objects.filter(is_demo=False).count() == 1


def test_demo_covers_every_month_of_2025_for_every_municipality(demo):
    assert HousingRealisation.objects.count() == len(IJSSELLAND) * 12
    assert OpeningBalance.objects.filter(half_year="2025-H1").count() == len(IJSSELLAND)
    assert not HousingRealisation.objects.filter(housed_minors__gt=0, housed__lt=1).exists()


def test_demo_does_not_duplicate_sourced_raalte_figures(demo):
    raalte = Area.objects.get(code="GM0177")
    goo = Location.objects.filter(municipality=raalte, kind=Location.Kind.MUNICIPAL_UKRAINE)
    assert [location.is_demo for location in goo] == [False]
    assert list(
        ThirdCountryNationalCount.objects.filter(municipality=raalte).values_list("is_demo", flat=True)
    ) == [False]


def _demo_figures():
    return list(
        HousingRealisation.objects.order_by("municipality__code", "month").values_list(
            "housed", "housed_minors"
        )
    )


def test_demo_is_reproducible_with_the_same_seed(demo):
    first = _demo_figures()
    load_demo(today=DEMO_DAY)
    assert _demo_figures() == first
    load_demo(seed=7, today=DEMO_DAY)
    assert _demo_figures() != first


def test_remove_demo_keeps_the_sourced_figures(demo):
    sourced = Location.objects.filter(is_demo=False).count()
    removed = remove_demo()
    assert removed > 0
    assert not any(model.objects.filter(is_demo=True).exists() for model in DEMO_MODELS)
    assert Location.objects.filter(is_demo=False).count() == sourced
    assert ThirdCountryNationalCount.objects.filter(is_demo=False).count() == 1


@pytest.mark.parametrize("args", [[], ["--remove"]])
def test_load_demo_command(dataset, args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    assert HousingRealisation.objects.filter(is_demo=True).exists() is (args == [])
    assert out.getvalue().strip()
