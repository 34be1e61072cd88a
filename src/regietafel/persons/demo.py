"""Demo households: invented, pseudonymous records (no names, no V-numbers), stored with is_demo=True so the UI
labels them "voorbeelddata". They let a new installation show the person-level pages and the access rules; they
are never figures. Needs the municipalities of the region (``regietafel load-dataset``).
"""

import datetime
import random

from django.db import transaction

from regietafel.persons.models import Household
from regietafel.regions.models import Area

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
    for area in Area.objects.municipalities().filter(parent__code=region).order_by("code"):
        for _ in range(generator.randint(*PER_MUNICIPALITY)):
            is_amv = generator.random() < 0.1
            adults = 0 if is_amv else generator.choice([1, 1, 1, 2, 2])
            households.append(
                Household(
                    municipality=area,
                    linked_on=today - datetime.timedelta(days=generator.randint(7, 120)),
                    adults=adults,
                    children=1 if is_amv else generator.choice([0, 0, 1, 2, 3]),
                    is_amv=is_amv,
                    status=generator.choices(statuses, weights)[0],
                    is_demo=True,
                )
            )
    Household.objects.bulk_create(households)
    return {"voorbeeldhuishoudens (gepseudonimiseerd)": len(households)}
