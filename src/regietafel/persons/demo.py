"""Demo households: invented, pseudonymous records (no names, no V-numbers), stored with is_demo=True so the UI
marks them "demo". They let a new installation show the person-level pages and the access rules; they
are never figures. Needs the municipalities of the region (``regietafel load-dataset``).
"""

import datetime
import random

from django.db import transaction

from regietafel.persons.models import Household, Tie
from regietafel.regions.models import Area, Place

# Households per municipality and their shape: a small, plausible pipeline for the last months.
PER_MUNICIPALITY = (2, 6)
STATUSES = [
    (Household.Status.LINKED, 5),
    (Household.Status.OFFERED, 2),
    (Household.Status.ACCEPTED, 1),
    (Household.Status.HOUSED, 3),
    (Household.Status.REFUSED, 1),
]


def remove_demo() -> int:
    removed, _by_model = Household.objects.filter(is_demo=True).delete()
    return removed


@transaction.atomic
def load_demo(region: str, seed: int, today: datetime.date | None = None) -> dict[str, int]:
    """Replace the demo households of the region's municipalities."""
    remove_demo()
    today = today or datetime.date.today()
    generator = random.Random(seed)
    statuses, weights = zip(*STATUSES, strict=True)
    households = []
    areas = list(Area.objects.municipalities().filter(parent__code=region).order_by("code"))
    places = list(Place.objects.filter(municipality__in=areas).order_by("pk"))
    ties = []
    for area in areas:
        own_places = [place for place in places if place.municipality_id == area.pk]
        for _ in range(generator.randint(*PER_MUNICIPALITY)):
            is_amv = generator.random() < 0.1
            adults = 0 if is_amv else generator.choice([1, 1, 1, 2, 2])
            children = 1 if is_amv else generator.choice([0, 0, 1, 2, 3])
            ages = (
                [generator.randint(16, 17)] if is_amv else [generator.randint(19, 55) for _ in range(adults)]
            )
            ages += [generator.randint(0, 17) for _ in range(children if not is_amv else 0)]
            household = Household(
                municipality=area,
                linked_on=today - datetime.timedelta(days=generator.randint(7, 120)),
                adults=adults,
                children=children,
                member_ages=", ".join(str(age) for age in ages),
                is_amv=is_amv,
                nidos=is_amv,
                needs_accessible=generator.random() < 0.08,
                needs_medical=generator.random() < 0.1,
                status=generator.choices(statuses, weights)[0],
                is_demo=True,
            )
            households.append(household)
            for _tie in range(generator.choice([0, 1, 1, 2])):
                pool = own_places if own_places and generator.random() < 0.7 else places
                if pool:
                    ties.append((household, generator.choice(list(Tie.Kind.values)), generator.choice(pool)))
    Household.objects.bulk_create(households)
    Tie.objects.bulk_create(
        Tie(household=household, kind=kind, place=place) for household, kind, place in ties
    )
    return {"voorbeeldhuishoudens (gepseudonimiseerd)": len(households)}
