"""Benchmark of the matching optimiser (regietafel.domain.matching): `python -m bench.matching`.

Two generated instances (regietafel.domain.matching_instances), planned over one half-year (every dwelling available
by its end counts), without redistribution between municipalities (each municipality is its own component):

- regional: 600 households, 400 dwellings in the 11 IJsselland municipalities, time limit 20 s;
- national: 20,000 households, 15,000 dwellings in 342 generated municipalities, time limit 45 s.

Both with 2 workers (processes). For each: people housed and households past their deadline by the optimiser and
by first come first served (greedy); per level (people, deadline, fit) its status ("optimal": proven, or
"feasible": with a gap), objective, bound and the time at which every component had it; the first level's
objective and bound again (``objective``, ``bound``); the optimiser's wall time and CPU time (this process and its
worker processes) and the load average (1 minute) before the run, since the machine may be shared. For the
special case of one household per dwelling (no sharing) the same per-component cost matrices are solved by
scipy's linear_sum_assignment and by our min-cost flow; both times are given, and the totals are checked equal.
"""

from __future__ import annotations

import datetime
import os
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

from bench.assignment import one_per_dwelling_costs, solve_cost_matrix
from regietafel.domain.matching import Options, greedy, optimise
from regietafel.domain.matching_instances import IJSSELLAND, generate

START = datetime.date(2026, 1, 1)
# The national budget is 45 s so the whole run, building the result included, stays under the 60 s on a busy
# 2-core machine. People and deadline are proven in a fraction of it; the fit level may use a quarter of it.
INSTANCES = {
    "regional": {"households": 600, "dwellings": 400, "municipalities": list(IJSSELLAND), "seconds": 20.0},
    "national": {"households": 20_000, "dwellings": 15_000, "municipalities": 342, "seconds": 45.0},
}


def measure(name: str, seed: int = 1) -> dict:
    spec = INSTANCES[name]
    households, dwellings = generate(
        spec["households"], spec["dwellings"], spec["municipalities"], seed, START
    )
    options = Options(
        available_before=START + datetime.timedelta(days=182),
        today=START,
        time_limit_seconds=spec["seconds"],
        workers=2,
    )
    status_quo = greedy(households, dwellings, options)
    load = os.getloadavg()[0]
    before, started = os.times(), time.perf_counter()
    result = optimise(households, dwellings, options)
    seconds, after = time.perf_counter() - started, os.times()
    cpu = sum(
        getattr(after, n) - getattr(before, n) for n in ("user", "system", "children_user", "children_system")
    )
    people = result.levels[0]
    assert people.name == "people"

    matrices = one_per_dwelling_costs(households, dwellings, options)
    arrays = [np.array(matrix.costs, dtype=np.float64) for matrix in matrices]
    started = time.perf_counter()
    lsa_total = 0
    for array in arrays:
        rows, columns = linear_sum_assignment(array)
        lsa_total += int(array[rows, columns].sum())
    seconds_lsa = time.perf_counter() - started
    started = time.perf_counter()
    flow_total = sum(matrix.total(solve_cost_matrix(matrix)) for matrix in matrices)
    seconds_flow = time.perf_counter() - started
    if lsa_total != flow_total:
        raise AssertionError(f"{name}: linear_sum_assignment {lsa_total} != min-cost flow {flow_total}")
    return {
        "households": len(households),
        "dwellings": len(dwellings),
        "housed_people_optimizer": result.people_housed,
        "housed_people_greedy": status_quo.people_housed,
        "past_deadline_optimizer": result.past_deadline,
        "past_deadline_greedy": status_quo.past_deadline,
        "levels": [
            {
                "name": level.name,
                "status": "optimal" if level.optimal else "feasible",
                "objective": level.objective,
                "bound": level.bound,
                "seconds": level.seconds,
            }
            for level in result.levels
        ],
        "objective": people.objective,
        "bound": people.bound,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "load_average": round(load, 2),
        "seconds_scipy_lsa": round(seconds_lsa, 3),
        "seconds_one_per_dwelling": round(seconds_flow, 3),
    }


def run() -> dict:
    return {"regional": measure("regional"), "national": measure("national")}


if __name__ == "__main__":
    figures = run()
    for name, row in figures.items():
        print(f"{name}: {row['households']} households, {row['dwellings']} dwellings")
        print(
            f"  people housed: optimiser {row['housed_people_optimizer']} (bound {row['bound']}), "
            f"first come first served {row['housed_people_greedy']}"
        )
        print(
            f"  past deadline: optimiser {row['past_deadline_optimizer']}, "
            f"first come first served {row['past_deadline_greedy']}"
        )
        for level in row["levels"]:
            print(
                f"  {level['name']}: {level['status']}, {level['objective']} (bound {level['bound']}), "
                f"done after {level['seconds']} s"
            )
        print(
            f"  optimiser: {row['seconds']} s wall, {row['cpu_seconds']} s CPU (with its worker processes), "
            f"load average {row['load_average']} before"
        )
        print(
            f"  one household per dwelling: scipy linear_sum_assignment {row['seconds_scipy_lsa']} s, "
            f"min-cost flow {row['seconds_one_per_dwelling']} s"
        )
