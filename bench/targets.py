"""Target computation for the whole country: 342 municipalities x 10 half-years, with carry-over.

Two measurements:
- ``domain``: the rules alone (regietafel.domain.targets): each half-year's statutory targets by population share,
  then every municipality's carry-over chain over the ten half-years, on generated populations and realisations;
- ``ledger``: what the monitor does for the generated national region of bench/national.py: read its figures once
  (HousingLedger) and compute every municipality's row, carry-over chain included, for each half-year with a
  national number.
"""

import random
import statistics
import time

from regietafel.domain.targets import HalfYear, carry_over, statutory_target

MUNICIPALITIES = 342
HALF_YEARS = [HalfYear(2021, 1)]
for _ in range(9):
    HALF_YEARS.append(HALF_YEARS[-1].next())


def domain_seconds(seed: int = 1, runs: int = 5) -> float:
    rng = random.Random(seed)
    populations = {
        f"GM{n:04d}": max(900, round(rng.lognormvariate(10.5, 0.9))) for n in range(MUNICIPALITIES)
    }
    national_population = sum(populations.values())
    nationals = [rng.randint(10_000, 30_000) for _ in HALF_YEARS]
    housed = {code: [rng.randint(0, 200) for _ in HALF_YEARS] for code in populations}

    def run():
        targets = [
            {
                code: statutory_target(national, population, national_population)
                for code, population in populations.items()
            }
            for national in nationals
        ]
        for code in populations:
            periods = [
                (half_year, targets[index][code], housed[code][index])
                for index, half_year in enumerate(HALF_YEARS)
            ]
            positions = carry_over(rng.randint(-10, 40), periods)
            assert len(positions) == len(HALF_YEARS)

    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def ledger_seconds(region, runs: int = 3) -> dict:
    from regietafel.housing.ledger import HousingLedger

    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        ledger = HousingLedger(region)
        rows = [row for half_year in ledger.half_years() for row in ledger.rows(half_year)]
        timings.append(time.perf_counter() - start)
    return {
        "seconds": round(statistics.median(timings), 3),
        "municipalities": len(ledger.municipalities),
        "half_years": len(ledger.half_years()),
        "rows": len(rows),
    }
