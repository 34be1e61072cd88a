"""Generated matching instances: status-holder households and dwellings, for benchmarks, tests and demo data.

Pure Python, no Django. :func:`generate` is deterministic for a seed: the same arguments give the same
households and dwellings on every run and platform (``random.Random`` seeded with an int or a str).

What is generated (rough shares, chosen to look like a Dutch municipality's task, not taken from statistics):

- municipalities: the 11 IJsselland municipalities have their real places and coordinates; any other code gets a
  centre inside the Netherlands derived from the code alone (so the same code lies in the same spot whatever the
  seed) and three villages 3-12 km around it. ``municipalities`` given as an int generates codes
  ``GM9001``, ``GM9002``, ... (no real municipality has a code in the 9000s). Households and dwellings are spread
  over the municipalities in proportion to a population weight;
- households: ~45 % singles, ~5 % AMV (unaccompanied minors, 1 or 2 siblings, no adults), couples, one-parent
  families, families and ~5 % large families (6-9 people); ~5 % need an accessible dwelling; the COA link date
  lies between 100 days before ``start`` and 90 days after it, the deadline is the link date plus 10 weeks, so
  some households are already past their deadline on ``start``; ``max_rent`` is the 2025 housing-allowance limit
  of the household type (the caller of the matcher computes it; here it is generated the same way);
  0-2 ties (work, study, family, care) to the own place, a village of the municipality or a neighbouring
  municipality;
- dwellings: 1-6 rooms from housing corporations at social rents, ~10 % accessible, available on a day of the
  half-year after ``start``; ~20 % are rooms in flex projects where singles share (one per room), at a rent per
  room, and a few ordinary corporation dwellings of 3+ rooms allow sharing as well.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Sequence
from decimal import Decimal

from regietafel.domain.matching import Dwelling, Household, Tie

LINK_TO_DEADLINE = datetime.timedelta(weeks=10)
HALF_YEAR_DAYS = 182

# Housing-allowance (huurtoeslag) rent limits 2025: quality-discount limit (under 23), capping limits for one or
# two people and for three or more, and the maximum rent.
LIMIT_YOUNG = Decimal("477.20")
LIMIT_SMALL = Decimal("682.96")
LIMIT_LARGE = Decimal("731.93")
LIMIT_MAX = Decimal("900.07")

IJSSELLAND: dict[str, tuple[str, int, tuple[tuple[str, float, float], ...]]] = {
    "GM0148": (
        "Dalfsen",
        29_000,
        (("Dalfsen", 52.507, 6.258), ("Nieuwleusen", 52.581, 6.283), ("Lemelerveld", 52.443, 6.333)),
    ),
    "GM0150": (
        "Deventer",
        102_000,
        (("Deventer", 52.255, 6.160), ("Bathmen", 52.250, 6.287), ("Schalkhaar", 52.270, 6.194)),
    ),
    "GM0160": (
        "Hardenberg",
        62_000,
        (
            ("Hardenberg", 52.575, 6.619),
            ("Dedemsvaart", 52.600, 6.462),
            ("Gramsbergen", 52.610, 6.673),
            ("Bergentheim", 52.527, 6.609),
        ),
    ),
    "GM0166": (
        "Kampen",
        55_000,
        (("Kampen", 52.555, 5.911), ("IJsselmuiden", 52.563, 5.925), ("Wilsum", 52.531, 5.975)),
    ),
    "GM1773": ("Olst-Wijhe", 18_000, (("Olst", 52.338, 6.110), ("Wijhe", 52.388, 6.133))),
    "GM0175": (
        "Ommen",
        18_000,
        (("Ommen", 52.520, 6.421), ("Vilsteren", 52.495, 6.360), ("Lemele", 52.470, 6.425)),
    ),
    "GM0177": (
        "Raalte",
        38_000,
        (
            ("Raalte", 52.387, 6.275),
            ("Heino", 52.435, 6.233),
            ("Heeten", 52.330, 6.278),
            ("Luttenberg", 52.405, 6.355),
        ),
    ),
    "GM0180": (
        "Staphorst",
        17_500,
        (("Staphorst", 52.645, 6.211), ("Rouveen", 52.620, 6.190), ("IJhorst", 52.668, 6.293)),
    ),
    "GM1708": (
        "Steenwijkerland",
        45_000,
        (
            ("Steenwijk", 52.787, 6.118),
            ("Vollenhove", 52.681, 5.954),
            ("Giethoorn", 52.740, 6.078),
            ("Oldemarkt", 52.822, 5.975),
        ),
    ),
    "GM1896": (
        "Zwartewaterland",
        23_000,
        (("Hasselt", 52.590, 6.093), ("Genemuiden", 52.625, 6.041), ("Zwartsluis", 52.640, 6.073)),
    ),
    "GM0193": ("Zwolle", 132_000, (("Zwolle", 52.516, 6.083), ("Windesheim", 52.453, 6.118))),
}
IJSSELLAND_CORPORATIONS = (
    "deltaWonen",
    "SWZ",
    "Openbaar Belang",
    "Rentree",
    "Woonbedrijf ieder1",
    "Vechthorst",
)

# (adults, children range, share in %): singles, couples, one-parent families, families, large families.
_COMPOSITIONS: tuple[tuple[int, tuple[int, int], int], ...] = (
    (1, (0, 0), 45),
    (2, (0, 0), 9),
    (1, (1, 3), 12),
    (2, (1, 3), 19),
    (2, (4, 7), 5),
)
AMV_SHARE = 0.05
ACCESSIBLE_NEED_SHARE = 0.05
YOUNG_SINGLE_SHARE = 0.3
TIE_KINDS = (("work", 35), ("study", 25), ("family", 25), ("care", 15))
ROOMS = ((1, 10), (2, 20), (3, 30), (4, 25), (5, 10), (6, 5))
MAX_OCCUPANCY = {1: 1, 2: 2, 3: 4, 4: 6, 5: 7, 6: 8}
FLEX_SHARE = 0.2
SHARED_REGULAR_SHARE = 0.08
ACCESSIBLE_DWELLING_SHARE = 0.10


def _municipality_places(code: str) -> tuple[int, list[tuple[str, float, float]]]:
    """Population weight and places (name, lat, lon) of a municipality; generated from the code alone if unknown."""
    if code in IJSSELLAND:
        _name, population, places = IJSSELLAND[code]
        return population, list(places)
    rng = random.Random(f"municipality:{code}")
    lat, lon = rng.uniform(51.45, 53.25), rng.uniform(4.3, 6.9)
    population = int(math.exp(rng.gauss(10.4, 0.7)))
    places = [(f"{code}-centrum", round(lat, 3), round(lon, 3))]
    for index in range(3):
        angle = rng.uniform(0, 2 * math.pi)
        km = rng.uniform(3, 12)
        places.append(
            (
                f"{code}-dorp{index + 1}",
                round(lat + km / 111.0 * math.sin(angle), 3),
                round(lon + km / (111.0 * math.cos(math.radians(lat))) * math.cos(angle), 3),
            )
        )
    return population, places


def _weighted(rng: random.Random, table: Sequence[tuple[object, int]]) -> object:
    return rng.choices([value for value, _w in table], weights=[w for _v, w in table])[0]


def _neighbours(
    codes: list[str], places: dict[str, list[tuple[str, float, float]]], count: int
) -> dict[str, list[str]]:
    """The ``count`` municipalities whose centre lies nearest to each municipality's centre."""

    def key(a: str, b: str) -> float:
        _na, lat_a, lon_a = places[a][0]
        _nb, lat_b, lon_b = places[b][0]
        return (lat_a - lat_b) ** 2 + ((lon_a - lon_b) * 0.61) ** 2

    return {
        code: sorted((other for other in codes if other != code), key=lambda o, c=code: key(c, o))[:count]
        for code in codes
    }


