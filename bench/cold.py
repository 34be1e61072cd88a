"""The first request after figures change, as a user meets it after an import.

Every write to a figure makes every kept figures part old (monitor/pagecache.py). Right after, the worker renders the
parts of the pages people open first (monitor/warmup.py). Each round here:

1. writes a figure through the ORM, in a transaction that commits, as an import or a form does;
2. runs the worker's round in a process of its own against the same database and cache, as `regietafel db_worker`
   does (``warmup.warm``), and notes how long it took (wall and CPU, in that process): that is how long after an
   import the pages are ready;
3. requests each page once: the first request after the write. Its server time against the floor (the bare view
   through the same middleware, bench/pages.py, requested 20 times after each round) is the cold ratio: CPU time
   against the floor's CPU time (what the request costs, whatever else the shared machine runs), and wall time
   against the floor's wall time beside it.

The pages are the ones people open: each overview on the half-year it opens on, and a municipality page. A page the
worker did not render (another half-year) is computed by its request: bench/pages.py measures that as "uncached".
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.db import transaction


def _write_a_figure(flip: int) -> None:
    from regietafel.housing.models import HousingRealisation

    with transaction.atomic():
        record = HousingRealisation.objects.order_by("pk").first()
        record.housed += 1 if flip % 2 == 0 else -1
        record.save(update_fields=["housed", "updated_at"])


def _request(client, path: str) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def measure(client, pages: dict[str, str], rounds: int = 5) -> dict:
    """Per page: the median first request after a write (ms, CPU ms, their ratios to the floor's); the floor; and
    the worker's round."""
    from bench.pages import FLOOR
    from regietafel.monitor import pagecache, warmup

    for path in pages.values():  # templates compiled, as in a running server
        client.get(path)
    first: dict[str, list[tuple[float, float]]] = {name: [] for name in pages}
    warm_wall, warm_cpu, kept = [], [], []
    floor: list[tuple[float, float]] = []
    for index in range(rounds):
        _write_a_figure(index)
        version = pagecache.figures_version()
        time.sleep(max(0.0, version + pagecache.SETTLE_SECONDS - time.time()))
        worker = subprocess.run(
            [sys.executable, "-m", "bench.cold", repr(version)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        done = json.loads(worker.stdout.strip().splitlines()[-1])
        kept.append(done["parts"])
        warm_wall.append(done["seconds"])
        warm_cpu.append(done["cpu_seconds"])
        for name, path in pages.items():
            first[name].append(_request(client, path))
        floor += [_request(client, FLOOR) for _ in range(20)]
    floor_ms = statistics.median(wall for wall, _cpu in floor)
    floor_cpu_ms = statistics.median(cpu for _wall, cpu in floor)
    result = {
        "floor_ms": round(floor_ms, 2),
        "floor_cpu_ms": round(floor_cpu_ms, 2),
        "warmup": {
            "seconds": round(statistics.median(warm_wall), 1),
            "cpu_seconds": round(statistics.median(warm_cpu), 1),
            "parts": kept[-1],
            "roles": warmup.roles(),
        },
        "pages": {},
    }
    for name, path in pages.items():
        ms = statistics.median(wall for wall, _cpu in first[name])
        cpu = statistics.median(cpu for _wall, cpu in first[name])
        result["pages"][name] = {
            "path": path,
            "ms": round(ms, 2),
            "cpu_ms": round(cpu, 2),
            "ratio": round(cpu / floor_cpu_ms, 2),
            "wall_ratio": round(ms / floor_ms, 2),
        }
    return result


def worker_round(version: float) -> None:
    """The worker's round, in this process (``python -m bench.cold VERSION``, the environment as the bench's)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regietafel.settings")
    import django

    django.setup()
    from regietafel.monitor import warmup

    wall, cpu = time.perf_counter(), time.process_time()
    parts = warmup.warm(version)
    print(
        json.dumps(
            {"parts": parts, "seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu}
        )
    )


if __name__ == "__main__":
    worker_round(float(sys.argv[1]))
