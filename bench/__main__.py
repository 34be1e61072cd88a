"""Benchmarks: `make bench`. Speed targets live here, never in tests.

Measures, on a scratch SQLite database with the embedded data set, demo figures and a generated national data set
(bench/national.py: 342 municipalities, 8 half-years of monthly figures):
- whole pages (bench/pages.py): the regional overview and a municipality page, server time per request as a ratio to
  a bare view through the same middleware (the floor), for IJsselland and for the national data set: warm (figures
  part kept until a figure changes), cold (the first request after a figure changed, once the worker rendered the
  pages ahead: bench/cold.py, with how long that took) and uncached (computed by the request); SQL queries per page;
- target computation for 342 municipalities x 10 half-years with carry-over (bench/targets.py);
- import of a 100,000-row monthly realisation file, in a process of its own: time and peak memory (bench/imports.py);
- validating and importing a realisation file of 5,000 rows in this process;
- the households export of a beheerder for 2,000 households, through the access path and with one processing-log
  line per household written first (persons/services.read);
- the reports of one meeting: the regional monitor PDF and the council letters (DOCX and PDF) of all 11
  IJsselland municipalities, made as one report job each, as the command line and the background worker do;
- the matcher (bench/matching.py) on a generated regional and national instance, against first come, first served;
- the apportionment methods of the distribution planner on 342 municipalities and 96,000 places, alone and with a
  whole key (factors, places already realised, AMV share), and the Overijssel example scenario as its page computes it.
Writes every figure to bench/results/latest.json and a readable summary to the screen and bench/results/latest.txt.
Prints the median of several runs and fails (exit 1) when a target is missed.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS_MS = {
    "scenario_overijssel": 1000,
    "import_5000_rows": 15000,
    "export_2000_households_logged": 3000,
    "reports_monitor_and_11_letters": 20000,
}
# The targets for pages: server time within these multiples of the bare-view floor.
RATIO_TARGETS = {"ijsselland": 3.0, "national": 5.0}
TARGETS_SECONDS_NATIONAL = 1.0
IMPORT_100K_TARGET_SECONDS = 10
IMPORT_100K_TARGET_MB = 300
HALF_YEAR = "2024-H1"  # the newest half-year with a whole carry-over chain in both data sets


SUMMARY: list[str] = []


def say(line: str) -> None:
    """A line of the readable summary: printed, and written to bench/results/latest.txt."""
    print(line, flush=True)
    SUMMARY.append(line)


def measure(function, runs: int = 5) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> int:
    scratch = tempfile.mkdtemp(prefix="regietafel-bench-")
    database = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database
    os.environ["REGIETAFEL_DATA_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regietafel.settings")
    import django

    django.setup()
    import datetime

    import tablib
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from bench import cold, national, pages, planner, targets
    from regietafel.core.specs import get_spec
    from regietafel.imports.services import import_rows
    from regietafel.monitor import pagecache
    from regietafel.operations.dataset import load_dataset
    from regietafel.operations.demo import load_demo
    from regietafel.regions.models import Area

    call_command("migrate", verbosity=0)
    load_dataset()
    load_demo()
    region = Area.objects.get(code="VR04")
    country = national.generate()
    admin = get_user_model().objects.create_superuser("bench-pages", password=None)
    # Figures written just now are not kept in the page cache for a moment (monitor/pagecache.SETTLE_SECONDS).
    time.sleep(pagecache.SETTLE_SECONDS)

    sets = {
        "ijsselland": {"overview": f"/?halfjaar={HALF_YEAR}", "municipality": "/gemeente/GM0193/"},
        "national": {
            "overview": f"/?regio={country.code}&halfjaar={HALF_YEAR}",
            "municipality": "/gemeente/BM0001/",
        },
    }
    client = pages.client_for(admin)
    page_results = {name: pages.measure(client, paths) for name, paths in sets.items()}
    timeout = settings.REGIETAFEL_PAGE_CACHE_SECONDS
    settings.REGIETAFEL_PAGE_CACHE_SECONDS = 0
    uncached = {name: pages.measure(client, paths, runs=5) for name, paths in sets.items()}
    settings.REGIETAFEL_PAGE_CACHE_SECONDS = timeout
    # The first request after figures change, on the pages as people open them (the half-year they open on).
    landing = {
        "ijsselland": {
            "overview": f"/?regio={region.code}",
            "municipality": sets["ijsselland"]["municipality"],
        },
        "national": {"overview": f"/?regio={country.code}", "municipality": sets["national"]["municipality"]},
    }
    after_write = cold.measure(
        client, {f"{page} {name}": path for name, paths in landing.items() for page, path in paths.items()}
    )
    results = {}
    failed = False
    for name, measured in page_results.items():
        for page, figures in measured["pages"].items():
            first = after_write["pages"][f"{page} {name}"]
            figures.update(
                uncached_ms=uncached[name]["pages"][page]["ms"],
                uncached_ratio=uncached[name]["pages"][page]["ratio"],
                queries_uncached=uncached[name]["pages"][page]["queries"],
                cold_path=first["path"],
                cold_ms=first["ms"],
                cold_cpu_ms=first["cpu_ms"],
                cold_ratio=first["ratio"],
                cold_wall_ratio=first["wall_ratio"],
            )
            results[f"{page}_cold_ratio_{name}"] = first["ratio"]
            results[f"{page}_cold_wall_ratio_{name}"] = first["wall_ratio"]
        overview = measured["pages"]["overview"]
        results[f"overview_ratio_{name}"] = overview["ratio"]
        results[f"overview_queries_{name}"] = overview["queries_uncached"]
        results[f"municipality_ratio_{name}"] = measured["pages"]["municipality"]["ratio"]
        results[f"municipality_queries_{name}"] = measured["pages"]["municipality"]["queries_uncached"]
        for page, figures in measured["pages"].items():
            slow = figures["ratio"] > RATIO_TARGETS[name] or figures["cold_ratio"] > RATIO_TARGETS[name]
            failed |= slow
            say(
                f"{page} {name} (target {RATIO_TARGETS[name]}x the floor of {measured['floor_ms']} ms, warm and "
                f"cold) {'TOO SLOW' if slow else 'ok'}: warm {figures['ms']} ms = {figures['ratio']}x; cold, the "
                f"first request after a figure changed: CPU {figures['cold_cpu_ms']} ms = {figures['cold_ratio']}x "
                f"the floor's CPU {after_write['floor_cpu_ms']} ms (wall {figures['cold_ms']} ms = "
                f"{figures['cold_wall_ratio']}x); uncached (a half-year the worker did not render ahead, computed by "
                f"the request) {figures['uncached_ms']} ms = {figures['uncached_ratio']}x; queries "
                f"{figures['queries']} cached, {figures['queries_uncached']} uncached"
            )
    ready = after_write["warmup"]
    results["warmup"] = ready
    say(
        f"after a figure changed, the worker rendered {ready['parts']} page parts (roles {ready['roles']}) in "
        f"{ready['seconds']} s (CPU {ready['cpu_seconds']} s): how long after an import every page is warm"
    )
    for page in ("overview", "municipality"):
        grows = results[f"{page}_queries_national"] > results[f"{page}_queries_ijsselland"]
        failed |= grows
        say(
            f"{page} queries: {results[f'{page}_queries_ijsselland']} for 11 municipalities, "
            f"{results[f'{page}_queries_national']} for 342 {'GROWS' if grows else 'ok (constant)'}"
        )
    results["pages"] = page_results

    results["targets_seconds_national"] = round(targets.domain_seconds(), 4)
    results["targets_ledger_national"] = targets.ledger_seconds(country)
    failed |= results["targets_seconds_national"] > TARGETS_SECONDS_NATIONAL
    say(
        f"targets 342 municipalities x 10 half-years with carry-over: {results['targets_seconds_national']} s "
        f"(target {TARGETS_SECONDS_NATIONAL} s); the monitor's ledger for the national data set, all "
        f"{results['targets_ledger_national']['half_years']} half-years: "
        f"{results['targets_ledger_national']['seconds']} s"
    )

    from regietafel.distribution import services as distribution
    from regietafel.distribution.dataset import seed_first_cycle

    timings = {}
    # "A fair, explained proposal in a second": a scenario as its page computes it (queries, key, explanations).
    example = seed_first_cycle()
    timings["scenario_overijssel"] = measure(lambda: distribution.compute(example))

    codes = list(Area.objects.in_region(region).values_list("code", flat=True))
    dataset = tablib.Dataset(headers=["municipality_code", "month", "housed", "housed_minors", "source"])
    month = datetime.date(2000, 1, 1)
    while len(dataset) < 5000:
        for code in codes:
            dataset.append([code, month.isoformat(), 5, 1, "bench"])
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    spec = get_spec("realisation")
    timings["import_5000_rows"] = measure(lambda: import_rows(spec, dataset), runs=2)

    timings["export_2000_households_logged"] = measure(export_households(region), runs=3)
    timings["reports_monitor_and_11_letters"] = measure(make_reports(region), runs=2)
    results["reports"] = {"monitor_and_11_letters_ms": round(timings["reports_monitor_and_11_letters"], 1)}

    for name, value in timings.items():
        target = TARGETS_MS[name]
        verdict = "ok" if value <= target else "TOO SLOW"
        failed |= value > target
        say(f"{name}: {value:.0f} ms (target {target} ms) {verdict}")

    big = Path(scratch) / "realisation-100k.csv"
    from bench import imports

    imports.write_file(big, list(Area.objects.in_region(country).values_list("code", flat=True)))
    child = subprocess.run(
        [sys.executable, "-m", "bench.imports", database, str(big)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    imported = json.loads(child.stdout.strip().splitlines()[-1])
    results["import_100k_seconds"] = imported["seconds"]
    results["import_100k_peak_mb"] = imported["peak_mb"]
    results["import_100k_cpu_seconds"] = imported["cpu_seconds"]
    failed |= imported["seconds"] > IMPORT_100K_TARGET_SECONDS or imported["peak_mb"] > IMPORT_100K_TARGET_MB
    say(
        f"import of {imports.ROWS:,} realisation rows: {imported['seconds']} s (CPU {imported['cpu_seconds']} s; "
        f"target {IMPORT_100K_TARGET_SECONDS} s), peak memory {imported['peak_mb']} MB (target "
        f"{IMPORT_100K_TARGET_MB} MB), {imported['counts']}"
    )

    # The distribution planner: all four methods, 96,000 places over 342 municipalities (median of 5 runs).
    runs = [planner.apportionment_timings() for _ in range(5)]
    apportionment = {
        method: round(statistics.median(run[method] for run in runs) * 1000, 1) for method in runs[0]
    }
    apportionment_total = round(sum(apportionment.values()), 1)
    say(f"apportionment 342 x 96000, all methods: {apportionment_total} ms (target 1000 ms) {apportionment}")
    failed |= apportionment_total > 1000

    # The whole key (factor, places already realised, AMV share) on the same national instance.
    runs = [planner.planner_timings() for _ in range(5)]
    key = {method: round(statistics.median(run[method] for run in runs) * 1000, 1) for method in runs[0]}
    planner_total = round(sum(key.values()), 1)
    say(f"distribution key 342 x 96000 with AMV and realised places, all methods: {planner_total} ms {key}")
    failed |= planner_total > 1000

    from bench import matching

    matched = {name: matching.measure(name) for name in matching.INSTANCES}
    for name, figures in matched.items():
        plain = {key: value for key, value in figures.items() if key != "levels"}
        say(f"matching {name}: " + ", ".join(f"{key}={value}" for key, value in plain.items()))
        for level in figures.get("levels", []):
            say(
                f"  level {level['name']}: {level['status']}, objective {level['objective']}, bound {level['bound']}"
            )
    failed |= matched["national"]["seconds"] > 60  # the issue: a national instance within 60 seconds
    # Issue 27: people and the deadline tie-break of the national instance proven optimal within 10 seconds
    failed |= any(
        level["status"] != "optimal" or level["seconds"] > 10
        for level in matched["national"]["levels"]
        if level["name"] in ("people", "deadline")
    )
    failed |= matched["regional"]["housed_people_optimizer"] < matched["regional"]["housed_people_greedy"]
    write_results(
        {
            **results,
            "timings_ms": {k: round(v, 1) for k, v in timings.items()},
            "targets_ms": TARGETS_MS,
            "ratio_targets": RATIO_TARGETS,
            "matching": matched,
            "apportionment_ms": {**apportionment, "all_methods": apportionment_total},
            "distribution_plan_ms": {**key, "all_methods": planner_total},
        }
    )
    return 1 if failed else 0


def write_results(results: dict) -> None:
    """bench/results/latest.json: the figures of this run, for people and for other tools to read."""
    import platform
    from datetime import UTC, datetime

    path = Path(__file__).resolve().parent / "results" / "latest.json"
    path.parent.mkdir(exist_ok=True)
    meta = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    path.write_text(json.dumps({"meta": meta, **results}, indent=2) + "\n", encoding="utf-8")
    summary = path.with_suffix(".txt")
    summary.write_text(
        f"make bench, {meta['generated_at']}, {meta['cpus']} CPUs\n" + "\n".join(SUMMARY) + "\n"
    )
    print(f"written: {path} and {summary}")


def make_reports(region):
    """The monitor and the letters of every municipality of the region, through the report jobs."""
    import datetime

    from regietafel.domain.targets import HalfYear
    from regietafel.reports import services
    from regietafel.reports.models import ReportJob

    def run():
        for kind, options in (
            (ReportJob.Kind.MONITOR, {"reference_date": datetime.date(2025, 12, 31)}),
            (ReportJob.Kind.LETTERS, {"half_year": HalfYear(2025, 2)}),
        ):
            job = services.run(services.start(None, kind, region, enqueue=False, **options))
            assert job.status == ReportJob.Status.DONE and not job.failures, (job.error, job.failures)

    return run


def export_households(region):
    """2,000 demo households; returns a function that exports them as a beheerder would, logged."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from regietafel.audit.models import Channel
    from regietafel.persons import services
    from regietafel.persons.models import Household
    from regietafel.regions.models import Area

    areas = list(Area.objects.in_region(region))
    Household.objects.bulk_create(
        Household(
            municipality=areas[index % len(areas)],
            linked_on=datetime.date(2026, 9, 1),
            adults=1,
            is_demo=True,
        )
        for index in range(2000 - Household.objects.count())
    )
    user = get_user_model().objects.create_superuser("bench", password=None)
    request = RequestFactory().get("/personen/export.csv")
    request.user = user

    def run():
        rows = services.read(request, services.households(user), Channel.EXPORT)
        assert len(rows) == 2000

    return run


if __name__ == "__main__":
    sys.exit(main())
