from regietafel.housing.models import HousingRealisation
from regietafel.operations.demo import load_demo, remove_demo
from regietafel.reception.models import Location, ThirdCountryNationalCount


def test_demo_records_are_labelled_and_never_beside_a_sourced_figure(dataset):
    load_demo()
    assert HousingRealisation.objects.filter(is_demo=False).count() == 0
    assert HousingRealisation.objects.count() == 11 * 12
    assert all(
        "Voorbeelddata" in source
        for source in Location.objects.filter(is_demo=True).values_list("source", flat=True)
    )
    raalte_goo = Location.objects.filter(municipality__code="GM0177", kind=Location.Kind.MUNICIPAL_UKRAINE)
    assert [(location.capacity, location.is_demo) for location in raalte_goo] == [(265, False)]
    assert ThirdCountryNationalCount.objects.filter(municipality__code="GM0177").count() == 1


def test_demo_is_reproducible_and_removable(dataset):
    load_demo(seed=7)
    first = list(
        HousingRealisation.objects.order_by("municipality__code", "month").values_list("housed", flat=True)
    )
    load_demo(seed=7)
    second = list(
        HousingRealisation.objects.order_by("municipality__code", "month").values_list("housed", flat=True)
    )
    assert first == second
    assert remove_demo() > 0
    assert not HousingRealisation.objects.exists()
    assert Location.objects.filter(is_demo=False).count() == 1
