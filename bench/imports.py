"""Import of a 100,000-row monthly realisation file, in a process of its own: `python -m bench.imports DB FILE`.

The parent (bench/__main__.py) writes the file: the 342 generated municipalities of bench/national.py, one row per
municipality per month from January 1990 on. The child reads it as an upload is read (read_table), checks every row
and writes them in one transaction (import_rows), and prints its wall-clock and CPU seconds and its peak resident
memory (the whole process: Python, Django and the import; ``peak_resident_mb``), as JSON.
"""

import csv
import datetime
import json
import os
import resource
import sys
import time

ROWS = 100_000


def write_file(path, codes: list[str], rows: int = ROWS) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["municipality_code", "month", "housed", "housed_minors", "reference_date", "source"])
        month = datetime.date(1990, 1, 1)
        written = 0
        while written < rows:
            for code in codes[: rows - written]:
                writer.writerow([code, month.isoformat(), 4, 1, "2026-11-01", "gegenereerd voor make bench"])
                written += 1
            month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def peak_resident_mb() -> float:
    """This process's peak resident memory. Linux's ``VmHWM`` is this program's own; ``ru_maxrss`` also counts what
    the parent held when it started this process (the bench's parent holds a few hundred MB), so it is used only
    where ``/proc`` is not there."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(database: str, path: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regietafel.settings")
    import django

    django.setup()
    from django.conf import settings

    from regietafel.core.specs import get_spec
    from regietafel.imports.services import import_file

    settings.IMPORT_MAX_ROWS = max(settings.IMPORT_MAX_ROWS, ROWS)
    start, cpu = time.perf_counter(), time.process_time()
    counts = import_file(get_spec("realisation"), path)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = peak_resident_mb()
    print(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu_seconds, 1),
                "peak_mb": round(peak_mb),
                "counts": counts,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