def generate(
    households: int,
    dwellings: int,
    municipalities: int | list[str],
    seed: int,
    start: datetime.date,
) -> tuple[list[Household], list[Dwelling]]:
    """Generate ``households`` households and ``dwellings`` dwellings over the given municipalities (see module doc).

    ``municipalities`` is a list of CBS codes or a count (codes ``GM9001``...). Household ids are ``H00001``...,
    dwelling ids ``W00001``... in generation order.
    """
    if households < 0 or dwellings < 0:
        raise ValueError("households and dwellings must be >= 0")
    codes = (
        [f"GM{9001 + index:04d}" for index in range(municipalities)]
        if isinstance(municipalities, int)
        else list(municipalities)
    )
    if not codes:
        raise ValueError("at least one municipality is needed")
    if len(set(codes)) != len(codes):
        raise ValueError("municipality codes must be unique")
    rng = random.Random(seed)
    weights: dict[str, int] = {}
    places: dict[str, list[tuple[str, float, float]]] = {}
    for code in codes:
        weights[code], places[code] = _municipality_places(code)
    neighbours = _neighbours(codes, places, 3) if len(codes) <= 400 else {code: [] for code in codes}
    weight_list = [weights[code] for code in codes]

    result_households: list[Household] = []
    for index in range(households):
        code = rng.choices(codes, weights=weight_list)[0]
        if rng.random() < AMV_SHARE:
            adults, children, is_amv = 0, 1 if rng.random() < 0.8 else 2, True
        else:
            adults, (low, high), _share = rng.choices(_COMPOSITIONS, weights=[c[2] for c in _COMPOSITIONS])[0]
            children, is_amv = rng.randint(low, high), False
        people = adults + children
        if is_amv or (people == 1 and rng.random() < YOUNG_SINGLE_SHARE):
            max_rent = LIMIT_YOUNG
        elif people <= 2:
            max_rent = LIMIT_SMALL
        else:
            max_rent = LIMIT_LARGE
        linked = start + datetime.timedelta(days=rng.randint(-100, 90))
        ties = []
        for _ in range(rng.choices((0, 1, 2), weights=(50, 35, 15))[0]):
            tie_code = code if rng.random() < 0.7 or not neighbours[code] else rng.choice(neighbours[code])
            name, lat, lon = rng.choice(places[tie_code])
            ties.append(Tie(kind=str(_weighted(rng, TIE_KINDS)), place=name, lat=lat, lon=lon))
        result_households.append(
            Household(
                id=f"H{index + 1:05d}",
                municipality=code,
                adults=adults,
                children=children,
                deadline=linked + LINK_TO_DEADLINE,
                needs_accessible=rng.random() < ACCESSIBLE_NEED_SHARE,
                is_amv=is_amv,
                max_rent=max_rent,
                ties=tuple(ties),
            )
        )

    result_dwellings: list[Dwelling] = []
    for index in range(dwellings):
        code = rng.choices(codes, weights=weight_list)[0]
        name, lat, lon = rng.choice(places[code])
        lat += rng.uniform(-0.01, 0.01)
        lon += rng.uniform(-0.015, 0.015)
        if rng.random() < FLEX_SHARE:
            rooms = rng.randint(2, 6)
            max_occupancy = rooms
            rent = Decimal(rng.randint(330, 480)) * rooms
            owner, sharing = f"Flexwonen {name}", True
        else:
            rooms = int(_weighted(rng, ROOMS))
            max_occupancy = MAX_OCCUPANCY[rooms]
            rent = min(
                Decimal(rng.randint(420, 560) + 55 * rooms) + Decimal(rng.randint(0, 99)) / 100, LIMIT_MAX
            )
            owner = (
                rng.choice(IJSSELLAND_CORPORATIONS)
                if code in IJSSELLAND
                else f"Woningcorporatie {code}-{rng.randint(1, 3)}"
            )
            sharing = rooms >= 3 and rng.random() < SHARED_REGULAR_SHARE
        result_dwellings.append(
            Dwelling(
                id=f"W{index + 1:05d}",
                municipality=code,
                place=name,
                lat=round(lat, 5),
                lon=round(lon, 5),
                rooms=rooms,
                max_occupancy=max_occupancy,
                rent=rent.quantize(Decimal("0.01")),
                accessible=rng.random() < ACCESSIBLE_DWELLING_SHARE,
                available_on=start + datetime.timedelta(days=rng.randint(0, HALF_YEAR_DAYS)),
                owner=owner,
                sharing_allowed=sharing,
            )
        )
    return result_households, result_dwellings
