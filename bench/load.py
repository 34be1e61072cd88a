"""Load test: `make load`. A meeting-day rush on the production server, measured from outside.

1. A fresh PostgreSQL database (``regietafel_load`` on 127.0.0.1:5432, or ``LOAD_DATABASE_URL``) with the embedded
   IJsselland data set and demo figures, 100 users (90 of the eleven municipalities, 10 of the program team), each
   with an action of their own and a signed-in session. Sessions are made directly, not through the login form:
   password hashing is slow on purpose and a rush is people who are already signed in.
2. gunicorn with 2 x CPUs + 1 workers on loopback, DEBUG off, persistent database connections, the shared cache in
   Redis when one answers on 127.0.0.1:6379 (else in files).
3. Every page type requested a few times per worker (warm-up), then Locust headless (bench/locustfile.py): 100
   users, started over 5 seconds, for 60 seconds in all, each opening the regional overview, a municipality page,
   the overview's CSV export, and updating the status of their action (an edit with its version check), with
   0.5-2 s between requests.
   A third of the way in, a monthly realisation file of every municipality of the region is imported (as the
   program team does on the first of the month): its commit empties the page cache, and the background worker
   (``regietafel db_worker``, running beside gunicorn as in production) renders the pages' figures again
   (monitor/warmup.py) while the users go on.
4. bench/results/load.json: users, seconds, requests, errors, p50/p95/p99 in ms (all requests, and per kind), and
   when the import ran and how long it took.

Fails (exit 1) on any error or a p95 of 300 ms or more.
"""

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "load.json"
USERS = int(os.environ.get("LOAD_USERS", "100"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
HOST = "127.0.0.1:8123"
DATABASE = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/regietafel_load")
P95_TARGET_MS = 300


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def redis_url() -> str:
    try:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except Exception:
        return ""
    return "redis://127.0.0.1:6379/15"


def environment(scratch: str, cache: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=DATABASE,
        DATABASE_CONN_MAX_AGE="60",
        REGIETAFEL_DATA_DIR=scratch,
        REGIETAFEL_DEBUG="0",
        REGIETAFEL_ALLOWED_HOSTS="127.0.0.1,localhost",
        REGIETAFEL_CACHE_URL=cache,
        LOG_LEVEL="WARNING",
    )
    return env


def regietafel(env: dict, *args: str) -> None:
    subprocess.run([str(Path(sys.executable).parent / "regietafel"), *args], env=env, check=True, cwd=ROOT)


def setup(sessions_file: str) -> None:
    """Inside Django (``python -m bench.load setup FILE``): users, their actions and sessions, written to FILE."""
    import datetime

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from regietafel.access.models import Membership, Role
    from regietafel.meetings.models import Action
    from regietafel.organisations.models import Organisation
    from regietafel.regions.models import Area

    region = Area.objects.get(code=settings.REGIETAFEL_DEFAULT_REGION)
    municipalities = list(Area.objects.in_region(region).order_by("code"))
    organisations = [
        Organisation.objects.get_or_create(
            municipality=area,
            defaults={"name": f"Gemeente {area.name}", "kind": Organisation.Kind.MUNICIPALITY},
        )[0]
        for area in municipalities
    ]
    team = Organisation.objects.get_or_create(
        name="Programmateam (belasting)", defaults={"kind": Organisation.Kind.PROGRAM_TEAM}
    )[0]
    users = []
    for number in range(USERS):
        admin = number % 10 == 9
        organisation = team if admin else organisations[number % len(organisations)]
        user = get_user_model().objects.create_user(f"belasting-{number:03d}", password=None)
        Membership.objects.create(
            user=user, organisation=organisation, role=Role.ADMIN if admin else Role.MUNICIPALITY
        )
        action = Action.objects.create(
            title=f"Belastingtest: actie {number}",
            owner_user=user,
            owner_organisation=organisation,
            deadline=datetime.date(2027, 1, 31),
            is_demo=True,
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        municipality = (organisation.municipality or municipalities[number % len(municipalities)]).code
        users.append(
            {
                "session": session.session_key,
                "municipality": municipality,
                # The action form as its page fills it in (the program team may change every field).
                "action": action.pk,
                "form": {
                    "title": action.title,
                    "owner_user": user.pk,
                    "owner_organisation": organisation.pk,
                    "deadline": action.deadline.isoformat(),
                    "note": "belastingtest",
                },
            }
        )
    Path(sessions_file).write_text(json.dumps(users), encoding="utf-8")


def import_month() -> None:
    """Inside Django (``python -m bench.load import``): a realisation file of every municipality of the region for the
    last month, imported as a file is (``import_file``); prints what it did, as JSON."""
    import datetime

    import django

    django.setup()
    from django.conf import settings

    from regietafel.core.specs import get_spec
    from regietafel.imports.services import import_file
    from regietafel.regions.models import Area

    region = Area.objects.get(code=settings.REGIETAFEL_DEFAULT_REGION)
    month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    path = Path(tempfile.mkdtemp(prefix="regietafel-load-import-")) / "realisatie.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["municipality_code", "month", "housed", "housed_minors", "reference_date", "source"])
        for area in Area.objects.in_region(region):
            writer.writerow(
                [area.code, month.isoformat(), 7, 1, datetime.date.today().isoformat(), "belastingtest"]
            )
    started = time.perf_counter()
    counts = import_file(get_spec("realisation"), path)
    print(
        json.dumps(
            {"month": month.isoformat(), "counts": counts, "seconds": round(time.perf_counter() - started, 2)}
        )
    )


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on {url}")


def warm_up(users: list[dict], rounds: int = 30) -> None:
    """Every worker has loaded its code and templates, as a server that has been up a while has."""
    paths = ["/", "/gemeente/GM0193/", "/export/huisvesting.csv", f"/regietafel/acties/{users[0]['action']}/"]
    for number in range(rounds):
        for path in paths:
            request = urllib.request.Request(  # noqa: S310 (loopback)
                f"http://{HOST}{path}",
                headers={"Cookie": f"sessionid={users[number % len(users)]['session']}"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                response.read()


def percentiles(stats_csv: Path) -> dict:
    with open(stats_csv, newline="", encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}

    def figures(row):
        return {
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
        }

    total = figures(rows.pop("Aggregated"))
    return {**total, "per_request": {name: figures(row) for name, row in rows.items()}}


def main() -> int:
    scratch = tempfile.mkdtemp(prefix="regietafel-load-")
    cache = redis_url()
    env = environment(scratch, cache)
    print(f"database {DATABASE}, cache {'Redis' if cache else 'files'}: preparing data and {USERS} users")
    recreate_database(DATABASE)
    if cache:
        import redis

        redis.Redis.from_url(cache).flushdb()
    regietafel(env, "migrate", "--no-input", "-v", "0")
    regietafel(env, "load-dataset")
    regietafel(env, "load-demo")
    sessions = Path(scratch) / "sessions.json"
    subprocess.run(
        [sys.executable, "-m", "bench.load", "setup", str(sessions)],
        env={**env, "DJANGO_SETTINGS_MODULE": "regietafel.settings"},
        check=True,
        cwd=ROOT,
    )
    workers = 2 * (os.cpu_count() or 1) + 1
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "regietafel.wsgi:application",
            f"--bind={HOST}",
            f"--workers={workers}",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "regietafel"), "db_worker"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    imported: dict = {}

    def import_a_month() -> None:
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "bench.load", "import"],
            env={**env, "DJANGO_SETTINGS_MODULE": "regietafel.settings"},
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        imported.update(at_seconds=round(started - begun, 1), exit_code=done.returncode)
        if done.returncode == 0:
            imported.update(json.loads(done.stdout.strip().splitlines()[-1]))
        else:
            imported["error"] = done.stderr[-2000:]

    try:
        wait_until_up(f"http://{HOST}/inloggen/")
        warm_up(json.loads(sessions.read_text(encoding="utf-8")))
        print(f"gunicorn up with {workers} workers, warmed up; {USERS} users for {SECONDS} s")
        prefix = Path(scratch) / "locust"
        begun = time.monotonic()
        importer = threading.Timer(SECONDS / 3, import_a_month)
        importer.start()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                f"--users={USERS}",
                f"--spawn-rate={max(1, USERS // 5)}",
                f"--run-time={SECONDS}s",
                f"--host=http://{HOST}",
                f"--csv={prefix}",
                "--only-summary",
                "--loglevel=WARNING",
                "--exit-code-on-error=0",
            ],
            env={**env, "LOAD_SESSIONS": str(sessions)},
            check=True,
            cwd=ROOT,
        )
        importer.join()
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    figures = percentiles(Path(f"{prefix}_stats.csv"))
    result = {
        "users": USERS,
        "seconds": SECONDS,
        **figures,
        "server": f"gunicorn, {workers} sync workers",
        "database": "PostgreSQL",
        "cache": "Redis" if cache else "files",
        "cpus": os.cpu_count(),
        "import_during_run": imported,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"{result['requests']} requests, {result['errors']} errors; p50 {result['p50_ms']:.0f} ms, "
        f"p95 {result['p95_ms']:.0f} ms (target < {P95_TARGET_MS} ms), p99 {result['p99_ms']:.0f} ms"
    )
    for name, row in figures["per_request"].items():
        print(f"  {name}: {row['requests']} requests, {row['errors']} errors, p95 {row['p95_ms']:.0f} ms")
    print(f"an import {SECONDS // 3} s in: {imported}")
    print(f"written: {RESULTS}")
    failed = result["errors"] or result["p95_ms"] >= P95_TARGET_MS or imported.get("exit_code") != 0
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["setup"]:
        setup(sys.argv[2])
    elif sys.argv[1:2] == ["import"]:
        import_month()
    else:
        sys.exit(main())
