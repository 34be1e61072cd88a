"""The starting set's domains: the fields the seed letter names for the table beyond counts, the quality of
reception and "voldoende toegang tot onderwijs, zorg, werk en begeleiding". A region may rename them or add one."""

from regietafel.indicators.models import Domain

DOMAINS = [
    ("reception_quality", "Kwaliteit van de opvang"),
    ("education", "Onderwijs"),
    ("care", "Zorg"),
    ("work", "Werk"),
    ("guidance", "Begeleiding en inburgering"),
]


def ensure_domains(domain_model=Domain) -> int:
    """Create the domains that do not exist yet (a renamed one keeps its name); returns how many were made.
    ``domain_model``: the Domain model (a migration passes its historical one: migration 0004 makes them, so a
    region without the data set has them too)."""
    made = 0
    for position, (code, name) in enumerate(DOMAINS, start=1):
        made += domain_model.objects.get_or_create(code=code, defaults={"name": name, "position": position})[
            1
        ]
    return made
