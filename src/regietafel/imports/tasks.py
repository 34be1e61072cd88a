"""Background tasks (Django tasks; `regietafel db_worker` runs them): checking an uploaded file, and writing it
once the user confirmed. The work is in ``services.check_batch`` and ``services.apply_batch``; each holds the batch
locked while it works and does nothing for a batch that is no longer waiting for it, so a task delivered twice does
the work once."""

from django.db import transaction
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from regietafel.imports import services


@task()
def check_import(batch_id: int) -> str:
    return services.check_batch(batch_id)


@task()
def apply_import(batch_id: int) -> str:
    return services.apply_batch(batch_id)


def enqueue_on_commit(background_task, batch_id: int) -> None:
    """Hand ``background_task`` to the queue once the current transaction commits, so that a worker, which reads
    the batch through a connection of its own, finds it as it was stored.

    A backend that runs the task in this very process (``ImmediateBackend``: the tests, REGIETAFEL_TASKS=immediate)
    runs it at once instead: it works through this connection, which sees the batch already, and a test's
    transaction is never committed."""
    if isinstance(background_task.get_backend(), ImmediateBackend):
        background_task.enqueue(batch_id)
    else:
        transaction.on_commit(lambda: background_task.enqueue(batch_id))
