from django.core.management.base import BaseCommand
from django.db import transaction

from regietafel.search.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the SQLite search index from the records (PostgreSQL needs none)."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = rebuild()
        self.stdout.write(f"search index: {count} records")
