"""Health checks for a load balancer or an orchestrator, without login and without personal data.

``/health/live``: the process answers (restart it when this fails). ``/health/ready``: it can serve, because the
database answers and every migration is applied (send it no traffic while this fails). Both answer JSON and are
never cached.
"""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


def _database() -> str | None:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unreachable"
    return None


def _migrations() -> str | None:
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "unknown"
    return f"{len(pending)} pending" if pending else None


@login_not_required
@never_cache
@require_GET
def ready(request):
    database = _database()
    migrations = "not checked" if database else _migrations()
    checks = {"database": database or "ok", "migrations": migrations or "ok"}
    problems = database or migrations
    return JsonResponse(
        {"status": "fail" if problems else "ok", "checks": checks}, status=503 if problems else 200
    )
