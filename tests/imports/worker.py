"""A task worker (`regietafel db_worker`) against the test database, for the tests that need a real one."""

import os
import signal
import subprocess
import sys
from pathlib import Path


class DbWorker:
    """`regietafel db_worker` against ``database``, as `Gunicorn` (tests/support.py) starts the server: in a process
    group of its own, so that SIGKILL takes it at once; the same ``data_dir`` shares the file cache (the progress
    of a running task) with a server started there. The output is kept in ``data_dir/worker-<pid>.log``."""

    def __init__(self, data_dir, database: str, env: dict | None = None):
        from django.conf import settings

        Path(data_dir).mkdir(parents=True, exist_ok=True)
        environment = {
            **os.environ,
            "DATABASE_URL": database,
            "REGIETAFEL_DATA_DIR": str(data_dir),
            "REGIETAFEL_SECRET_KEY": settings.SECRET_KEY,
            "REGIETAFEL_DEBUG": "0",
            "REGIETAFEL_CACHE_URL": "",
            "REGIETAFEL_TASKS": "database",
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        self.log = Path(data_dir) / f"worker-{os.getpid()}-{id(self)}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own command, our own arguments)
                [
                    str(Path(sys.executable).parent / "regietafel"),
                    "db_worker",
                    "--interval",
                    "0.2",
                    "--no-startup-delay",
                    "--no-reload",
                ],
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
