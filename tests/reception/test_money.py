"""Money (issue 26, part 6): reimbursement rates as sourced, dated figures, and the expected reimbursement per
municipality and quarter from its GOO places, marked as an estimate."""

import datetime
from decimal import Decimal

from django.urls import reverse

from regietafel.core.sources import cite
from regietafel.domain.money import Quarter
from regietafel.reception import money
from regietafel.reception.models import Location, Rate
from regietafel.regions.models import Area


def test_the_embedded_rates_are_the_booo_normbedragen_with_their_sources(dataset):
    booo = money.rates()
    assert [(rate.valid_from, rate.amount) for rate in booo] == [
        (datetime.date(2022, 3, 1), Decimal("100.00")),
        (datetime.date(2022, 10, 15), Decimal("83.00")),
        (datetime.date(2024, 1, 1), Decimal("61.00")),
        (datetime.date(2025, 1, 1), Decimal("44.00")),
    ]
    assert all(rate.source.name and not rate.is_demo for rate in booo)
    assert Rate.objects.filter(scheme=Rate.Scheme.DISTRIBUTION_INCENTIVE, amount=5000).exists()


def test_a_quarter_is_its_places_times_the_days_rate_and_says_it_is_an_estimate(dataset, logged_in):
    raalte = Area.objects.get(code="GM0177")
    Location.objects.filter(municipality=raalte, kind=Location.Kind.MUNICIPAL_UKRAINE).delete()
    location = Location.objects.create(
        municipality=raalte,
        name="Park Den Alerdinck",
        kind=Location.Kind.MUNICIPAL_UKRAINE,
        capacity=200,
        start_date=datetime.date(2024, 1, 1),
        reference_date=datetime.date(2024, 12, 1),
        source=cite("Gemeente Raalte, opvanglocaties", "H"),
    )
    location.capacity, location.reference_date = 250, datetime.date(2025, 2, 1)
    location.save()
    q4, q1 = Quarter(2024, 4), Quarter(2025, 1)
    [last, first] = money.estimates([raalte], [q4, q1])[raalte.pk]
    # 2024-Q4: 200 places from 1 December (31 days) at € 61.
    assert last.place_days.value == 200 * 31 and last.amount.value == 200 * 31 * 61
    # 2025-Q1: 200 places in January, 250 from 1 February, at € 44.
    assert first.place_days.value == 200 * 31 + 250 * 59
    assert first.amount.value == (200 * 31 + 250 * 59) * 44
    assert first.amount.note == "estimate" or "schatting" in first.amount.note
    assert {ref.source for ref in first.amount.refs} >= {
        "Gemeente Raalte, opvanglocaties",
        "Tweede Kamer, Verzamelbrief opvang ontheemden uit Oekraïne (2024D43792, 13 november 2024)",
    }
    page = logged_in.get(reverse("monitor:municipality", args=["GM0177"])).content.decode()
    assert "Verwachte vergoeding" in page and "schatting" in page
    region = logged_in.get(reverse("monitor:money")).content.decode()
    assert "Raalte" in region and ("44,00" in region or "44.00" in region)


def test_a_demo_location_makes_the_estimate_demo(demo):
    raalte = Area.objects.get(code="GM0177")
    quarters = money.last_quarters(datetime.date(2026, 3, 31))
    estimates = money.estimates([raalte], quarters)[raalte.pk]
    demo_places = Location.objects.filter(
        municipality=raalte, kind=Location.Kind.MUNICIPAL_UKRAINE, is_demo=True
    ).exists()
    assert any(estimate.amount.is_demo for estimate in estimates) == demo_places
