"""Handing work to the background worker (Django tasks; ``regietafel db_worker`` runs them)."""

from django.db import transaction
from django_tasks.backends.immediate import ImmediateBackend


def enqueue_on_commit(background_task, *args) -> None:
    """Hand ``background_task`` to the queue once the current transaction commits, so that a worker, which reads
    through a connection of its own, finds what the transaction stored, and nothing is sent for work that was
    rolled back.

    A backend that runs the task in this very process (``ImmediateBackend``: the tests, REGIETAFEL_TASKS=immediate)
    runs it at once instead: it works through this connection, which sees the data already, and a test's
    transaction is never committed."""
    if isinstance(background_task.get_backend(), ImmediateBackend):
        background_task.enqueue(*args)
    else:
        transaction.on_commit(lambda: background_task.enqueue(*args))
